/** The studio's pinned provenance keys: pinned on first use per marketplace, never widened, and a changed list reported. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyPins } from '../../electron/main/services/key-pins.ts';
import { type TrustedKey, keyIdOf } from '../../shared/provenance.ts';

async function key(validFrom = '2026-01-01T00:00:00.000Z', validUntil: string | null = null): Promise<TrustedKey> {
  const spkiBase64 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { keyId: await keyIdOf(spkiBase64), spkiBase64, validFrom, validUntil };
}

describe('KeyPins', () => {
  it('pins on first use, keeps the pin when the marketplace lists another key, and only narrows validity', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pins-')), 'provenance-keys.json');
    const pins = new KeyPins(file);
    const a = await key();
    expect(pins.resolve('https://mp.example/', [a])).toEqual({ keys: [a], warning: null });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Offline: the pinned keys.
    expect(new KeyPins(file).resolve('https://mp.example/', null)).toEqual({ keys: [a], warning: null });
    // An impostor (or a rotation) lists another key: not trusted, reported.
    const b = await key();
    const swapped = pins.resolve('https://mp.example/', [b]);
    expect(swapped.keys).toEqual([a]);
    expect(swapped.warning).toContain(b.keyId);
    // The same id with another key body is reported too.
    const twin = { ...a, spkiBase64: b.spkiBase64 };
    expect(pins.resolve('https://mp.example/', [twin]).warning).toContain(a.keyId);
    // A retirement date narrows the pinned key; a later one never widens it back.
    pins.resolve('https://mp.example/', [{ ...a, validUntil: '2026-06-01T00:00:00.000Z' }]);
    pins.resolve('https://mp.example/', [{ ...a, validUntil: '2027-01-01T00:00:00.000Z' }]);
    expect(pins.resolve('https://mp.example/', null).keys[0]?.validUntil).toBe('2026-06-01T00:00:00.000Z');
    // Another marketplace has its own pin.
    expect(pins.resolve('local', [b]).keys).toEqual([b]);
    expect(pins.resolve('elsewhere', null)).toMatchObject({ keys: [], warning: expect.stringContaining('could not be fetched') });
  });
});
