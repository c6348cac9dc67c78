import { InvalidInputError, RateLimiter, rateLimitKey, ThrottledError } from '../src';
import { clientFor, sandbox, seedSeller, NA_US, EU_UK, type AmazonSandbox } from './support/sandbox';

describe('Orders API 2026-01-01 against the sandbox', () => {
  let sb: AmazonSandbox;
  afterEach(() => sb.close());
  const t = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  it('pages searchOrders with items, filters by fulfilment, shows cancellations by lastUpdatedAfter, and gets one order', async () => {
    sb = await sandbox({ rateLimits: 'off' });
    seedSeller(sb, 'ORD');
    for (let i = 0; i < 5; i++) {
      sb.admin.upsertOrders({
        sellerId: 'ORD',
        amazonOrderId: `111-000000${i}-0000000`,
        marketplaceId: NA_US,
        fulfillmentChannel: i % 2 ? 'AFN' : 'MFN',
        purchaseDate: t(60 - i),
        lastUpdateDate: t(60 - i),
        items: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }],
      });
    }
    const c = clientFor(sb, 'ORD', { region: 'NA' });
    const pages = [];
    for await (const p of c.orders.searchOrderPages({ marketplaceIds: [NA_US], createdAfter: t(120), maxResultsPerPage: 2, includedData: ['FULFILLMENT'] })) pages.push(p);
    expect(pages.map((p) => p.orders.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.orders.map((o) => o.fulfillment?.fulfilledBy))).toEqual(['MERCHANT', 'AMAZON', 'MERCHANT', 'AMAZON', 'MERCHANT']);
    expect(pages[0].orders[0].orderItems.map((i) => [i.product.sellerSku, i.quantityOrdered])).toEqual([['A', 1], ['B', 2]]);
    // Without includedData=FULFILLMENT Amazon leaves the section out.
    expect((await c.orders.searchOrders({ marketplaceIds: [NA_US], createdAfter: t(120) })).orders[0].fulfillment).toBeUndefined();

    const merchant = await c.orders.searchOrders({ marketplaceIds: [NA_US], createdAfter: t(120), fulfilledBy: ['MERCHANT'], fulfillmentStatuses: ['UNSHIPPED'] });
    expect(merchant.orders.map((o) => o.orderId)).toEqual(['111-0000000-0000000', '111-0000002-0000000', '111-0000004-0000000']);

    sb.admin.updateOrder('111-0000002-0000000', { orderStatus: 'Canceled', lastUpdateDate: t(5) });
    const updated = await c.orders.searchOrders({ marketplaceIds: [NA_US], lastUpdatedAfter: t(10), lastUpdatedBefore: t(3), includedData: ['FULFILLMENT'] });
    expect(updated.orders.map((o) => [o.orderId, o.fulfillment?.fulfillmentStatus])).toEqual([['111-0000002-0000000', 'CANCELLED']]);

    const one = await c.orders.getOrder('111-0000004-0000000', ['FULFILLMENT']);
    expect(one).toMatchObject({ orderId: '111-0000004-0000000', fulfillment: { fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT' } });
  });

  it("refuses what Amazon refuses: a window ending less than two minutes ago, both window kinds, an unknown page token", async () => {
    sb = await sandbox({ rateLimits: 'off' });
    seedSeller(sb, 'BAD');
    const c = clientFor(sb, 'BAD');
    await expect(c.orders.searchOrders({ marketplaceIds: [EU_UK], lastUpdatedAfter: t(10), lastUpdatedBefore: t(1) })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(c.orders.searchOrders({ marketplaceIds: [EU_UK], lastUpdatedAfter: t(10), createdAfter: t(10) })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(c.orders.searchOrders({ marketplaceIds: [EU_UK], paginationToken: 'nope' })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("answers 429 past searchOrders' burst of 20 with Amazon's rate header, and the client retunes to it", async () => {
    sb = await sandbox();
    seedSeller(sb, 'RATE');
    const limiter = new RateLimiter();
    const c = clientFor(sb, 'RATE', { rateLimiter: limiter, retry: { maxAttempts: 1 }, rateLimits: { searchOrders: { rate: 1000, burst: 1000 } } });
    for (let i = 0; i < 20; i++) await c.orders.searchOrders({ marketplaceIds: [EU_UK], createdAfter: t(10) });
    const err = await c.orders.searchOrders({ marketplaceIds: [EU_UK], createdAfter: t(10) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(limiter.inspect(rateLimitKey('RATE', 'EU', 'searchOrders'))?.rate).toBe(0.0056);
    expect(sb.admin.calls({ sellerId: 'RATE', operation: 'searchOrders' }).map((x) => x.status).filter((s) => s === 429)).toHaveLength(1);
  });
});
