import { type AmazonRegion, findMarketplace, isAmazonRegion } from '@invsync/amazon-spapi';
import type { ChannelIdentity } from '@invsync/plugin-api';

/** The plugin's settings of one `amazon-fba` channel (the host adds its own beside them). */
export interface AmazonFbaSettings {
  sellerId: string;
  region: AmazonRegion;
  marketplaceId: string;
  /** Secrets: encrypted at rest by the host, never logged. */
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  spApiEndpoint?: string;
  lwaEndpoint?: string;
  staleAfterMinutes?: number;
}

/** Checks beyond the JSON schema: the marketplace must exist and belong to the region; endpoints must be http(s) URLs. */
export function validateFbaSettings(s: AmazonFbaSettings): string[] {
  const problems: string[] = [];
  const m = findMarketplace(s.marketplaceId);
  if (!m) problems.push(`settings.marketplaceId "${s.marketplaceId}" is not an Amazon marketplace ID`);
  else if (isAmazonRegion(s.region) && m.region !== s.region) {
    problems.push(`settings.marketplaceId "${s.marketplaceId}" (${m.country}) belongs to the ${m.region} region, not ${s.region}: set region to "${m.region}" or pick a ${s.region} marketplace`);
  }
  for (const key of ['spApiEndpoint', 'lwaEndpoint'] as const) {
    const v = s[key];
    if (v === undefined) continue;
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`settings.${key} must be an http(s) URL`);
  }
  return problems;
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
