import type { JsonSchema } from '@invsync/plugin-api';
import { type AmazonRegion, findMarketplace, isAmazonRegion } from './marketplaces';

/** The settings every Amazon channel type has: which seller, where, and how to reach SP-API. */
export interface AmazonAccountSettings {
  sellerId: string;
  region: AmazonRegion;
  marketplaceId: string;
  /** Secret: encrypted at rest by the host, never returned or logged. */
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  /** SP-API base URL; default Amazon's endpoint of the region (the sandbox's URL for local runs). */
  spApiEndpoint?: string;
  /** LWA token URL; default https://api.amazon.com/auth/o2/token. */
  lwaEndpoint?: string;
}

/** JSON-schema properties of AmazonAccountSettings, for a plugin's settings schema. */
export const AMAZON_ACCOUNT_SETTINGS_PROPERTIES: Record<keyof AmazonAccountSettings, JsonSchema> = {
  sellerId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9]+$', description: 'Amazon selling partner (merchant) ID' },
  region: { type: 'string', enum: ['NA', 'EU', 'FE'], description: 'SP-API region of the marketplace' },
  marketplaceId: { type: 'string', minLength: 1, maxLength: 32, description: 'Amazon marketplace ID, e.g. A1F83G8C2ARO7P (UK); must belong to the region' },
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
};

export const AMAZON_ACCOUNT_SETTINGS_REQUIRED: (keyof AmazonAccountSettings)[] = ['sellerId', 'region', 'marketplaceId', 'credentials'];

/** Checks beyond the schema: the marketplace must exist and belong to the region; endpoints must be http(s) URLs. */
export function checkAmazonAccountSettings(s: AmazonAccountSettings): string[] {
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
