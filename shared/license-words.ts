/**
 * License types, purchase kinds and license terms in plain language — one text for where a creator
 * chooses a license (LicensingEditor), where a buyer buys it (the listing), what the buyer receives
 * (the license text delivered with a purchase) — and the one rule of whether a purchase lets the
 * buyer publish a derivative (declaring the listing as its parent, which pays its creator a royalty).
 */
import type { LICENSE_TYPES, LicenseTerms } from './payments.ts';

export type LicenseType = (typeof LICENSE_TYPES)[number];
export type PurchaseKind = 'one_time' | 'license' | 'subscription';

export interface LicenseWords {
  /** A short name ("Royalty-free"). */
  title: string;
  /** One or two sentences a buyer understands without a lawyer. */
  summary: string;
  /** For a license: the same, said to the creator who offers it (what buyers get). */
  offered?: string;
  /** Whether the holder may publish derivatives (declaring the listing as the parent). */
  derivatives: boolean;
}

export const LICENSE_WORDS: Record<LicenseType, LicenseWords & { offered: string }> = {
  royalty_free: {
    title: 'Royalty-free',
    summary: 'Pay once, use it as often as you like for the uses listed, with nothing more to pay per use.',
    offered: 'Buyers pay once and use it as often as they like for the uses you list, with nothing more to pay per use.',
    derivatives: true,
  },
  rights_managed: {
    title: 'Rights-managed',
    summary:
      'You pay for specific uses: each recorded use (impression, download, embed) owes the creator a royalty from your prepaid balance. Use it as it is; no derivatives.',
    offered:
      'Buyers pay for specific uses: each use they record (impression, download, embed) pays you a royalty from their prepaid balance. They use it as it is; no derivatives.',
    derivatives: false,
  },
  editorial: {
    title: 'Editorial',
    summary: 'For news, commentary and teaching only — not for advertising, merchandise or anything sold. Use it as it is; no derivatives.',
    offered:
      'Buyers may use it for news, commentary and teaching only — not for advertising, merchandise or anything sold. They use it as it is; no derivatives.',
    derivatives: false,
  },
  commercial: {
    title: 'Commercial',
    summary: 'Use it in things you sell or promote (products, ads, games) for the uses listed.',
    offered: 'Buyers may use it in things they sell or promote (products, ads, games) for the uses you list.',
    derivatives: true,
  },
  exclusive: {
    title: 'Exclusive',
    summary: 'Sold to one buyer only: once you hold it, nobody else can buy this license, and you may build on it.',
    offered: 'Sold to one buyer only: once someone holds it, nobody else can buy this license, and the holder may build on it.',
    derivatives: true,
  },
};

/** What a purchase without a license offer (buying the asset, subscribing) lets the buyer do. */
export const PURCHASE_WORDS: Record<Exclude<PurchaseKind, 'license'>, LicenseWords> = {
  one_time: {
    title: 'Personal and creative use',
    summary:
      'Pay once and keep this version: use it in your own stories and games, and publish your own derivatives declaring it as their parent (its creator then earns a royalty on them).',
    derivatives: true,
  },
  subscription: {
    title: 'Subscription',
    summary:
      'Use it while your subscription runs, in your own stories and games; derivatives declaring it as their parent are allowed (its creator earns a royalty on them).',
    derivatives: true,
  },
};

const USE_WORDS: Record<LicenseTerms['usageRights'][number], string> = {
  web: 'websites',
  social: 'social media',
  broadcast: 'broadcast (TV, radio, streaming)',
  print: 'print',
  merchandise: 'merchandise',
  nft: 'NFTs',
  ai_training: 'training AI models',
  games: 'games',
  interactive_stories: 'interactive stories',
};

/** The words for a purchase: its license type's for a license, otherwise the purchase kind's. */
export function wordsFor(kind: PurchaseKind, licenseType: LicenseType | null): LicenseWords {
  if (kind === 'license' && licenseType) return LICENSE_WORDS[licenseType];
  return PURCHASE_WORDS[kind === 'license' ? 'one_time' : kind];
}

/** Whether this purchase lets its holder publish derivatives declaring the listing as their parent. */
export function allowsDerivatives(kind: PurchaseKind, licenseType: LicenseType | null): boolean {
  return wordsFor(kind, licenseType).derivatives;
}

/** License terms as plain sentences (what, where, how long, how much, attribution, AI training). */
export function termsInWords(t: LicenseTerms): string[] {
  const uses = t.usageRights.map((u) => USE_WORDS[u]);
  return [
    `You may use it for: ${uses.join(', ')}.`,
    `Where: ${t.territory.join(', ')}.`,
    t.durationDays ? `For ${t.durationDays} days from the purchase.` : 'For as long as you like (perpetual).',
    t.maxImpressions ? `Up to ${t.maxImpressions.toLocaleString('en-US')} impressions.` : 'No limit on impressions.',
    ...(t.royaltyPercent ? [`Each recorded use owes the creator ${t.royaltyPercent} % of the usage base rate.`] : []),
    t.requiresAttribution ? 'You must credit the creator wherever you use it.' : 'No credit to the creator is required.',
    t.allowsAiTraining ? 'It may be used to train AI models.' : 'It may not be used to train AI models.',
  ];
}

export interface LicenseDocumentInput {
  purchaseId: string;
  kind: PurchaseKind;
  licenseType: LicenseType | null;
  licenseKey: string | null;
  terms: LicenseTerms | null;
  expiresAt: string | null;
  paidAt: string | null;
  asset: { id: string; name: string; version: number; creatorName: string };
  buyerName: string;
  marketplace: string;
}

/** The license as a plain-text document delivered with the purchase (license.txt). */
export function licenseText(d: LicenseDocumentInput): string {
  const w = wordsFor(d.kind, d.licenseType);
  const lines = [
    `${w.title} license — ${d.asset.name} (version ${d.asset.version})`,
    '',
    `Creator: ${d.asset.creatorName}`,
    `Licensed to: ${d.buyerName}`,
    `Marketplace: ${d.marketplace}`,
    `Listing: ${d.asset.id}`,
    `Purchase: ${d.purchaseId}${d.paidAt ? `, paid ${d.paidAt}` : ''}`,
    ...(d.expiresAt ? [`Valid until: ${d.expiresAt}`] : []),
    '',
    w.summary,
    '',
    ...(d.terms ? termsInWords(d.terms).map((s) => `- ${s}`) : []),
    `- Derivatives: ${w.derivatives ? 'allowed — declare this listing as their parent when you publish them.' : 'not allowed.'}`,
    '- Reselling or redistributing the files themselves is not allowed.',
    ...(d.licenseKey
      ? ['', 'License key (the marketplace verifies it at /v1/licenses/verify):', d.licenseKey]
      : ['', 'This purchase carries no license key: the purchase id above is the proof of purchase.']),
    '',
  ];
  return lines.join('\n');
}
