/** Amazon SP-API regions, their endpoints and marketplaces (domain.md section 3). */

export type AmazonRegion = 'NA' | 'EU' | 'FE';

export interface AmazonMarketplace {
  readonly id: string;
  /** ISO country code as Amazon uses it (UK for the United Kingdom). */
  readonly country: string;
  readonly region: AmazonRegion;
}

export const AMAZON_REGIONS: readonly AmazonRegion[] = ['NA', 'EU', 'FE'];

export const SP_API_ENDPOINTS: Readonly<Record<AmazonRegion, string>> = {
  NA: 'https://sellingpartnerapi-na.amazon.com',
  EU: 'https://sellingpartnerapi-eu.amazon.com',
  FE: 'https://sellingpartnerapi-fe.amazon.com',
};

/** Login with Amazon token endpoint (the same for every region). */
export const DEFAULT_LWA_ENDPOINT = 'https://api.amazon.com/auth/o2/token';

const table: Array<[AmazonRegion, string, string]> = [
  ['NA', 'CA', 'A2EUQ1WTGCTBG2'],
  ['NA', 'US', 'ATVPDKIKX0DER'],
  ['NA', 'MX', 'A1AM78C64UM0Y8'],
  ['NA', 'BR', 'A2Q3Y263D00KWC'],
  ['EU', 'IE', 'A28R8C7NBKEWEA'],
  ['EU', 'ES', 'A1RKKUPIHCS9HS'],
  ['EU', 'UK', 'A1F83G8C2ARO7P'],
  ['EU', 'FR', 'A13V1IB3VIYZZH'],
  ['EU', 'BE', 'AMEN7PMS3EDWL'],
  ['EU', 'NL', 'A1805IZSGTT6HS'],
  ['EU', 'DE', 'A1PA6795UKMFR9'],
  ['EU', 'IT', 'APJ6JRA9NG5V4'],
  ['EU', 'SE', 'A2NODRKZP88ZB9'],
  ['EU', 'ZA', 'AE08WJ6YKNBMC'],
  ['EU', 'PL', 'A1C3SOZRARQ6R3'],
  ['EU', 'EG', 'ARBP9OOSHTCHU'],
  ['EU', 'TR', 'A33AVAJ2PDY3EV'],
  ['EU', 'SA', 'A17E79C6D8DWNP'],
  ['EU', 'AE', 'A2VIGQ35RCS4UG'],
  ['EU', 'IN', 'A21TJRUUN4KGV'],
  ['FE', 'SG', 'A19VAU5U5O7RUS'],
  ['FE', 'AU', 'A39IBJ37TRP1C6'],
  ['FE', 'JP', 'A1VC38T7YXB528'],
];

export const AMAZON_MARKETPLACES: readonly AmazonMarketplace[] = table.map(([region, country, id]) =>
  Object.freeze({ id, country, region }),
);

const byId = new Map(AMAZON_MARKETPLACES.map((m) => [m.id, m]));

export function findMarketplace(marketplaceId: string): AmazonMarketplace | undefined {
  return byId.get(marketplaceId);
}

/** The region a marketplace belongs to; throws for an unknown marketplace ID. */
export function regionOfMarketplace(marketplaceId: string): AmazonRegion {
  const m = byId.get(marketplaceId);
  if (!m) throw new Error(`Unknown Amazon marketplace ID "${marketplaceId}"`);
  return m.region;
}

export function marketplacesOfRegion(region: AmazonRegion): AmazonMarketplace[] {
  return AMAZON_MARKETPLACES.filter((m) => m.region === region);
}

/** The SP-API endpoint of a region (production). */
export function endpointOfRegion(region: AmazonRegion): string {
  const e = SP_API_ENDPOINTS[region];
  if (!e) throw new Error(`Unknown Amazon region "${region}"`);
  return e;
}

export function isAmazonRegion(value: unknown): value is AmazonRegion {
  return value === 'NA' || value === 'EU' || value === 'FE';
}

/**
 * True for the EU region or an EU marketplace ID. In the EU Amazon ignores the marketplace ID of an
 * inventory update: the quantity belongs to (seller, SKU) in every EU marketplace.
 */
export function isEu(regionOrMarketplaceId: string): boolean {
  if (regionOrMarketplaceId === 'EU') return true;
  return byId.get(regionOrMarketplaceId)?.region === 'EU';
}

/**
 * The key of the pool a quantity belongs to on Amazon: `seller:EU` in the EU (one quantity per seller
 * and SKU across all EU marketplaces), `seller:marketplace` elsewhere.
 */
export function quantityPoolOf(sellerId: string, marketplaceId: string): string {
  return isEu(marketplaceId) ? `${sellerId}:EU` : `${sellerId}:${marketplaceId}`;
}
