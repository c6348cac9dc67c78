import type { AmazonSandbox } from '../src';
import { call, DE, seed, start, token, UK, US } from './http';

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('sandbox: Orders API 2026-01-01 and what placing an order does to the listing', () => {
  let sb: AmazonSandbox;
  afterEach(() => sb.close());

  it('validates searchOrders, pages with paginationToken, filters, and getOrder answers one order', async () => {
    sb = await start({ rateLimits: 'off', ordersPageSize: 2 });
    seed(sb);
    const t = await token(sb);
    const search = (q: string) => call(sb, 'GET', `/orders/2026-01-01/orders?${q}`, { token: t });
    expect((await search(`marketplaceIds=${US}`)).status).toBe(400); // neither window
    expect((await search(`createdAfter=${ago(10)}&lastUpdatedAfter=${ago(10)}`)).status).toBe(400);
    expect((await search(`lastUpdatedAfter=${ago(10)}&lastUpdatedBefore=${ago(1)}`)).status).toBe(400); // less than two minutes ago
    expect((await search(`createdAfter=${ago(10)}&fulfillmentStatuses=Unshipped`)).status).toBe(400); // v0 word
    expect((await search(`createdAfter=${ago(10)}&includedData=NOPE`)).status).toBe(400);
    expect((await search('paginationToken=nope')).status).toBe(400);
    for (let i = 0; i < 3; i++) {
      sb.admin.upsertOrders({ sellerId: 'SELLER1', amazonOrderId: `111-000000${i}-0000000`, marketplaceId: US, fulfillmentChannel: i === 1 ? 'AFN' : 'MFN', purchaseDate: ago(30 - i), lastUpdateDate: ago(30 - i), items: [{ sku: 'Z', quantity: i + 1 }] });
    }
    const first = await search(`createdAfter=${ago(60)}&marketplaceIds=${US}&includedData=FULFILLMENT`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-amzn-ratelimit-limit')).toBeNull(); // rate limits off
    expect(first.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['111-0000000-0000000', '111-0000001-0000000']);
    expect(first.body.orders[0]).toMatchObject({
      salesChannel: { channelName: 'AMAZON', marketplaceId: US },
      fulfillment: { fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT' },
      orderItems: [{ quantityOrdered: 1, product: { sellerSku: 'Z' } }],
    });
    const second = await search(`paginationToken=${encodeURIComponent(first.body.pagination.nextToken)}`);
    expect(second.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['111-0000002-0000000']);
    expect(second.body.pagination).toBeUndefined();
    const merchantOnly = await search(`createdAfter=${ago(60)}&fulfilledBy=MERCHANT&maxResultsPerPage=10`);
    expect(merchantOnly.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['111-0000000-0000000', '111-0000002-0000000']);

    await call(sb, 'PATCH', '/_sandbox/orders/111-0000002-0000000', { json: { fulfillmentStatus: 'CANCELLED', lastUpdateDate: ago(5) } });
    const updated = await search(`lastUpdatedAfter=${ago(10)}&lastUpdatedBefore=${ago(3)}&fulfillmentStatuses=CANCELLED&includedData=FULFILLMENT`);
    expect(updated.body.orders.map((o: { orderId: string; fulfillment: { fulfillmentStatus: string } }) => [o.orderId, o.fulfillment.fulfillmentStatus])).toEqual([['111-0000002-0000000', 'CANCELLED']]);
    const one = await call(sb, 'GET', '/orders/2026-01-01/orders/111-0000001-0000000?includedData=FULFILLMENT', { token: t });
    expect(one.body.order).toMatchObject({ orderId: '111-0000001-0000000', fulfillment: { fulfilledBy: 'AMAZON' } });
    expect((await call(sb, 'GET', '/orders/2026-01-01/orders/999-0000000-0000000', { token: t })).status).toBe(404);
    const admin = await call(sb, 'GET', '/_sandbox/orders?sellerId=SELLER1');
    expect(admin.body.orders.find((o: { amazonOrderId: string }) => o.amazonOrderId === '111-0000002-0000000')).toMatchObject({ fulfillmentStatus: 'CANCELLED', orderStatus: 'Canceled' });
  });

  it("answers 429 with x-amzn-RateLimit-Limit past searchOrders' burst of 20 (0.0056/s), per operation", async () => {
    sb = await start();
    seed(sb);
    const t = await token(sb);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await call(sb, 'GET', `/orders/2026-01-01/orders?createdAfter=${ago(10)}`, { token: t })).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const throttled = await call(sb, 'GET', `/orders/2026-01-01/orders?createdAfter=${ago(10)}`, { token: t });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-ratelimit-limit')).toBe('0.0056');
    // getOrder has its own bucket (0.5/s, burst 30): not spent by searchOrders.
    sb.admin.upsertOrders({ sellerId: 'SELLER1', amazonOrderId: '111-0000009-0000000', marketplaceId: US, items: [{ sku: 'Z', quantity: 1 }] });
    const one = await call(sb, 'GET', '/orders/2026-01-01/orders/111-0000009-0000000', { token: t });
    expect(one.status).toBe(200);
    expect(one.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
  });

  it("takes an MFN order's units off the listing at once (EU: the seller + SKU pool), puts them back on cancel; AFN and NA elsewhere untouched", async () => {
    sb = await start({ rateLimits: 'off' });
    seed(sb);
    sb.admin.seedListings([
      { sellerId: 'SELLER1', sku: 'MUG', marketplaceId: UK, quantity: 10 },
      { sellerId: 'SELLER1', sku: 'MUG', marketplaceId: DE, quantity: 10 },
      { sellerId: 'SELLER1', sku: 'MUG', marketplaceId: US, quantity: 10 },
    ]);
    const qty = (marketplaceId: string) => sb.admin.quantities({ sellerId: 'SELLER1', sku: 'MUG', marketplaceId })[0]['quantity'];
    // An order placed on amazon.de takes from the one EU pool the UK listing shows too.
    await call(sb, 'POST', '/_sandbox/orders', { json: { sellerId: 'SELLER1', amazonOrderId: '302-0000001-0000001', marketplaceId: DE, items: [{ sku: 'MUG', quantity: 4 }] } });
    expect([qty(UK), qty(DE), qty(US)]).toEqual([6, 6, 10]);
    // Upserting the same order again takes nothing twice; AFN orders are Amazon's stock.
    await call(sb, 'POST', '/_sandbox/orders', { json: { sellerId: 'SELLER1', amazonOrderId: '302-0000001-0000001', marketplaceId: DE, items: [{ sku: 'MUG', quantity: 4 }] } });
    await call(sb, 'POST', '/_sandbox/orders', { json: { sellerId: 'SELLER1', amazonOrderId: '302-0000002-0000002', marketplaceId: UK, fulfillmentChannel: 'AFN', items: [{ sku: 'MUG', quantity: 3 }] } });
    expect(qty(UK)).toBe(6);
    // More than the listing shows: it stops at 0.
    await call(sb, 'POST', '/_sandbox/orders', { json: { sellerId: 'SELLER1', amazonOrderId: '102-0000003-0000003', marketplaceId: US, items: [{ sku: 'MUG', quantity: 12 }] } });
    expect(qty(US)).toBe(0);
    await call(sb, 'POST', '/_sandbox/orders/302-0000001-0000001/cancel');
    expect([qty(UK), qty(US)]).toEqual([10, 0]);
    // Cancelling twice puts nothing back twice.
    await call(sb, 'PATCH', '/_sandbox/orders/302-0000001-0000001', { json: { fulfillmentStatus: 'CANCELLED' } });
    expect(qty(UK)).toBe(10);
    expect((await call(sb, 'PATCH', '/_sandbox/orders/302-0000001-0000001', { json: { fulfillmentStatus: 'Nope' } })).status).toBe(400);
  });

  it('onlyIfAvailable places an order only when the listing shows its quantity, as a buyer on Amazon', async () => {
    sb = await start({ rateLimits: 'off' });
    seed(sb);
    sb.admin.seedListings([{ sellerId: 'SELLER1', sku: 'CUP', marketplaceId: US, quantity: 3 }]);
    const qty = () => sb.admin.quantities({ sellerId: 'SELLER1', sku: 'CUP', marketplaceId: US })[0]['quantity'];
    const order = (id: string, quantity: number, sku = 'CUP') =>
      call(sb, 'POST', '/_sandbox/orders', { json: { sellerId: 'SELLER1', amazonOrderId: id, marketplaceId: US, onlyIfAvailable: true, items: [{ sku, quantity }] } });
    expect((await order('113-0000001-0000001', 2)).body.orders).toHaveLength(1);
    expect((await order('113-0000002-0000002', 2)).body.orders).toEqual([]); // shows 1
    expect((await order('113-0000003-0000003', 1, 'NO-LISTING')).body.orders).toEqual([]);
    expect(qty()).toBe(1);
    expect((await order('113-0000004-0000004', 1)).body.orders).toHaveLength(1);
    expect(qty()).toBe(0);
    expect([...sb.state.orders.keys()].filter((id) => id.startsWith('113-')).sort()).toEqual(['113-0000001-0000001', '113-0000004-0000004']);
  });
});
