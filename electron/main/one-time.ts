/**
 * One-time secrets for browser mode: the launch URL's code (exchanged once for the session token)
 * and the push stream's ticket (an EventSource cannot send the token in a header, and the token is
 * never put in a URL the page keeps). Each is 32 random bytes, works once, expires unused after its
 * time to live, and is compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class OneTimeSecrets {
  private readonly live = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  issue(): string {
    const now = Date.now();
    for (const [s, exp] of this.live) if (exp <= now) this.live.delete(s);
    const secret = randomBytes(32).toString('base64url');
    this.live.set(secret, now + this.ttlMs);
    return secret;
  }

  /** Takes a secret: true once for one this issued that has not expired. */
  redeem(secret: string): boolean {
    for (const [s, exp] of this.live) {
      if (sameSecret(s, secret)) {
        this.live.delete(s);
        return exp > Date.now();
      }
    }
    return false;
  }
}
