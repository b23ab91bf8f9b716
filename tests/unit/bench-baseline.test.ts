/**
 * The bench's frozen baseline (bench/baseline/v1-fingerprint.ts, the hashing of the indexer the
 * issue's bulk-indexing target is set against) computes what today's engine computes when told to
 * hash as version 1 did: the same hashes of both views and the same colour, on transparent, opaque
 * and large clip art. So the bench compares the same work done by the code of then and of now.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fingerprintImage as v1 } from '../../bench/baseline/v1-fingerprint.ts';
import { fingerprintImage } from '../../engine/image/fingerprint.ts';

const ROOT = '/usr/share/openclipart/png/';
const FILES = ['animals/bugs/spider.png', 'food/fruit/apple_wedge.png', 'transportation/autos_01.png', 'food/menu_example1.png'];

describe('the frozen engine-version-1 hashing', () => {
  it.each(FILES)('gives the hashes today’s engine gives hashing as version 1 did (%s)', async (file) => {
    const bytes = readFileSync(ROOT + file);
    const then = await v1(bytes);
    const now = await fingerprintImage(bytes, undefined, { trimProbe: Number.POSITIVE_INFINITY, libvipsTrim: true });
    expect(then.views).toHaveLength(2);
    expect(then.views).toEqual(now.views.map(({ quality: _quality, scaleQuality: _crops, ...hashes }) => hashes));
    expect(then.pixelsSha256).toBe(now.pixelsSha256);
    const { tones: _tones, hues: _hues, ...colour } = now.color;
    expect(then.color).toEqual(colour);
  });
});
