import { recorder, recordingPlugin } from './fixtures/recording-plugin';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost, waitFor } from './support/test-host';
import { runToSummary } from './support/job-runs';

const WINDOW = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sync engine end to end (real app, SQLite file, recording plugin)', () => {
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  let w1: { id: string };
  let w2: { id: string };
  let seq = 0;
  const settings = (extra: Record<string, unknown> = {}) => ({
    account: `seller-${++seq}`,
    marketplace: 'M1',
    apiKey: 'secret-api-key-123456',
    syncInventory: true,
    onHandWarehouseIds: [w1.id],
    allocationWarehouseId: w1.id,
    ...extra,
  });

  beforeAll(async () => {
    recorder.reset();
    host = await startHost({ plugins: [recordingPlugin], env: { SYNC_WINDOW_MS: String(WINDOW), SYNC_TICK_MS: '50', SYNC_RETRY_BASE_MS: '200', SYNC_RETRY_CAP_MS: '400' } });
    inv = inventoryApi(host);
    w1 = await inv.warehouse('MAIN');
    w2 = await inv.warehouse('SECOND');
  });
  afterAll(() => host?.close());

  it('creates a channel validated against the plugin schema, with the secret encrypted and never returned', async () => {
    const bad = await host.api().post('/api/v1/channels').send({ type: 'recording', name: 'x', settings: { account: 'a', syncInventory: 'yes', bogus: 1, onHandWarehouseIds: [w1.id] } }).expect(400);
    const text = (bad.body.message as string[]).join('\n');
    expect(text).toMatch(/settings.syncInventory must be boolean/);
    expect(text).toMatch(/settings.marketplace is required/);
    expect(text).toMatch(/settings.bogus is not a known setting/);
    await host.api().post('/api/v1/channels').send({ type: 'nope', name: 'x', settings: {} }).expect(400);
    await host.api().post('/api/v1/channels').send({ type: 'recording', name: 'x', settings: settings({ onHandWarehouseIds: ['missing'] }) }).expect(404);

    const c = await inv.channel(settings());
    expect(c.settings['apiKey']).toEqual({ set: true });
    const got = (await host.api().get(`/api/v1/channels/${c.id}`).expect(200)).body;
    expect(JSON.stringify(got)).not.toContain('secret-api-key-123456');
    const list = (await host.api().get('/api/v1/channels').expect(200)).body;
    expect(JSON.stringify(list)).not.toContain('secret-api-key-123456');
    expect(host.logs.join('\n')).not.toContain('secret-api-key-123456');
  });

  it('sends on connection when sync is on, and not at all when it is off', async () => {
    const p = await inv.product();
    await inv.move(p.id, w1.id, 12);
    const on = await inv.channel(settings());
    const off = await inv.channel(settings({ syncInventory: false }));
    await inv.connect(on.id, `ON-${p.sku}`, p.id);
    await inv.connect(off.id, `OFF-${p.sku}`, p.id);
    await waitFor(async () => recorder.lastFor(`ON-${p.sku}`) === 12);
    await sleep(WINDOW * 2);
    expect(recorder.sentFor(`OFF-${p.sku}`)).toEqual([]);
    expect(recorder.apiKeys.has('secret-api-key-123456')).toBe(true);
    // The plugin is given its own settings only, none of the host's.
    expect([...recorder.settingKeys].sort()).toEqual(['account', 'apiKey', 'marketplace']);
    const live = await inv.live(off.id);
    expect(live.items[0]).toMatchObject({ status: 'disabled' });
  });

  it('carries a stock change to the channel within the window, the bundle and variant too', async () => {
    const parent = await inv.product(undefined, { kind: 'parent' });
    const variant = await inv.product(undefined, { parentId: parent.id });
    const a = await inv.product();
    const bundle = await inv.product(undefined, { kind: 'bundle', components: [{ productId: a.id, quantity: 2 }, { productId: variant.id, quantity: 1 }] });
    await inv.move(a.id, w1.id, 10);
    await inv.move(variant.id, w1.id, 3);
    const c = await inv.channel(settings());
    await inv.connect(c.id, variant.sku, variant.id);
    await inv.connect(c.id, bundle.sku, bundle.id);
    await waitFor(async () => recorder.lastFor(variant.sku) === 3 && recorder.lastFor(bundle.sku) === 3);
    const t0 = Date.now();
    await inv.move(variant.id, w1.id, 4);
    await waitFor(async () => recorder.lastFor(variant.sku) === 7 && recorder.lastFor(bundle.sku) === 5);
    expect(Date.now() - t0).toBeLessThan(WINDOW + 3000);
    // Parents are not listable: each variant is its own listing.
    const refused = await host.api().post(`/api/v1/channels/${c.id}/listings`).send({ sku: parent.sku, productId: parent.id }).expect(409);
    expect(refused.body.message).toMatch(/parent.*Connect each variant/);
  });

  it('coalesces 1,000 changes inside a window into at most 2 sends, the last with the final value', async () => {
    const slow = await startHost({ plugins: [recordingPlugin], env: { SYNC_WINDOW_MS: '3000', SYNC_TICK_MS: '50' } });
    try {
      const i2 = inventoryApi(slow);
      const w = await i2.warehouse('W');
      const p = await i2.product();
      const c = await i2.channel({ account: 'coalesce', marketplace: 'M', apiKey: 'secret-api-key-123456', syncInventory: true, onHandWarehouseIds: [w.id] });
      await i2.move(p.id, w.id, 1000);
      await i2.connect(c.id, `CO-${p.sku}`, p.id);
      await waitFor(async () => recorder.lastFor(`CO-${p.sku}`) === 1000);
      const before = recorder.sentFor(`CO-${p.sku}`).length;
      // 1,000 movements (+1/-1, net -200), committed in 20 separate requests from two clients.
      const deltas = Array.from({ length: 1000 }, (_, i) => (i % 5 === 0 ? -1 : i % 2 === 0 ? 1 : -1));
      const expected = 1000 + deltas.reduce((s, d) => s + d, 0);
      const started = Date.now();
      const batches = Array.from({ length: 20 }, (_, b) => deltas.slice(b * 50, b * 50 + 50));
      for (let i = 0; i < batches.length; i += 2) {
        await Promise.all(
          batches.slice(i, i + 2).map((batch) =>
            slow
              .api()
              .post('/api/v1/stock-movements/batch')
              .send({ movements: batch.map((d) => ({ productId: p.id, warehouseId: w.id, type: 'correction', quantity: d })) })
              .expect(201),
          ),
        );
      }
      const elapsed = Date.now() - started;
      await waitFor(async () => recorder.lastFor(`CO-${p.sku}`) === expected, 20_000);
      await sleep(3500);
      const sends = recorder.sentFor(`CO-${p.sku}`).slice(before);
      expect(sends.length).toBeGreaterThanOrEqual(1);
      // At most one send per window the changes spanned (plus the one in flight): 2 when they fit in one window.
      expect(sends.length).toBeLessThanOrEqual(Math.ceil(elapsed / 3000) + 1);
      expect(sends[sends.length - 1].quantity).toBe(expected);
    } finally {
      await slow.close();
    }
  });

  it('sync off, stock change, sync on: the channel is re-sent', async () => {
    const p = await inv.product();
    await inv.move(p.id, w1.id, 5);
    const c = await inv.channel(settings());
    await inv.connect(c.id, `TOG-${p.sku}`, p.id);
    await waitFor(async () => recorder.lastFor(`TOG-${p.sku}`) === 5);
    await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: false }).expect(200);
    await inv.move(p.id, w1.id, 2);
    await sleep(WINDOW * 3);
    expect(recorder.lastFor(`TOG-${p.sku}`)).toBe(5);
    const n = recorder.sentFor(`TOG-${p.sku}`).length;
    const res = await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: true }).expect(200);
    expect(res.body.resent).toBe(true);
    await waitFor(async () => recorder.lastFor(`TOG-${p.sku}`) === 7);
    expect(recorder.sentFor(`TOG-${p.sku}`).length).toBe(n + 1);
  });

  it('an order lowers the quantity sent; cancelling raises it again; a repeat allocates nothing twice', async () => {
    const p = await inv.product();
    await inv.move(p.id, w1.id, 9);
    const c = await inv.channel(settings());
    await inv.connect(c.id, `ORD-${p.sku}`, p.id);
    await waitFor(async () => recorder.lastFor(`ORD-${p.sku}`) === 9);
    const order = await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `A-${p.sku}`, lines: [{ sku: p.sku, quantity: 4 }] }).expect(201);
    expect(order.body.lines[0]).toMatchObject({ allocated: 4, backordered: 0 });
    await waitFor(async () => recorder.lastFor(`ORD-${p.sku}`) === 5);
    const repeat = await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `A-${p.sku}`, lines: [{ sku: p.sku, quantity: 4 }] }).expect(200);
    expect(repeat.body.id).toBe(order.body.id);
    const inv1 = (await host.api().get(`/api/v1/products/${p.id}/inventory`).expect(200)).body;
    expect(inv1.total).toMatchObject({ inStock: 9, allocated: 4, onHand: 5 });
    await host.api().post(`/api/v1/orders/${order.body.id}/cancel`).expect(200);
    await waitFor(async () => recorder.lastFor(`ORD-${p.sku}`) === 9);
    await host.api().post(`/api/v1/orders/${order.body.id}/ship`).expect(409);
    await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: 'x', lines: [{ sku: p.sku, quantity: 0 }] }).expect(400);
    await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: 'y', lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }).expect(202);
  });

  it('EU: two marketplaces of one seller with the same SKU and product get one update per change; other warehouses are refused', async () => {
    const p = await inv.product();
    await inv.move(p.id, w1.id, 6);
    const account = `eu-seller-${++seq}`;
    const de = await inv.channel(settings({ account, marketplace: 'DE', region: 'EU' }));
    const fr = await inv.channel(settings({ account, marketplace: 'FR', region: 'EU' }));
    const it = await inv.channel(settings({ account, marketplace: 'IT', region: 'EU', onHandWarehouseIds: [w2.id] }));
    await inv.connect(de.id, `EU-${p.sku}`, p.id);
    await inv.connect(fr.id, `EU-${p.sku}`, p.id);
    await waitFor(async () => recorder.lastFor(`EU-${p.sku}`) === 6);
    await sleep(WINDOW);
    const first = recorder.sentFor(`EU-${p.sku}`);
    expect(first.length).toBe(1);
    await inv.move(p.id, w1.id, 1);
    await waitFor(async () => recorder.lastFor(`EU-${p.sku}`) === 7);
    await sleep(WINDOW * 2);
    const all = recorder.sentFor(`EU-${p.sku}`);
    expect(all).toHaveLength(2);
    expect(all[1].marketplaceIds).toEqual(['DE', 'FR']);
    const conflict = await host.api().post(`/api/v1/channels/${it.id}/listings`).send({ sku: `eu-${p.sku}`, productId: p.id }).expect(409);
    expect(conflict.body.message).toMatch(/share one quantity with listing .* other warehouses.*different SKU/);
    // A settings change that would make them disagree is refused too.
    const change = await host.api().patch(`/api/v1/channels/${fr.id}/settings`).send({ onHandWarehouseIds: [w1.id, w2.id] }).expect(409);
    expect(change.body.message).toMatch(/disagree/);
  });

  it('the nightly run corrects a quantity changed on the channel and re-sends nothing unchanged', async () => {
    const a = await inv.product();
    const b = await inv.product();
    await inv.move(a.id, w1.id, 3);
    await inv.move(b.id, w1.id, 4);
    const c = await inv.channel(settings());
    await inv.connect(c.id, `N-${a.sku}`, a.id);
    await inv.connect(c.id, `N-${b.sku}`, b.id);
    await waitFor(async () => recorder.lastFor(`N-${a.sku}`) === 3 && recorder.lastFor(`N-${b.sku}`) === 4);
    const pool = `${(c.settings as { account: string }).account}:M1`;
    recorder.shown.set(`${pool}\u0000${`N-${b.sku}`.toUpperCase()}`, 40);
    const dry = await runToSummary(host, `/api/v1/channels/${c.id}/reconcile`, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, listings: 2, changed: 1, unchanged: 1, messages: 1 });
    const aCount = recorder.sentFor(`N-${a.sku}`).length;
    const run = await host.api().post('/api/v1/jobs/host.sync-nightly/run').expect(202);
    await waitFor(async () => {
      const runs = (await host.api().get('/api/v1/jobs/host.sync-nightly/runs').expect(200)).body.items;
      return runs.find((r: { id: string; status: string }) => r.id === run.body.runId && r.status === 'succeeded');
    });
    await waitFor(async () => recorder.lastFor(`N-${b.sku}`) === 4 && recorder.sentFor(`N-${b.sku}`).length === 2);
    await sleep(WINDOW * 2);
    expect(recorder.sentFor(`N-${a.sku}`).length).toBe(aCount);
  });

  it('shows a plugin error in Live Listings and retries it', async () => {
    const p = await inv.product();
    await inv.move(p.id, w1.id, 2);
    const c = await inv.channel(settings());
    // The channel stays busy until the test has seen the error (one failure lasts only one retry
    // delay, which a poll on a loaded machine can miss), then recovers.
    recorder.failures.push(...Array.from({ length: 1000 }, () => ({ status: 'retry' as const, message: 'channel busy, try later' })));
    const l = await inv.connect(c.id, `ERR-${p.sku}`, p.id);
    await waitFor(async () => (await inv.live(c.id, '?status=error')).items.find((i) => i['listingId'] === l.id));
    const item = (await inv.live(c.id)).items.find((i) => i['listingId'] === l.id)!;
    recorder.failures.length = 0;
    expect(item['lastError']).toMatch(/channel busy/);
    await waitFor(async () => (await inv.live(c.id, '?status=synced')).items.find((i) => i['listingId'] === l.id && i['quantity'] === 2), 10_000);
    const explain = (await host.api().get(`/api/v1/listings/${l.id}/explain`).expect(200)).body;
    expect(explain).toMatchObject({ onHand: 2, quantity: 2, status: 'synced', channelAccepted: { quantity: 2 } });
  });

  it('explains a quantity per warehouse, component and rule; refuses a SKU change; disconnect stops sending', async () => {
    const a = await inv.product();
    await inv.move(a.id, w1.id, 20);
    const c = await inv.channel(settings({ onHandWarehouseIds: [w1.id, w2.id], reserve: 2, percentage: 50 }));
    const l = await inv.connect(c.id, `EX-${a.sku}`, a.id, { maxQuantity: 5 });
    await waitFor(async () => recorder.lastFor(`EX-${a.sku}`) === 5);
    const ex = (await host.api().get(`/api/v1/listings/${l.id}/explain`).expect(200)).body;
    expect(ex.warehouses).toEqual([
      { warehouseId: w1.id, onHand: 20 },
      { warehouseId: w2.id, onHand: 0 },
    ]);
    expect(ex.steps.map((s: { rule: string; quantity: number }) => [s.rule, s.quantity])).toEqual([
      ['on-hand', 20],
      ['reserve', 18],
      ['percentage', 9],
      ['maxQuantity', 5],
    ]);
    const sku = await host.api().patch(`/api/v1/listings/${l.id}`).send({ sku: 'OTHER' }).expect(409);
    expect(sku.body.message).toMatch(/Relist instead/);
    await host.api().patch(`/api/v1/listings/${l.id}`).send({ maxQuantity: null }).expect(200);
    await waitFor(async () => recorder.lastFor(`EX-${a.sku}`) === 9);
    await host.api().delete(`/api/v1/listings/${l.id}`).expect(204);
    await inv.move(a.id, w1.id, 10);
    await sleep(WINDOW * 3);
    expect(recorder.lastFor(`EX-${a.sku}`)).toBe(9);
    await host.api().get(`/api/v1/listings/${l.id}`).expect(404);
  });

  it('exposes Prometheus metrics behind the admin token', async () => {
    await host.anon().get('/metrics').expect(401);
    const p = await inv.product();
    const c = await inv.channel(settings());
    await inv.connect(c.id, `MET-${p.sku}`, p.id);
    await waitFor(async () => (await inv.live(c.id, '?status=synced')).items.length === 1);
    const res = await host.api().get('/metrics').expect(200).expect('content-type', /text\/plain/);
    expect(res.text).toMatch(/invsync_listings\{fulfilment="merchant",status="synced"\} \d+/);
    expect(res.text).toMatch(/invsync_dispatch_updates_total\{result="synced"\} \d+/);
    expect(res.text).toMatch(/invsync_listings_dirty \d+/);
    expect(res.text).toMatch(/invsync_process_resident_memory_bytes/);
  });

  it('never dispatches for a channel-fulfilled (FBA-like) channel', async () => {
    const p = await inv.product();
    const c = await inv.channel({ account: 'fba', marketplace: 'M1', apiKey: 'secret-api-key-123456', syncInventory: true, onHandWarehouseIds: [] }, 'recording-fba');
    await inv.connect(c.id, `FBA-${p.sku}`, p.id);
    await inv.move(p.id, w1.id, 5);
    await sleep(WINDOW * 3);
    expect(recorder.sentFor(`FBA-${p.sku}`)).toEqual([]);
  });
});

describe('a change committed before a crash is sent after restart', () => {
  it('sends what was left dirty when the process stopped before dispatching', async () => {
    recorder.reset();
    const first = await startHost({ plugins: [recordingPlugin], env: { SYNC_DISPATCHER: 'off' } });
    const inv = inventoryApi(first);
    const w = await inv.warehouse('W');
    const p = await inv.product();
    const c = await inv.channel({ account: 'crash', marketplace: 'M', apiKey: 'secret-api-key-123456', syncInventory: true, onHandWarehouseIds: [w.id] });
    await inv.connect(c.id, `CR-${p.sku}`, p.id);
    await inv.move(p.id, w.id, 8);
    const dir = first.dir;
    // The process stops with the change committed and nothing sent (the dispatcher never ran).
    await first.app.close();
    expect(recorder.sentFor(`CR-${p.sku}`)).toEqual([]);
    const second = await startHost({ plugins: [recordingPlugin], dir, env: { SYNC_TICK_MS: '50', SYNC_WINDOW_MS: '100' } });
    try {
      await waitFor(async () => recorder.lastFor(`CR-${p.sku}`) === 8);
    } finally {
      await second.close();
    }
  });
});
