import type { ChannelIdentity, JsonSchema } from '@invsync/plugin-api';
import { type AmazonRegion, findMarketplace, quantityPoolOf } from '@invsync/amazon-spapi';

export const CHANNEL_TYPE = 'amazon-mfn';

/** Batches at or above this many updates go by JSON_LISTINGS_FEED (Amazon's advice: about 1,500). */
export const DEFAULT_FEED_THRESHOLD = 1500;
export const DEFAULT_PRODUCT_TYPE = 'PRODUCT';
/** How far back the first order download of a channel looks. */
export const DEFAULT_ORDERS_LOOK_BACK_HOURS = 24;

/** The plugin's part of an `amazon-mfn` channel's settings (the host adds its own: sync, warehouses, rules). */
export interface AmazonMfnSettings {
  sellerId: string;
  region: AmazonRegion;
  marketplaceId: string;
  /** Secret: encrypted by the host, never returned or logged. */
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  /** SP-API base URL; default Amazon's endpoint of the region (the sandbox's URL for local runs). */
  spApiEndpoint?: string;
  /** LWA token URL; default https://api.amazon.com/auth/o2/token. */
  lwaEndpoint?: string;
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
    sellerId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9]+$', description: 'Amazon selling partner (merchant) ID' },
    region: { type: 'string', enum: ['NA', 'EU', 'FE'], description: 'SP-API region of the marketplace' },
    marketplaceId: { type: 'string', minLength: 1, maxLength: 32, description: 'Amazon marketplace ID, e.g. A1F83G8C2ARO7P (UK)' },
    credentials: {
      type: 'object',
      'x-secret': true,
      description: 'Login with Amazon credentials of the SP-API application (encrypted at rest, never returned)',
      properties: {
        clientId: { type: 'string', minLength: 1, maxLength: 512 },
        clientSecret: { type: 'string', minLength: 1, maxLength: 2048 },
        refreshToken: { type: 'string', minLength: 1, maxLength: 4096 },
      },
      required: ['clientId', 'clientSecret', 'refreshToken'],
      additionalProperties: false,
    },
    spApiEndpoint: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048, description: "SP-API base URL (default: Amazon's endpoint of the region)" },
    lwaEndpoint: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048, description: 'LWA token URL (default: https://api.amazon.com/auth/o2/token)' },
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
  required: ['sellerId', 'region', 'marketplaceId', 'credentials'],
};

/** Checks beyond the schema: the marketplace must exist and belong to the region. */
export function validateSettings(s: AmazonMfnSettings): string[] {
  const m = findMarketplace(s.marketplaceId);
  if (!m) return [`settings.marketplaceId "${s.marketplaceId}" is not an Amazon marketplace ID`];
  if (m.region !== s.region) return [`settings.marketplaceId ${s.marketplaceId} (${m.country}) belongs to the ${m.region} region, not ${s.region}`];
  return [];
}

/** Where a channel's listings live: EU quantities are one per seller + SKU across every EU marketplace. */
export function identify(s: AmazonMfnSettings): ChannelIdentity {
  return { marketplaceId: s.marketplaceId, quantityPool: quantityPoolOf(s.sellerId, s.marketplaceId), accountId: s.sellerId };
}
