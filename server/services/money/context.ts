/** What every money service is given (database, processor, policy, public URL, event bus), and the helpers they share. */
import { ApiError } from '../../../shared/api.ts';
import type { MoneyPolicy } from '../../../shared/policy/money.ts';
import type { Database, Sql } from '../../db.ts';
import type { PaymentProcessor } from '../../payments/processor.ts';
import type { AssetMoneyRow } from '../../repos/money/assets.ts';
import type { MoneyRepos } from '../../repos/money/index.ts';
import type { MoneyBus } from './events.ts';

export interface MoneyContext {
  readonly db: Database;
  readonly processor: PaymentProcessor;
  readonly policy: MoneyPolicy;
  /** The marketplace's public URL (default return page after checkout); known once the server listens. */
  readonly publicUrl: string;
  readonly events: MoneyBus;
  readonly repos: MoneyRepos;
}

export const DAY = 86_400_000;
export { iso } from '../../../shared/format.ts';

/** An asset as the money code sees it; 404 when there is none. */
export async function loadAsset(ctx: Pick<MoneyContext, 'repos'>, sql: Sql, id: string): Promise<AssetMoneyRow> {
  const a = await ctx.repos.assets.findAsset(sql, id);
  if (!a) throw new ApiError('not_found', 'no such asset', 'id', 404);
  return a;
}

/** Listed: a version is published and the listing is neither withdrawn nor taken down (a new version in review keeps selling the published one). */
export function listed(a: Pick<AssetMoneyRow, 'published_version' | 'status'>): boolean {
  return a.published_version !== null && a.status !== 'taken_down' && a.status !== 'withdrawn';
}

/** The version on sale; 409 when the asset is not listed. */
export function forSale(a: AssetMoneyRow): number {
  if (a.published_version === null || !listed(a)) throw new ApiError('not_for_sale', 'this asset is not published', 'id', 409);
  return a.published_version;
}
