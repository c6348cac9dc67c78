import { recorder, recordingPlugin } from './fixtures/recording-plugin';
import { inventoryApi } from './support/inventory-api';
import { startHost, TEST_DB, type TestHost, waitFor } from './support/test-host';

/**
 * Orders name the channel's SKUs: a line resolves through the listing connected on its channel, then
 * the product SKU. An order that cannot be allocated yet is parked (listed, counted, never allocated)
 * and recorded once its listing or product exists: by itself after the commit, or at once by retry.
 */
describe(`orders by listing SKU, parked orders (real app, ${TEST_DB})`, () => {
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  let w: { id: string };
  let seq = 0;
  const settings = (extra: Record<string, unknown> = {}) => ({
    account: `seller-${++seq}`, marketplace: 'M1', apiKey: 'secret-api-key-123456', syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id, ...extra,
  });
  const level = async (productId: string) => (await host.api().get(`/api/v1/products/${productId}/inventory`).expect(200)).body.total as { allocated: number; onHand: number };
  const parkedMetric = async () => Number(/^invsync_orders_parked (\d+)$/m.exec((await host.api().get('/metrics').expect(200)).text)?.[1]);

  beforeAll(async () => {
    recorder.reset();
    host = await startHost({ plugins: [recordingPlugin], env: { SYNC_WINDOW_MS: '200', SYNC_TICK_MS: '50' } });
    inv = inventoryApi(host);
    w = await inv.warehouse('MAIN');
  });
  afterAll(() => host?.close());

  it("a manual order by the listing's SKU allocates the connected product, not a product named like the listing", async () => {
    const pa = await inv.product();
    const decoy = await inv.product(`SKU-A-${seq}-${Date.now() % 100000}`);
    await inv.move(pa.id, w.id, 10);
    await inv.move(decoy.id, w.id, 10);
    const c = await inv.channel(settings());
    await inv.connect(c.id, decoy.sku, pa.id);
    const res = await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `M-${seq}`, lines: [{ sku: decoy.sku.toLowerCase(), quantity: 2 }] }).expect(201);
    expect(res.body).toMatchObject({ status: 'open', parkedReason: null, lines: [{ sku: decoy.sku.toLowerCase(), productId: pa.id, allocated: 2 }] });
    expect(await level(pa.id)).toMatchObject({ allocated: 2, onHand: 8 });
    expect(await level(decoy.id)).toMatchObject({ allocated: 0 });
    await waitFor(async () => recorder.lastFor(decoy.sku) === 8);
  });

  it("a plugin's order by listing SKU allocates the connected product; one it cannot resolve answers parked instead of throwing", async () => {
    const p = await inv.product();
    await inv.move(p.id, w.id, 5);
    const c = await inv.channel(settings());
    await inv.connect(c.id, `AMZ-${p.sku}`, p.id);
    await waitFor(async () => recorder.orders);
    const r = await recorder.orders!.record({ channelId: c.id, externalId: `D-${seq}`, status: 'open', lines: [{ sku: `AMZ-${p.sku}`, quantity: 3 }] });
    expect(r).toMatchObject({ created: true, status: 'open' });
    expect(r.parkedReason).toBeUndefined();
    expect(await level(p.id)).toMatchObject({ allocated: 3, onHand: 2 });
    const parked = await recorder.orders!.record({ channelId: c.id, externalId: `DP-${seq}`, status: 'open', lines: [{ sku: `UNKNOWN-${p.sku}`, quantity: 1 }] });
    expect(parked).toMatchObject({ created: true, status: 'parked' });
    expect(parked.parkedReason).toContain(`UNKNOWN-${p.sku}`);
    // A repeat delivery answers the same order, still parked, allocating nothing.
    expect(await recorder.orders!.record({ channelId: c.id, externalId: `DP-${seq}`, status: 'open', lines: [{ sku: `UNKNOWN-${p.sku}`, quantity: 1 }] })).toMatchObject({ orderId: parked.orderId, created: false, status: 'parked' });
    expect(await level(p.id)).toMatchObject({ allocated: 3 });
  });

  it('a parked order is listed and counted, then recorded by itself once its listing is connected', async () => {
    const p = await inv.product();
    await inv.move(p.id, w.id, 6);
    const c = await inv.channel(settings());
    const sku = `LATER-${p.sku}`;
    const res = await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `P-${seq}`, lines: [{ sku, quantity: 2 }] }).expect(202);
    expect(res.body).toMatchObject({ status: 'parked', warehouseId: null, lines: [{ sku, productId: null, allocated: 0 }] });
    expect(res.body.parkedReason).toMatch(new RegExp(`"${sku}".*connect a listing`));
    const listed = (await host.api().get(`/api/v1/orders?channelId=${c.id}&status=parked`).expect(200)).body;
    expect(listed).toMatchObject({ nextCursor: null, items: [{ id: res.body.id, status: 'parked' }] });
    expect((await inv.live(c.id)) as unknown).toMatchObject({ parkedOrders: 1 });
    expect(await parkedMetric()).toBeGreaterThanOrEqual(1);
    expect(await level(p.id)).toMatchObject({ allocated: 0 });
    await host.api().post(`/api/v1/orders/${res.body.id}/retry`).expect(409);

    await inv.connect(c.id, sku, p.id);
    const recorded = await waitFor(async () => {
      const o = (await host.api().get(`/api/v1/orders/${res.body.id}`).expect(200)).body;
      return o.status === 'open' ? o : undefined;
    });
    expect(recorded).toMatchObject({ id: res.body.id, externalId: `P-${seq}`, parkedReason: null, warehouseId: w.id, lines: [{ sku, productId: p.id, allocated: 2 }] });
    expect(await level(p.id)).toMatchObject({ allocated: 2, onHand: 4 });
    expect((await inv.live(c.id)) as unknown).toMatchObject({ parkedOrders: 0 });
    await waitFor(async () => recorder.lastFor(sku) === 4);
    // Retry and a repeat allocate nothing more.
    expect((await host.api().post(`/api/v1/orders/${res.body.id}/retry`).expect(200)).body.status).toBe('open');
    await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `P-${seq}`, lines: [{ sku, quantity: 2 }] }).expect(200);
    expect(await level(p.id)).toMatchObject({ allocated: 2 });
  });

  it('a parked order is recorded at once by retry after its product is created; a channel without an allocation warehouse parks until it has one', async () => {
    const c = await inv.channel(settings());
    const sku = `NEW-${++seq}-${Date.now() % 100000}`;
    const res = await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `R-${seq}`, lines: [{ sku, quantity: 1 }] }).expect(202);
    const p = await inv.product(sku);
    // Recorded by the retry or by the sweep after the product's commit, whichever comes first: once, with no stock yet.
    const retried = (await host.api().post(`/api/v1/orders/${res.body.id}/retry`).expect(200)).body;
    expect(retried).toMatchObject({ status: 'open', lines: [{ productId: p.id, allocated: 0, backordered: 1 }] });
    await inv.move(p.id, w.id, 3);

    const noAlloc = await inv.channel(settings({ allocationWarehouseId: null }));
    const waiting = await host.api().post('/api/v1/orders').send({ channelId: noAlloc.id, externalId: `W-${seq}`, lines: [{ sku, quantity: 1 }] }).expect(202);
    expect(waiting.body.parkedReason).toContain('allocationWarehouseId');
    await host.api().patch(`/api/v1/channels/${noAlloc.id}/settings`).send({ allocationWarehouseId: w.id }).expect(200);
    await waitFor(async () => (await host.api().get(`/api/v1/orders/${waiting.body.id}`).expect(200)).body.status === 'open');
    expect(await level(p.id)).toMatchObject({ allocated: 1, onHand: 2 });
  });

  it('lists orders in pages, newest first; bad filters get 400', async () => {
    const c = await inv.channel(settings());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `G-${seq}-${i}`, lines: [{ sku: `NONE-${seq}`, quantity: 1 }] }).expect(202)).body.id);
    const first = (await host.api().get(`/api/v1/orders?channelId=${c.id}&limit=2`).expect(200)).body;
    const second = (await host.api().get(`/api/v1/orders?channelId=${c.id}&limit=2&cursor=${first.nextCursor}`).expect(200)).body;
    expect([...first.items, ...second.items].map((o: { id: string }) => o.id)).toEqual([...ids].reverse());
    expect(second.nextCursor).toBeNull();
    expect((await host.api().get(`/api/v1/orders?channelId=${c.id}&createdFrom=2999-01-01T00:00:00Z`).expect(200)).body.items).toEqual([]);
    for (const bad of ['status=lost', 'createdFrom=yesterday', 'createdTo=2026-13-01', 'limit=0', 'limit=abc', 'cursor=nope', 'createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z', 'bogus=1']) {
      const res = await host.api().get(`/api/v1/orders?${bad}`);
      expect([res.status, bad]).toEqual([400, bad]);
      expect(JSON.stringify(res.body.message)).toBeTruthy();
    }
  });
});
