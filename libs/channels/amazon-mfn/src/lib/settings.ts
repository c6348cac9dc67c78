import type { ChannelIdentity, JsonSchema } from '@invsync/plugin-api';
import {
  AMAZON_ACCOUNT_SETTINGS_PROPERTIES,
  AMAZON_ACCOUNT_SETTINGS_REQUIRED,
  type AmazonAccountSettings,
  checkAmazonAccountSettings,
  quantityPoolOf,
} from '@invsync/amazon-spapi';

export const CHANNEL_TYPE = 'amazon-mfn';

/** Batches at or above this many updates go by JSON_LISTINGS_FEED (Amazon's advice: about 1,500). */
export const DEFAULT_FEED_THRESHOLD = 1500;
export const DEFAULT_PRODUCT_TYPE = 'PRODUCT';
/** How far back the first order download of a channel looks. */
export const DEFAULT_ORDERS_LOOK_BACK_HOURS = 24;

/** The plugin's part of an `amazon-mfn` channel's settings (the host keeps its own apart: sync, warehouses, rules). */
export interface AmazonMfnSettings extends AmazonAccountSettings {
  /** Batches of at least this many updates are sent as a feed, smaller ones as patches. */
  feedThreshold?: number;
  /** productType sent with patches and feed messages. */
  productType?: string;
  /** First order download of the channel: how far back to read (hours). */
  ordersLookBackHours?: number;
}

export const SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    ...AMAZON_ACCOUNT_SETTINGS_PROPERTIES,
    feedThreshold: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: DEFAULT_FEED_THRESHOLD,
      description: 'Batches of at least this many updates go as JSON_LISTINGS_FEED feeds; smaller ones as patchListingsItem calls',
    },
    productType: { type: 'string', minLength: 1, maxLength: 100, default: DEFAULT_PRODUCT_TYPE, description: 'productType of the quantity patches' },
    ordersLookBackHours: {
      type: 'integer',
      minimum: 1,
      maximum: 24 * 30,
      default: DEFAULT_ORDERS_LOOK_BACK_HOURS,
      description: "How far back the channel's first order download reads (later runs continue from their checkpoint)",
    },
  },
  required: AMAZON_ACCOUNT_SETTINGS_REQUIRED,
};

/** Checks beyond the schema: the marketplace must exist and belong to the region; endpoints are URLs. */
export function validateSettings(s: AmazonMfnSettings): string[] {
  return checkAmazonAccountSettings(s);
}

/** Where a channel's listings live: EU quantities are one per seller + SKU across every EU marketplace. */
export function identify(s: AmazonMfnSettings): ChannelIdentity {
  return { marketplaceId: s.marketplaceId, quantityPool: quantityPoolOf(s.sellerId, s.marketplaceId), accountId: s.sellerId };
}
