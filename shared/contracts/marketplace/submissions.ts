/** Marketplace contract: submitting assets and versions, appeals, withdrawal, the creator's own assets. */
import { z } from 'zod';
import { AssetView, ReasonInput, SubmissionResult } from '../../marketplace.ts';
import { defineRoute } from './route.ts';
import { SubmissionForm } from './schemas.ts';

export const submit = defineRoute({
  method: 'post',
  path: '/v1/submissions',
  summary:
    'Submit a new asset (multipart: card JSON + image and/or an audio or video file); every fingerprint is recomputed here, then a human reviews it',
  tag: 'submissions',
  multipart: SubmissionForm,
  output: SubmissionResult,
  status: 201,
});

export const submitVersion = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/versions',
  summary: 'Submit a new version of your asset (reviewed again; buyers keep the version they bought)',
  tag: 'submissions',
  multipart: SubmissionForm,
  output: SubmissionResult,
  status: 201,
});

export const appealRejection = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/appeal',
  summary: 'Appeal a rejection; a different moderator decides',
  tag: 'submissions',
  body: ReasonInput,
  output: z.object({ appealId: z.number().int(), estimatedReviewTime: z.string() }),
  status: 201,
});

export const withdrawAsset = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/withdraw',
  summary: 'Take your listing off sale (buyers keep what they bought; the index feed gets a tombstone)',
  tag: 'submissions',
  output: z.object({ assetId: z.string(), status: z.literal('withdrawn') }),
});

export const myAssets = defineRoute({
  method: 'get',
  path: '/v1/my/assets',
  summary: 'Your assets with their review status',
  tag: 'submissions',
  output: z.array(AssetView),
});
