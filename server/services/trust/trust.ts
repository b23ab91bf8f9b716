/**
 * Verified-buyer reviews and creator reputation as the routes ask for them: each call runs on the
 * marketplace's database (a review in one transaction); the rules are in ./reputation.ts.
 */
import type { UserRow } from '../../auth.ts';
import type { Database } from '../../db.ts';
import { addReview, reputationView, reviewsOf } from './reputation.ts';

export class TrustService {
  constructor(private readonly db: Database) {}

  /** Rates an asset the caller bought (once; a second rating replaces the first) and recomputes both reputations. */
  addReview(user: UserRow, assetId: string, rating: number, body: string) {
    return this.db.tx((sql) => addReview(sql, user, assetId, rating, body));
  }

  /** An asset's reviews and their average. */
  reviews(assetId: string) {
    return reviewsOf(this.db, assetId);
  }

  /** A creator's reputation: total, level, components with their inputs, strikes and history. */
  reputation(creatorId: string) {
    return reputationView(this.db, creatorId);
  }
}
