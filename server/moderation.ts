/** Trust and safety lives in server/services/moderation/ (SQL in server/repos/moderation.ts); re-exported for existing importers. */
export { CASE_KINDS, type CaseKind, Moderation } from './services/moderation/moderation.ts';
