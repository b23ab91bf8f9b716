/**
 * Pinned provenance signing keys, per marketplace (the studio's trust-on-first-use): the first
 * time the studio verifies a proof from a marketplace it stores that marketplace's key list
 * (GET /v1/provenance/keys) in the data folder; later proofs verify only against the pinned keys,
 * and a key the marketplace lists that was not pinned is reported, never trusted silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { TrustedKey } from '../../../shared/provenance.ts';
import { atomicWrite } from './connection.ts';

const Key = z.object({ keyId: z.string(), spkiBase64: z.string(), validFrom: z.string(), validUntil: z.string().nullable() });
const PinFile = z.record(z.string(), z.object({ pinnedAt: z.string(), keys: z.array(Key) }));

export interface PinnedKeys {
  keys: TrustedKey[];
  /** Set when the marketplace's key list differs from the pinned one (a rotation, or an impostor). */
  warning: string | null;
}

export class KeyPins {
  constructor(private readonly file: string) {}

  private read(): z.infer<typeof PinFile> {
    if (!existsSync(this.file)) return {};
    const parsed = PinFile.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    return parsed.success ? parsed.data : {};
  }

  /** The pinned keys of `marketplace`, pinning `current` on first use; `current` is null when the key list could not be fetched. */
  resolve(marketplace: string, current: TrustedKey[] | null): PinnedKeys {
    const all = this.read();
    const pin = all[marketplace];
    if (!pin) {
      if (!current?.length) return { keys: [], warning: 'the marketplace’s signing keys could not be fetched to pin them' };
      all[marketplace] = { pinnedAt: new Date().toISOString(), keys: current };
      atomicWrite(this.file, JSON.stringify(all, null, 2), 0o600);
      return { keys: current, warning: null };
    }
    if (!current) return { keys: pin.keys, warning: null };
    const pinned = new Map(pin.keys.map((k) => [k.keyId, k]));
    const unknown = current.filter((k) => !pinned.has(k.keyId) || pinned.get(k.keyId)?.spkiBase64 !== k.spkiBase64);
    // A pinned key the marketplace has since retired: its end date narrows what it verifies (never widens).
    let changed = false;
    for (const k of current) {
      const p = pinned.get(k.keyId);
      if (p && p.spkiBase64 === k.spkiBase64 && k.validUntil && (!p.validUntil || k.validUntil < p.validUntil)) {
        p.validUntil = k.validUntil;
        changed = true;
      }
    }
    if (changed) atomicWrite(this.file, JSON.stringify(all, null, 2), 0o600);
    return {
      keys: pin.keys,
      warning: unknown.length
        ? `this marketplace’s signing keys changed since they were pinned on ${pin.pinnedAt.slice(0, 10)} (new: ${unknown.map((k) => k.keyId).join(', ')}); records signed with a new key are not trusted`
        : null,
    };
  }
}
