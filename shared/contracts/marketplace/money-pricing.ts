/** Marketplace contract, money: an asset's pricing and the recommended price. */
import { PricingInput, PricingView, Recommendation, RecommendationQuery } from '../../payments.ts';
import { defineRoute } from './route.ts';

export const getPricing = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/pricing',
  summary: 'An asset’s pricing model and price, with what one sale pays each party (micro-dollars)',
  tag: 'money',
  output: PricingView,
});

export const setPricing = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/pricing',
  summary: 'Set the pricing model and price (validated on integers against the policy)',
  tag: 'money',
  body: PricingInput,
  output: PricingView,
});

export const pricingRecommendation = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/pricing/recommendation',
  summary: 'Recommended price: base per type × quality × reputation, clamped to the model’s range, with its reasoning',
  tag: 'money',
  query: RecommendationQuery,
  output: Recommendation,
});
