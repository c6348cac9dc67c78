import { type AmazonAccountSettings, checkAmazonAccountSettings } from '@invsync/amazon-spapi';
import type { ChannelIdentity } from '@invsync/plugin-api';

/** The plugin's settings of one `amazon-fba` channel (the host keeps its own apart). */
export interface AmazonFbaSettings extends AmazonAccountSettings {
  staleAfterMinutes?: number;
}

/** Checks beyond the JSON schema: the marketplace must exist and belong to the region; endpoints must be http(s) URLs. */
export function validateFbaSettings(s: AmazonFbaSettings): string[] {
  return checkAmazonAccountSettings(s);
}

/**
 * Where an FBA channel's listings live and which share a quantity.
 *
 * quantityPool is `seller:marketplace:fba`, NOT `quantityPoolOf` (which is `seller:EU` in Europe):
 * FBA quantities are read per marketplace (FBA Inventory API, granularity Marketplace: each
 * marketplace's fulfilment network reports its own fulfillable quantity, even in the EU), and the
 * `:fba` suffix keeps FBA listings out of the pools of merchant-fulfilled listings, so the host's
 * shared-quantity (EU) rule never pairs an FBA SKU with an MFN one. Nothing is ever sent for this pool.
 */
export function identifyFba(s: AmazonFbaSettings): ChannelIdentity {
  return { marketplaceId: s.marketplaceId, quantityPool: `${s.sellerId}:${s.marketplaceId}:fba`, accountId: s.sellerId };
}
