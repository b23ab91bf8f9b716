/**
 * How a recoloured copy is explained: hue histograms and the rotation between them, lightness
 * quantiles that a crop leaves alone (the mean moved with the share of background), and the old
 * mean-colour rule for fingerprints stored before either existed.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fingerprintImage } from '../../engine/image/fingerprint.ts';
import { HUE_BINS, hueRotation, lab } from '../../engine/image/hue.ts';
import { colorChanges } from '../../engine/scoring.ts';

/** Six circles of six hues on white, the kind of art whose mean hue cancels out. */
async function circles(): Promise<Buffer> {
  const shapes = Array.from({ length: 6 }, (_, i) => {
    const x = 40 + (i % 3) * 80;
    const y = 70 + Math.floor(i / 3) * 110;
    return `<circle cx="${x}" cy="${y}" r="34" fill="hsl(${i * 60},70%,45%)"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="100%" height="100%" fill="white"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const shifted = (h: number[], k: number) => h.map((_, i) => h[(i - k + HUE_BINS) % HUE_BINS] as number);

describe('hue rotation between two hue histograms', () => {
  const base = Array.from({ length: HUE_BINS }, (_, i) => (i === 2 ? 0.5 : i === 9 ? 0.3 : i === 17 ? 0.2 : 0));

  it('finds a whole-histogram turn in either direction, to the bin', () => {
    expect(hueRotation(shifted(base, 3), base)).toBeCloseTo(45, 0);
    expect(hueRotation(shifted(base, HUE_BINS - 4), base)).toBeCloseTo(-60, 0);
  });

  it('names nothing for equal hues, a turn under 20°, other content, or a missing histogram', () => {
    expect(hueRotation(base, base)).toBeNull();
    expect(hueRotation(shifted(base, 1), base)).toBeNull();
    const other = Array.from({ length: HUE_BINS }, (_, i) => (i % 2 === 0 ? 1 / 12 : 0));
    expect(hueRotation(other, base)).toBeNull();
    expect(hueRotation(undefined, base)).toBeNull();
    expect(hueRotation(base.slice(1), base)).toBeNull();
  });

  it('computes CIELAB as the standard white, black and red', () => {
    expect(lab(255, 255, 255).map((v) => Math.round(v) + 0)).toEqual([100, 0, 0]);
    expect(lab(0, 0, 0).map((v) => Math.round(v) + 0)).toEqual([0, 0, 0]);
    const [l, a, b] = lab(255, 0, 0);
    expect([Math.round(l), Math.round(a), Math.round(b)]).toEqual([53, 80, 67]);
  });
});

describe('what a recoloured copy is said to be', () => {
  it('names the turn of a mirrored copy with its hues turned 40° (the studio e2e copy), though the mean hue cancels', async () => {
    const art = await circles();
    const t = await fingerprintImage(art);
    const q = await fingerprintImage(await sharp(art).flop().modulate({ hue: 40 }).png().toBuffer());
    expect(t.color.hues).toHaveLength(HUE_BINS);
    const said = colorChanges(q.color, t.color);
    const turn = said.map((s) => /hues turned about (\d+)°/.exec(s)?.[1]).find(Boolean);
    expect(Number(turn)).toBeGreaterThanOrEqual(30);
    expect(Number(turn)).toBeLessThanOrEqual(50);
    expect(said.filter((s) => /brightened|darkened|contrast/.test(s))).toEqual([]);
    // The mean colour is grey: its hue, which the old rule compared, is noise.
    expect(Math.max(t.color.r, t.color.g, t.color.b) - Math.min(t.color.r, t.color.g, t.color.b)).toBeLessThan(3);
  });

  it('says darkened for a darker copy and nothing for a crop that only removes background', async () => {
    const art = await circles();
    const t = await fingerprintImage(art);
    const darker = await fingerprintImage(await sharp(art).linear(0.7, 0).png().toBuffer());
    expect(colorChanges(darker.color, t.color)).toEqual(['darkened']);
    const crop = await fingerprintImage(await sharp(art).extract({ left: 0, top: 20, width: 230, height: 200 }).png().toBuffer());
    // The mean lightness falls with the white cut away, which the old rule called darkening.
    expect(t.color.luminance - crop.color.luminance).toBeGreaterThan(12);
    expect(colorChanges(crop.color, t.color)).toEqual([]);
    expect(crop.color.tones?.[1]).toBe(100);
  });

  it('calls a grey copy grayscale, not a turn', async () => {
    const art = await circles();
    const t = await fingerprintImage(art);
    const q = await fingerprintImage(await sharp(art).grayscale().png().toBuffer());
    expect(q.color.hues).toBeUndefined();
    expect(colorChanges(q.color, t.color)).toEqual(['converted to grayscale']);
  });
});
