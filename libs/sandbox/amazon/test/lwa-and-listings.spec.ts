import type { AmazonSandbox } from '../src';
import { call, seed, start, token, UK, DE, FR, US, CA } from './http';

describe('sandbox: LWA and Listings Items', () => {
  let sb: AmazonSandbox;
  let t: string;
  beforeEach(async () => {
    sb = await start({ rateLimits: 'off' });
    seed(sb);
    t = await token(sb);
  });
  afterEach(() => sb.close());

  it('answers unknown refresh tokens and bad clients with LWA error shapes', async () => {
    const bad = await call(sb, 'POST', '/auth/o2/token', { form: { grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'cid-SELLER1', client_secret: 'sec-SELLER1' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    const client = await call(sb, 'POST', '/auth/o2/token', { form: { grant_type: 'refresh_token', refresh_token: 'rt-SELLER1', client_id: 'cid-SELLER1', client_secret: 'wrong' } });
    expect(client.status).toBe(401);
    expect(client.body.error).toBe('invalid_client');
    const ok = await call(sb, 'POST', '/auth/o2/token', { json: { grant_type: 'refresh_token', refresh_token: 'rt-SELLER1', client_id: 'cid-SELLER1', client_secret: 'sec-SELLER1' } });
    expect(ok.body).toEqual({ access_token: expect.stringMatching(/^Atza\|/), refresh_token: 'rt-SELLER1', token_type: 'bearer', expires_in: 3600 });
  });

  it('requires a valid, unexpired x-amz-access-token and the token seller', async () => {
    sb.admin.seedListings({ sellerId: 'SELLER1', sku: 'X', marketplaceId: UK, quantity: 1 });
    expect((await call(sb, 'GET', `/listings/2021-08-01/items/SELLER1/X?marketplaceIds=${UK}`)).status).toBe(403);
    expect((await call(sb, 'GET', `/listings/2021-08-01/items/OTHER/X?marketplaceIds=${UK}`, { token: t })).status).toBe(403);
    expect((await call(sb, 'GET', `/listings/2021-08-01/items/SELLER1/X?marketplaceIds=${UK}`, { token: t })).status).toBe(200);
    sb.admin.expireAccessTokens();
    const expired = await call(sb, 'GET', `/listings/2021-08-01/items/SELLER1/X?marketplaceIds=${UK}`, { token: t });
    expect(expired.status).toBe(403);
    expect(expired.body.errors[0]).toEqual({ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: expect.stringMatching(/expired/) });
  });

  const patch = (sku: string, mps: string[], op: string, value: Record<string, unknown>) =>
    call(sb, 'PATCH', `/listings/2021-08-01/items/SELLER1/${encodeURIComponent(sku)}?marketplaceIds=${mps.join(',')}`, {
      token: t,
      json: { productType: 'PRODUCT', patches: [{ op, path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', ...value }] }] },
    });

  it('keeps one EU quantity per seller and SKU whatever marketplace is sent; NA per marketplace', async () => {
    sb.admin.seedListings([
      { sellerId: 'SELLER1', sku: 'EU-1', marketplaceId: UK, quantity: 5 },
      { sellerId: 'SELLER1', sku: 'EU-1', marketplaceId: DE },
      { sellerId: 'SELLER1', sku: 'EU-1', marketplaceId: FR },
      { sellerId: 'SELLER1', sku: 'EU-1', marketplaceId: US, quantity: 1 },
      { sellerId: 'SELLER1', sku: 'EU-1', marketplaceId: CA, quantity: 2 },
    ]);
    expect((await patch('EU-1', [DE], 'merge', { quantity: 11 })).body.status).toBe('ACCEPTED');
    const q = (mp: string) => sb.admin.quantities({ sellerId: 'SELLER1', sku: 'EU-1', marketplaceId: mp })[0]?.['quantity'];
    expect([q(UK), q(DE), q(FR)]).toEqual([11, 11, 11]);
    expect([q(US), q(CA)]).toEqual([1, 2]);
    await patch('EU-1', [US], 'merge', { quantity: 4 });
    expect([q(US), q(CA), q(UK)]).toEqual([4, 2, 11]);
  });

  it('merge keeps lead time and restock date; replace drops them', async () => {
    sb.admin.seedListings({ sellerId: 'SELLER1', sku: 'L 1/#', marketplaceId: UK, quantity: 5, leadTimeToShipMaxDays: 7, restockDate: '2030-01-01' });
    await patch('L 1/#', [UK], 'merge', { quantity: 3 });
    expect(sb.admin.quantities({ sku: 'L 1/#' })[0]).toMatchObject({ quantity: 3, leadTimeToShipMaxDays: 7, restockDate: '2030-01-01' });
    await patch('L 1/#', [UK], 'replace', { quantity: 2 });
    expect(sb.admin.quantities({ sku: 'L 1/#' })[0]).toMatchObject({ quantity: 2, leadTimeToShipMaxDays: null, restockDate: null });
    const item = await call(sb, 'GET', `/listings/2021-08-01/items/SELLER1/${encodeURIComponent('L 1/#')}?marketplaceIds=${UK}&includedData=fulfillmentAvailability,attributes`, { token: t });
    expect(item.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 2 }]);
  });

  it('answers INVALID for unknown and fault-injected SKUs, 400 for bad requests', async () => {
    sb.admin.seedListings({ sellerId: 'SELLER1', sku: 'BAD', marketplaceId: UK, quantity: 5 });
    sb.admin.markSkusInvalid(['BAD']);
    const bad = await patch('BAD', [UK], 'merge', { quantity: 1 });
    expect(bad.body).toMatchObject({ sku: 'BAD', status: 'INVALID', issues: [expect.objectContaining({ severity: 'ERROR' })] });
    expect(sb.admin.quantities({ sku: 'BAD' })[0]?.['quantity']).toBe(5);
    expect((await patch('MISSING', [UK], 'merge', { quantity: 1 })).body.status).toBe('INVALID');
    expect((await patch('BAD', [UK], 'merge', { quantity: -1 })).body.status).toBe('INVALID');
    const noMp = await call(sb, 'PATCH', `/listings/2021-08-01/items/SELLER1/BAD`, { token: t, json: { productType: 'PRODUCT', patches: [] } });
    expect(noMp.status).toBe(400);
    expect(noMp.body.errors[0].code).toBe('InvalidInput');
  });

  it('searches listings with paging', async () => {
    for (let i = 0; i < 5; i++) sb.admin.seedListings({ sellerId: 'SELLER1', sku: `S-${i}`, marketplaceId: UK, quantity: i });
    const p1 = await call(sb, 'GET', `/listings/2021-08-01/items/SELLER1?marketplaceIds=${UK}&pageSize=2&includedData=summaries,fulfillmentAvailability`, { token: t });
    expect(p1.body.numberOfResults).toBe(5);
    expect(p1.body.items.map((i: { sku: string }) => i.sku)).toEqual(['S-0', 'S-1']);
    const p2 = await call(sb, 'GET', `/listings/2021-08-01/items/SELLER1?marketplaceIds=${UK}&pageSize=2&pageToken=${p1.body.pagination.nextToken}`, { token: t });
    expect(p2.body.items.map((i: { sku: string }) => i.sku)).toEqual(['S-2', 'S-3']);
  });
});
