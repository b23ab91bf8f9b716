/**
 * Media files travel as files, so their size limit is the media policy's — sized for real video —
 * everywhere: the marketplace's submission limits, the studio's media store and the limits the
 * studio shows the page. (The 413 paths themselves are tested with smaller injected limits in
 * server-media and studio-media-check.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaStore } from '../../electron/main/services/media-store.ts';
import { DEFAULT_UPLOAD_LIMITS, submissionLimits } from '../../server/http/submission.ts';
import { MEDIA_LIMITS } from '../../shared/api.ts';
import { MARKETPLACE_POLICY } from '../../shared/policy/marketplace.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';

describe('media upload limits', () => {
  it('come from the media policy, far above the old 50 MB base64 limit', () => {
    expect(MEDIA_POLICY.limits.maxBytes).toBeGreaterThanOrEqual(1024 ** 3);
    expect(DEFAULT_UPLOAD_LIMITS).toEqual({ media: MEDIA_POLICY.limits.maxBytes, image: MARKETPLACE_POLICY.maxUploadBytes });
    expect(MEDIA_LIMITS.video.maxBytes).toBe(MEDIA_POLICY.limits.maxBytes);
    expect(MEDIA_LIMITS.audio.maxBytes).toBe(MEDIA_POLICY.limits.maxBytes);
    expect(new MediaStore(mkdtempSync(join(tmpdir(), 'limits-'))).limits.maxBytes).toBe(MEDIA_POLICY.limits.maxBytes);
  });

  it('let a submission body carry the largest file plus the card and part headers', () => {
    const l = submissionLimits();
    expect(l.media).toBe(MEDIA_POLICY.limits.maxBytes);
    expect(l.body).toBeGreaterThan(l.media + l.card);
    const small = submissionLimits({ media: 1000, image: 5000 });
    expect(small.body).toBeGreaterThan(5000 + small.card);
  });
});
