/** Reputation and reviews live in server/services/trust/reputation.ts (SQL in server/repos/trust.ts); re-exported for existing importers. */
export { REPORT_KINDS, addReview, recomputeReputation, reputationInputs, reputationView, reviewsOf } from './services/trust/reputation.ts';
