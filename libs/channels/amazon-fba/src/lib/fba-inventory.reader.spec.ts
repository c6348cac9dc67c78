// Test-only dependency on the SP-API sandbox (an independent stand-in for Amazon).
import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { NextTokenExpiredError, RateLimiter, SpApiClient } from '@invsync/amazon-spapi';
import type { InventorySummary } from '@invsync/amazon-spapi';
import { readFbaInventory, toRemoteQuantity } from './fba-inventory.reader';

const UK = 'A1F83G8C2ARO7P';
const DE = 'A1PA6795UKMFR9';
const creds = { clientId: 'cid-fba', clientSecret: 'cs-fba-secret', refreshToken: 'rt-fba-secret' };

describe('FBA inventory read', () => {
  let sb: AmazonSandbox;
  const client = () =>
    new SpApiClient({
      sellerId: 'SFBA',
      region: 'EU',
      credentials: creds,
      spApiEndpoint: sb.url,
      lwaEndpoint: `${sb.url}/auth/o2/token`,
      rateLimiter: new RateLimiter(),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, rateLimits: 'off', inventoryPageSize: 3 });
    sb.admin.seedSellers({ sellerId: 'SFBA', regions: ['EU'], ...creds });
    sb.admin.seedFba(
      Array.from({ length: 10 }, (_, i) => ({
        sellerId: 'SFBA',
        marketplaceId: UK,
        sku: `FBA-${String(i).padStart(2, '0')}`,
        fulfillable: i * 3,
        reserved: i,
        inboundWorking: 1,
        inboundShipped: 2,
        inboundReceiving: i % 2,
        unfulfillable: i % 3,
      })),
    );
    // Another marketplace of the same seller: not part of the UK read.
    sb.admin.seedFba({ sellerId: 'SFBA', marketplaceId: DE, sku: 'FBA-DE', fulfillable: 99 });
  });
  afterAll(() => sb?.close());
  beforeEach(() => {
    sb.config.inventoryNextTokenTtlMs = 30_000;
    sb.admin.clearCalls();
  });

  it('maps a summary: fulfillable is the quantity; reserved, inbound (working + shipped + receiving), unfulfillable beside it', () => {
    const s = {
      sellerSku: 'A',
      inventoryDetails: {
        fulfillableQuantity: 7,
        inboundWorkingQuantity: 1,
        inboundShippedQuantity: 2,
        inboundReceivingQuantity: 3,
        reservedQuantity: { totalReservedQuantity: 4 },
        unfulfillableQuantity: { totalUnfulfillableQuantity: 5 },
      },
    } as InventorySummary;
    expect(toRemoteQuantity(s, UK)).toEqual({ sku: 'A', marketplaceId: UK, quantity: 7, fulfilment: 'channel', details: { reserved: 4, inbound: 6, unfulfillable: 5 } });
    expect(toRemoteQuantity({ sellerSku: 'A' } as InventorySummary, UK)).toBeUndefined();
    expect(toRemoteQuantity({ inventoryDetails: {} } as InventorySummary, UK)).toBeUndefined();
  });

  it('reads every page of the marketplace with details=true', async () => {
    const read = await readFbaInventory(client(), UK);
    expect(read.pages).toBe(4);
    expect(read.restarts).toBe(0);
    expect(read.quantities.map((q) => q.sku)).toEqual(Array.from({ length: 10 }, (_, i) => `FBA-${String(i).padStart(2, '0')}`));
    expect(read.quantities[5]).toEqual({ sku: 'FBA-05', marketplaceId: UK, quantity: 15, fulfilment: 'channel', details: { reserved: 5, inbound: 4, unfulfillable: 2 } });
    const calls = sb.admin.calls({ operation: 'getInventorySummaries' });
    expect(calls).toHaveLength(4);
    for (const c of calls) expect(c.marketplaceIds).toEqual([UK]);
    // The sandbox sends inventoryDetails only when asked with details=true.
    expect(read.withoutDetails).toBe(0);
  });

  it('starts the walk again when a nextToken has expired, instead of failing', async () => {
    // Injected expiry: the first token handed out this read is already expired.
    const tokens = sb.state.pageTokens;
    const set = tokens.set.bind(tokens);
    let first = true;
    tokens.set = (k, v) => {
      const out = set(k, first ? { ...v, expiresAt: 0 } : v);
      first = false;
      return out;
    };
    try {
      const read = await readFbaInventory(client(), UK);
      expect(read.restarts).toBe(1);
      expect(read.quantities).toHaveLength(10);
      expect(sb.admin.calls({ operation: 'getInventorySummaries', status: 400 })).toHaveLength(1);
    } finally {
      tokens.set = set;
    }
  });

  it('gives up after the allowed number of restarts when every token expires', async () => {
    sb.config.inventoryNextTokenTtlMs = 0;
    await expect(readFbaInventory(client(), UK, { maxRestarts: 2 })).rejects.toBeInstanceOf(NextTokenExpiredError);
    // 3 walks, each: first page OK, second refused.
    expect(sb.admin.calls({ operation: 'getInventorySummaries' })).toHaveLength(6);
  });
});
