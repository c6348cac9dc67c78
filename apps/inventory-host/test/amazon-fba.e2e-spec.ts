import { amazonFbaPlugin } from '@invsync/amazon-fba';
import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { OrderPort } from '../src/plugins/host-ports';
import { recordingPlugin } from './fixtures/recording-plugin';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost } from './support/test-host';
import { runJob, runToSummary } from './support/job-runs';

// The Amazon FBA plugin end to end: the real host (HTTP, SQLite file) and the SP-API sandbox over
// HTTP on 127.0.0.1. The sandbox serves 5 FBA summaries per page and enforces Amazon's rate limits.

const UK = 'A1F83G8C2ARO7P';
const SELLER = 'A1FBAE2ESELLER';
const CREDS = { clientId: 'fba-e2e-client', clientSecret: 'fba-e2e-client-secret-value', refreshToken: 'fba-e2e-refresh-token-value' };
const PULL_JOB = 'amazon-fba.pull-inventory';
const WINDOW = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Live = { listingId: string; sku: string; productId: string; fulfillment: string; quantity: number | null; reserved: number | null; inbound: number | null; unfulfillable: number | null; readAt: string | null; stale?: boolean; status: string; lastError: string | null };
type Discrepancy = { productId: string; sku: string; amazonQuantity: number; warehouseQuantity: number; difference: number; readAt: string; stale: boolean };

describe('amazon-fba plugin end to end (host + SP-API sandbox over HTTP)', () => {
  let sb: AmazonSandbox;
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  let main: { id: string };
  let fbaWh: { id: string };
  let channelId: string;
  /** 12 products connected as FBA listings (SKU = product SKU); more than two pages of 5. */
  const products: { id: string; sku: string }[] = [];
  /** Amazon's fulfillable quantity per product index, as seeded. */
  const amazon = [14, 3, 0, 25, 7, 9, 11, 2, 40, 5, 6, 8];

  const fbaSettings = (extra: Record<string, unknown> = {}) => ({
    sellerId: SELLER,
    region: 'EU',
    marketplaceId: UK,
    credentials: CREDS,
    spApiEndpoint: sb.url,
    lwaEndpoint: `${sb.url}/auth/o2/token`,
    syncInventory: true,
    fbaWarehouseId: fbaWh.id,
    ...extra,
  });


  async function liveAll(id: string): Promise<Live[]> {
    const out: Live[] = [];
    let cursor = '';
    do {
      const page = await inv.live(id, `?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      out.push(...(page.items as unknown as Live[]));
      cursor = page.nextCursor ?? '';
    } while (cursor);
    return out;
  }

  const discrepancies = async (id: string) => (await host.api().get(`/api/v1/channels/${id}/fba-discrepancies`).expect(200)).body as { items: Discrepancy[]; readAt: string | null; stale: boolean; notCompared: { productId: string; reason: string }[]; nextCursor: string | null };
  const fbaMovements = async () => (await host.api().get(`/api/v1/stock-movements?warehouseId=${fbaWh.id}&limit=1000`).expect(200)).body.items as Record<string, unknown>[];
  const inStock = async (productId: string, warehouseId: string) =>
    (((await host.api().get(`/api/v1/products/${productId}/inventory`).expect(200)).body.warehouses as { warehouseId: string; inStock: number }[]).find((w) => w.warehouseId === warehouseId)?.inStock ?? 0);
  /** The sandbox's call log is kept for the whole suite; tests look at the calls after a mark. */
  const mark = () => sb.state.calls.at(-1)?.seq ?? 0;

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, rateLimits: 'amazon', inventoryPageSize: 5, feedProcessingDelayMs: 50 });
    sb.admin.seedSellers({ sellerId: SELLER, regions: ['EU'], ...CREDS });
    host = await startHost({
      plugins: [amazonFbaPlugin, recordingPlugin],
      env: { SCHEDULER: 'off', SYNC_WINDOW_MS: String(WINDOW), SYNC_TICK_MS: '50', SYNC_RETRY_BASE_MS: '100', SYNC_RETRY_CAP_MS: '200', SYNC_CONFIRM_INTERVAL_MS: '100' },
    });
    inv = inventoryApi(host);
    main = await inv.warehouse('MAIN');
    fbaWh = await inv.warehouse('FBA-UK');
  });
  afterAll(async () => {
    await host?.close();
    await sb?.close();
  });

  it('creates an amazon-fba channel: settings checked (marketplace in region), credentials encrypted and never returned, health checked', async () => {
    const wrongRegion = await host.api().post('/api/v1/channels').send({ type: 'amazon-fba', name: 'x', settings: fbaSettings({ region: 'NA' }) }).expect(400);
    expect(JSON.stringify(wrongRegion.body.message)).toMatch(/belongs to the EU region, not NA/);
    await host.api().post('/api/v1/channels').send({ type: 'amazon-fba', name: 'x', settings: fbaSettings({ credentials: { clientId: 'only' } }) }).expect(400);
    const c = await inv.channel(fbaSettings(), 'amazon-fba', 'Amazon UK FBA');
    channelId = c.id;
    expect(c).toMatchObject({ fulfilment: 'channel', fulfillment: 'AFN', marketplaceId: UK, quantityPool: `${SELLER}:${UK}:fba`, accountId: SELLER });
    expect(c.settings['credentials']).toEqual({ set: true });
    const all = JSON.stringify((await host.api().get('/api/v1/channels').expect(200)).body);
    expect(all).not.toContain(CREDS.refreshToken);
    expect(all).not.toContain(CREDS.clientSecret);
    const plugins = (await host.api().get('/api/v1/plugins').expect(200)).body as { id: string; state: string }[];
    expect(plugins.find((p) => p.id === 'amazon-fba')?.state).toBe('active');
    const health = (await host.api().post(`/api/v1/channels/${channelId}/health-check`).expect(200)).body;
    expect(health).toMatchObject({ ok: true });
  });

  it('a pull (all pages, details) puts Amazon quantities in Live Listings with their parts and read time', async () => {
    for (let i = 0; i < amazon.length; i++) products.push(await inv.product(`FBA-E2E-${String(i).padStart(2, '0')}`));
    for (const p of products) await inv.connect(channelId, p.sku, p.id);
    // One connected SKU Amazon does not report, and one Amazon SKU that is not connected.
    const unreported = await inv.product('FBA-E2E-UNREPORTED');
    await inv.connect(channelId, unreported.sku, unreported.id);
    sb.admin.seedFba([
      ...products.map((p, i) => ({ sellerId: SELLER, marketplaceId: UK, sku: p.sku, fulfillable: amazon[i], reserved: i, inboundWorking: 1, inboundShipped: 2, inboundReceiving: i % 3, unfulfillable: i % 2 })),
      { sellerId: SELLER, marketplaceId: UK, sku: 'NOT-CONNECTED', fulfillable: 99 },
    ]);
    const m = mark();
    const before = Date.now();
    const run = await runJob(host, PULL_JOB, 20_000);
    expect(run).toMatchObject({ status: 'succeeded', summary: { channels: 1, skus: 13, stored: 13, pages: 3, restarts: 0, failed: [] } });
    // Three pages, paced by the client's limiter at Amazon's 2/s. The sandbox enforces the plan; a
    // rare 429 from network jitter at the bucket's edge is retried (as Amazon expects), never a burst of them.
    const calls = sb.admin.calls({ operation: 'getInventorySummaries', afterSeq: m });
    expect(calls.filter((c) => c.status === 200)).toHaveLength(3);
    expect(calls.filter((c) => c.status !== 200).every((c) => c.status === 429)).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(5);

    const live = await liveAll(channelId);
    expect(live).toHaveLength(13);
    for (const [i, p] of products.entries()) {
      const item = live.find((l) => l.productId === p.id)!;
      expect(item).toMatchObject({ sku: p.sku, fulfillment: 'AFN', quantity: amazon[i], reserved: i, inbound: 3 + (i % 3), unfulfillable: i % 2, status: 'synced', stale: false });
      expect(Date.parse(item.readAt!)).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(live.find((l) => l.productId === unreported.id)).toMatchObject({ quantity: null, readAt: null, status: 'pending', stale: true });
  });

  it('lists the listings Amazon holds for this seller (import dry run through listRemoteListings)', async () => {
    const dry = await runToSummary<{ alreadyConnected: string[]; unmatched: string[] }>(host, `/api/v1/channels/${channelId}/listings/import`, { dryRun: true });
    expect(dry.alreadyConnected).toHaveLength(12);
    expect(dry.unmatched).toEqual(['NOT-CONNECTED']);
  });

  it('lists exactly the products whose FBA warehouse in stock differs from Amazon, and 409 without an FBA warehouse', async () => {
    // Warehouse in stock: equal to Amazon except for 5 products; MAIN stock and allocations must not count.
    const differing: Record<number, number> = { 1: 5, 4: 0, 6: 20, 9: 1, 11: 3 };
    const warehouse = amazon.map((q, i) => differing[i] ?? q);
    for (const [i, p] of products.entries()) {
      if (warehouse[i] > 0) await inv.move(p.id, fbaWh.id, warehouse[i]);
      await inv.move(p.id, main.id, 50);
    }
    const report = await discrepancies(channelId);
    const expected = [1, 4, 6, 9, 11].map((i) => ({ productId: products[i].id, sku: products[i].sku, amazonQuantity: amazon[i], warehouseQuantity: warehouse[i], difference: amazon[i] - warehouse[i], stale: false }));
    expect([...report.items].sort((a, b) => a.sku.localeCompare(b.sku))).toEqual(expected.map((e) => expect.objectContaining(e)));
    expect(report.items).toHaveLength(5);
    expect(report.stale).toBe(false);
    expect(report.notCompared).toEqual([expect.objectContaining({ reason: 'not-read' })]);

    const noWh = await inv.channel(fbaSettings({ fbaWarehouseId: null, marketplaceId: 'A1PA6795UKMFR9' }), 'amazon-fba', 'Amazon DE FBA');
    const refused = await host.api().get(`/api/v1/channels/${noWh.id}/fba-discrepancies`).expect(409);
    expect(refused.body).toMatchObject({ rule: 'managed-warehouse-required' });
    expect(refused.body.message).toMatch(/settings\.fbaWarehouseId/);
  });

  it("answers the tool under the host's neutral name too, in the channel type's words, and no other name", async () => {
    const viaAmazonName = await discrepancies(channelId);
    const neutral = await host.api().get(`/api/v1/channels/${channelId}/managed-warehouse-discrepancies`).expect(200);
    expect(neutral.body.items).toEqual(viaAmazonName.items);
    expect(neutral.body.items[0]).toHaveProperty('amazonQuantity');
    expect(neutral.body.items[0]).not.toHaveProperty('channelQuantity');
    await host.api().get(`/api/v1/channels/${channelId}/wfs-discrepancies`).expect(404);
    const channel = await host.api().get(`/api/v1/channels/${channelId}`).expect(200);
    expect(channel.body.settings).toMatchObject({ fbaWarehouseId: fbaWh.id });
    expect(channel.body.settings).not.toHaveProperty('managedWarehouseId');
  });

  it('applies 3 of the 5 corrections as ledger corrections; exactly those levels change and the report shows the other 2', async () => {
    const chosen = [1, 6, 11].map((i) => products[i]);
    const others = [4, 9].map((i) => products[i]);
    const movementsBefore = await fbaMovements();
    const levelsBefore = await Promise.all(products.map((p) => inStock(p.id, fbaWh.id)));
    const res = await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: chosen.map((p) => p.id) }).expect(201);
    expect(res.body.movements).toHaveLength(3);
    expect(res.body.levels.map((l: { productId: string; inStock: number }) => [l.productId, l.inStock])).toEqual(chosen.map((p) => [p.id, amazon[products.indexOf(p)]]));

    const movementsAfter = await fbaMovements();
    const added = movementsAfter.slice(movementsBefore.length);
    expect(added).toHaveLength(3);
    for (const m of added) expect(m).toMatchObject({ type: 'correction', warehouseId: fbaWh.id, causeType: 'managed-warehouse-reconciliation', reason: 'managed-warehouse-reconciliation' });
    expect(added.map((m) => [m['productId'], m['quantity']])).toEqual([
      [products[1].id, 3 - 5],
      [products[6].id, 11 - 20],
      [products[11].id, 8 - 3],
    ]);
    for (const [i, p] of products.entries()) {
      const expected = chosen.includes(p) ? amazon[i] : levelsBefore[i];
      expect(await inStock(p.id, fbaWh.id)).toBe(expected);
      expect(await inStock(p.id, main.id)).toBe(50);
    }
    const report = await discrepancies(channelId);
    expect(report.items.map((d) => d.productId).sort()).toEqual(others.map((p) => p.id).sort());
  });

  it('refuses 501 product ids (400) and any selection it cannot apply whole, writing nothing', async () => {
    const before = (await fbaMovements()).length;
    const ids = [products[4].id, products[9].id, ...Array.from({ length: 499 }, (_, i) => `unknown-${i}`)];
    const tooMany = await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: ids }).expect(400);
    expect(JSON.stringify(tooMany.body.message)).toMatch(/at most 500/);
    await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [] }).expect(400);
    await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [products[4].id], bogus: 1 }).expect(400);
    await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [products[4].id, 'no-such-product'] }).expect(404);
    const notListed = await inv.product('FBA-E2E-NOT-LISTED');
    const r = await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [products[4].id, notListed.id] }).expect(409);
    expect(r.body).toMatchObject({ rule: 'reconciliation-refused' });
    expect((await fbaMovements()).length).toBe(before);
    expect(await inStock(products[4].id, fbaWh.id)).toBe(0);
    // A product that already matches is reported unchanged (200), nothing written.
    const same = await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [products[0].id] }).expect(200);
    expect(same.body).toMatchObject({ movements: [], unchanged: [{ productId: products[0].id, quantity: amazon[0] }] });
    expect((await fbaMovements()).length).toBe(before);
  });

  it('recovers from an expired nextToken by reading again from the first page', async () => {
    // New Amazon quantities, so the stored values show the second walk really completed.
    for (const [i, a] of amazon.entries()) amazon[i] = a + 100;
    sb.admin.seedFba(products.map((p, i) => ({ sellerId: SELLER, marketplaceId: UK, sku: p.sku, fulfillable: amazon[i] })));
    // Injected expiry: the first page token of this read is already expired when used.
    const tokens = sb.state.pageTokens;
    const set = tokens.set.bind(tokens);
    let first = true;
    tokens.set = (k, v) => {
      const out = set(k, first ? { ...v, expiresAt: 0 } : v);
      first = false;
      return out;
    };
    const m = mark();
    try {
      const run = await runJob(host, PULL_JOB, 20_000);
      expect(run).toMatchObject({ status: 'succeeded', summary: { skus: 13, restarts: 1 } });
    } finally {
      tokens.set = set;
    }
    // The UK channel's read (the DE channel is read too, in one page).
    const uk = (status: number) => sb.admin.calls({ operation: 'getInventorySummaries', status, afterSeq: m }).filter((c) => c.marketplaceIds?.[0] === UK);
    expect(uk(400)).toHaveLength(1);
    expect(uk(200)).toHaveLength(1 + 3);
    const live = await liveAll(channelId);
    for (const [i, p] of products.entries()) expect(live.find((l) => l.productId === p.id)).toMatchObject({ quantity: amazon[i], stale: false });
  });

  it('flags a SKU missing from the latest read as stale and applies it only with allowStale', async () => {
    const gone = products[2];
    const key = [...sb.state.fba.keys()].find((k) => sb.state.fba.get(k)!.sku === gone.sku)!;
    sb.state.fba.delete(key);
    expect((await runJob(host, PULL_JOB, 20_000)).status).toBe('succeeded');
    const live = await liveAll(channelId);
    expect(live.find((l) => l.productId === gone.id)).toMatchObject({ stale: true });
    expect(live.find((l) => l.productId === products[0].id)).toMatchObject({ stale: false });
    const report = await discrepancies(channelId);
    const item = report.items.find((d) => d.productId === gone.id)!;
    expect(item).toMatchObject({ stale: true, amazonQuantity: amazon[2] });
    const before = (await fbaMovements()).length;
    const refused = await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [gone.id] }).expect(409);
    expect(refused.body).toMatchObject({ rule: 'channel-quantities-stale' });
    expect(refused.body.message).toMatch(/allowStale/);
    expect((await fbaMovements()).length).toBe(before);
    await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [gone.id], allowStale: true }).expect(201);
    expect(await inStock(gone.id, fbaWh.id)).toBe(amazon[2]);
  });

  it('AFN orders allocate nothing: orders of an amazon-fba channel, and orders a plugin marks fulfilledByChannel', async () => {
    const p = products[3];
    await host.api().patch(`/api/v1/channels/${channelId}/settings`).send({ allocationWarehouseId: main.id }).expect(200);
    const order = await host.api().post('/api/v1/orders').send({ channelId, externalId: '202-0000001-0000001', lines: [{ sku: p.sku, quantity: 2 }] }).expect(201);
    expect(order.body).toMatchObject({ fulfilledByChannel: true, warehouseId: null, lines: [{ allocated: 0, backordered: 0 }] });
    const levels = (await host.api().get(`/api/v1/products/${p.id}/inventory`).expect(200)).body;
    expect(levels.total.allocated).toBe(0);

    // Through the plugin contract (what an orders job calls): a merchant channel's AFN order.
    const mfn = await inv.channel({ account: 'afn-test', marketplace: UK, apiKey: 'recording-api-key', syncInventory: false, onHandWarehouseIds: [main.id], allocationWarehouseId: main.id });
    const port = host.app.get(OrderPort, { strict: false });
    const afn = await port.record({ channelId: mfn.id, externalId: 'AFN-1', status: 'open', fulfilledByChannel: true, lines: [{ sku: p.sku, quantity: 3 }] });
    expect(afn.created).toBe(true);
    expect((await host.api().get(`/api/v1/products/${p.id}/inventory`).expect(200)).body.total.allocated).toBe(0);
    // The same order as MFN does allocate: the check above can fail.
    await port.record({ channelId: mfn.id, externalId: 'MFN-1', status: 'open', lines: [{ sku: p.sku, quantity: 3 }] });
    expect((await host.api().get(`/api/v1/products/${p.id}/inventory`).expect(200)).body.total.allocated).toBe(3);
  });

  it('stock changes on FBA-connected products never cause a Listings or Feeds call, whatever changes', async () => {
    const m = mark();
    const p = products[5];
    // goods-in, corrections and a batch, on both warehouses
    await inv.move(p.id, main.id, 7);
    await inv.move(p.id, fbaWh.id, 4);
    await inv.move(p.id, fbaWh.id, -2, 'correction');
    await host.api().post('/api/v1/stock-movements/batch').send({ movements: products.map((x) => ({ productId: x.id, warehouseId: main.id, type: 'goods-in', quantity: 1 })) }).expect(201);
    // orders: recorded, shipped, cancelled
    const o1 = (await host.api().post('/api/v1/orders').send({ channelId, externalId: 'AFN-2', lines: [{ sku: p.sku, quantity: 1 }] }).expect(201)).body;
    await host.api().post(`/api/v1/orders/${o1.id}/ship`).expect(200);
    const o2 = (await host.api().post('/api/v1/orders').send({ channelId, externalId: 'AFN-3', lines: [{ sku: p.sku, quantity: 1 }] }).expect(201)).body;
    await host.api().post(`/api/v1/orders/${o2.id}/cancel`).expect(200);
    // settings: sync off and on again (which re-sends a merchant channel), warehouses, rules
    await host.api().patch(`/api/v1/channels/${channelId}/settings`).send({ syncInventory: false }).expect(200);
    const on = await host.api().patch(`/api/v1/channels/${channelId}/settings`).send({ syncInventory: true, onHandWarehouseIds: [main.id, fbaWh.id], reserve: 1, staleAfterMinutes: 120 }).expect(200);
    expect(on.body.settings).toMatchObject({ staleAfterMinutes: 120 });
    await host.api().patch(`/api/v1/listings/${(await liveAll(channelId)).find((l) => l.productId === p.id)!.listingId}`).send({ maxQuantity: 3, syncEnabled: true }).expect(200);
    // the bulk reconciliation: on demand and the nightly job
    const rec = await runToSummary(host, `/api/v1/channels/${channelId}/reconcile`);
    expect(rec).toMatchObject({ listings: 0, messages: 0 });
    expect((await runJob(host, 'host.sync-nightly', 20_000)).status).toBe('succeeded');
    // an FBA correction
    await host.api().post(`/api/v1/channels/${channelId}/fba-reconciliations`).send({ productIds: [p.id] }).expect(201);
    await sleep(WINDOW * 5);

    expect(sb.admin.calls({ afterSeq: m })).toEqual([]);
    // The engine did not even try: no dispatch reached the plugin (which would have been refused).
    expect(host.logs.join('\n')).not.toMatch(/does not receive quantities/);
    for (const item of await liveAll(channelId)) expect(item.lastError).toBeNull();
    // Over the whole suite the sandbox saw only token, health and FBA inventory calls: no Listings, no Feeds.
    const operations = new Set(sb.state.calls.map((c) => c.operation));
    expect([...operations].filter((o) => /listings|feed/i.test(o))).toEqual([]);
    expect([...operations].sort()).toEqual(['getInventorySummaries', 'getMarketplaceParticipations', 'lwaToken']);
  });
});
