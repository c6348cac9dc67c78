import type { AmazonSandbox } from '../src';
import { call, seed, sleep, start, token, UK, US } from './http';

describe('sandbox: admin routes, rate limits, faults, inventory, orders, reports', () => {
  let sb: AmazonSandbox;
  afterEach(() => sb.close());

  it('seeds over /_sandbox and answers 429 with Amazon body and x-amzn-RateLimit-Limit per seller and operation', async () => {
    sb = await start();
    for (const id of ['A', 'B']) {
      const r = await call(sb, 'POST', '/_sandbox/sellers', { json: { sellerId: id, region: 'EU', refreshToken: `rt-${id}`, clientId: `cid-${id}`, clientSecret: `sec-${id}` } });
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(`sec-${id}`);
    }
    expect((await call(sb, 'POST', '/_sandbox/listings', { json: [{ sellerId: 'A', sku: 'X', marketplaceId: UK, quantity: 1 }, { sellerId: 'B', sku: 'X', marketplaceId: UK, quantity: 1 }] })).body).toEqual({ seeded: 2 });
    expect((await call(sb, 'POST', '/_sandbox/listings', { json: { sellerId: 'NOPE', sku: 'X', marketplaceId: UK } })).status).toBe(400);
    const [ta, tb] = [await token(sb, 'A'), await token(sb, 'B')];
    const get = (t: string, s: string) => call(sb, 'GET', `/listings/2021-08-01/items/${s}/X?marketplaceIds=${UK}`, { token: t });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await get(ta, 'A')).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true); // getListingsItem: burst 10
    const throttled = await get(ta, 'A');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-ratelimit-limit')).toBe('5');
    expect(throttled.body).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
    expect((await get(tb, 'B')).status).toBe(200); // another seller's bucket
    const log = await call(sb, 'GET', '/_sandbox/calls?operation=getListingsItem&sellerId=A&status=429');
    expect(log.body.total).toBeGreaterThanOrEqual(1);
    expect(log.body.calls[0]).toMatchObject({ method: 'GET', operation: 'getListingsItem', sellerId: 'A', sku: 'X', marketplaceIds: [UK], status: 429 });
    await call(sb, 'DELETE', '/_sandbox/calls');
    expect((await call(sb, 'GET', '/_sandbox/calls')).body.total).toBe(0);
  });

  it('injects 500 / timeout faults for the next N calls, and INVALID SKUs', async () => {
    sb = await start({ rateLimits: 'off' });
    seed(sb);
    sb.admin.seedListings({ sellerId: 'SELLER1', sku: 'X', marketplaceId: UK, quantity: 1 });
    const t = await token(sb);
    await call(sb, 'POST', '/_sandbox/faults', { json: { kind: '500', count: 2, operation: 'getListingsItem' } });
    const path = `/listings/2021-08-01/items/SELLER1/X?marketplaceIds=${UK}`;
    expect([(await call(sb, 'GET', path, { token: t })).status, (await call(sb, 'GET', path, { token: t })).status, (await call(sb, 'GET', path, { token: t })).status]).toEqual([500, 500, 200]);
    await call(sb, 'POST', '/_sandbox/faults', { json: { kind: 'timeout', count: 1, hangMs: 50 } });
    await expect(fetch(`${sb.url}${path}`, { headers: { 'x-amz-access-token': t } })).rejects.toThrow();
    expect(sb.admin.calls({ status: 0 })).toHaveLength(1);
    await call(sb, 'POST', '/_sandbox/faults/invalid-skus', { json: { skus: ['X'] } });
    const patch = await call(sb, 'PATCH', `/listings/2021-08-01/items/SELLER1/X?marketplaceIds=${UK}`, {
      token: t,
      json: { productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] }] },
    });
    expect(patch.body.status).toBe('INVALID');
    expect((await call(sb, 'GET', '/_sandbox/faults')).body.invalidSkus).toEqual([{ sku: 'X', sellerId: '*' }]);
    await call(sb, 'DELETE', '/_sandbox/faults');
    expect((await call(sb, 'GET', '/_sandbox/quantities?sellerId=SELLER1')).body.quantities[0]).toMatchObject({ sku: 'X', quantity: 1, region: 'EU', marketplaceId: null });
  });

  it('pages FBA summaries and refuses expired or foreign nextTokens the way Amazon does', async () => {
    sb = await start({ rateLimits: 'off', inventoryPageSize: 2, inventoryNextTokenTtlMs: 60 });
    seed(sb);
    await call(sb, 'POST', '/_sandbox/fba-inventory', { json: [0, 1, 2].map((i) => ({ sellerId: 'SELLER1', marketplaceId: US, sku: `F${i}`, fulfillable: i })) });
    const t = await token(sb);
    const q = `/fba/inventory/v1/summaries?details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`;
    const p1 = await call(sb, 'GET', q, { token: t });
    expect(p1.body.payload.inventorySummaries.map((s: { sellerSku: string }) => s.sellerSku)).toEqual(['F0', 'F1']);
    await sleep(100);
    const expired = await call(sb, 'GET', `${q}&nextToken=${encodeURIComponent(p1.body.pagination.nextToken)}`, { token: t });
    expect(expired.status).toBe(400);
    expect(expired.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: 'Next token is invalid or expired' });
    expect((await call(sb, 'GET', q.replace('granularityType=Marketplace&', ''), { token: t })).status).toBe(400);
  });

  it('validates getOrders parameters, pages, and shows cancellations by LastUpdatedAfter', async () => {
    sb = await start({ rateLimits: 'off' });
    seed(sb);
    const t = await token(sb);
    expect((await call(sb, 'GET', `/orders/v0/orders?MarketplaceIds=${US}`, { token: t })).status).toBe(400);
    expect((await call(sb, 'GET', `/orders/v0/orders?CreatedAfter=2020-01-01`, { token: t })).status).toBe(400);
    await call(sb, 'POST', '/_sandbox/orders', { json: { sellerId: 'SELLER1', amazonOrderId: '111-1111111-1111111', marketplaceId: US, fulfillmentChannel: 'AFN', items: [{ sku: 'Z', quantity: 2 }] } });
    const mark = new Date().toISOString();
    await sleep(5);
    await call(sb, 'POST', '/_sandbox/orders/111-1111111-1111111/cancel');
    const r = await call(sb, 'GET', `/orders/v0/orders?MarketplaceIds=${US}&LastUpdatedAfter=${mark}`, { token: t });
    expect(r.body.payload.Orders).toEqual([expect.objectContaining({ AmazonOrderId: '111-1111111-1111111', OrderStatus: 'Canceled', FulfillmentChannel: 'AFN' })]);
    const items = await call(sb, 'GET', '/orders/v0/orders/111-1111111-1111111/orderItems', { token: t });
    expect(items.body.payload.OrderItems[0]).toMatchObject({ SellerSKU: 'Z', QuantityOrdered: 2 });
  });

  it('seeds the demo seller (SANDBOX_SEED=demo)', async () => {
    sb = await start({ seed: 'demo' });
    const t = await call(sb, 'POST', '/auth/o2/token', { form: { grant_type: 'refresh_token', refresh_token: 'demo-refresh-token', client_id: 'demo-client', client_secret: 'demo-secret' } });
    const mp = await call(sb, 'GET', '/sellers/v1/marketplaceParticipations', { token: t.body.access_token });
    expect(mp.body.payload.map((p: { marketplace: { countryCode: string } }) => p.marketplace.countryCode)).toEqual(expect.arrayContaining(['GB', 'DE', 'US']));
    expect(sb.admin.quantities({ sellerId: 'A1DEMOSELLER', sku: 'DEMO-MUG-RED' }).length).toBe(2); // EU pool + US
    // The demo orders took their units off at once: 12 - 2 red mugs in the EU pool; 8 - 1 of the Amazon-only SKU.
    expect(sb.admin.quantities({ sellerId: 'A1DEMOSELLER', sku: 'DEMO-MUG-RED', marketplaceId: UK })[0]).toMatchObject({ quantity: 10 });
    expect(sb.admin.quantities({ sellerId: 'A1DEMOSELLER', sku: 'AMZ-GREEN-MUG-01', marketplaceId: UK })[0]).toMatchObject({ quantity: 7 });
  });
});
