import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { ListingService } from '@invsync/domain-channels';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost, waitFor } from './support/test-host';

/**
 * The amazon-mfn plugin end to end: the real host (HTTP, SQLite or PostgreSQL, dispatcher, jobs) and
 * the SP-API sandbox as two HTTP servers. Every test uses its own seller, so Amazon's per-seller rate
 * limits (enforced by the sandbox and paced by the client) never couple two tests.
 */
const UK = 'A1F83G8C2ARO7P';
const DE = 'A1PA6795UKMFR9';
const US = 'ATVPDKIKX0DER';
const WINDOW = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Live = { listingId: string; sku: string; quantity: number | null; status: string; lastError: string | null };

describe('amazon-mfn plugin end to end (host + SP-API sandbox over HTTP)', () => {
  let sb: AmazonSandbox;
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  let w1: { id: string };
  let w2: { id: string };
  /** Every response body the tests saw, to check that no credential ever comes back. */
  const bodies: string[] = [];
  const secrets: string[] = [];
  let sellerSeq = 0;

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, feedProcessingDelayMs: 150, reportProcessingDelayMs: 50 });
    host = await startHost({
      plugins: [amazonMfnPlugin],
      env: {
        SCHEDULER: 'off',
        SYNC_WINDOW_MS: String(WINDOW),
        SYNC_TICK_MS: '50',
        SYNC_CONFIRM_INTERVAL_MS: '200',
        SYNC_RETRY_BASE_MS: '200',
        SYNC_RETRY_CAP_MS: '1000',
      },
    });
    inv = inventoryApi(host);
    w1 = await inv.warehouse('MAIN');
    w2 = await inv.warehouse('SECOND');
  });
  afterAll(async () => {
    await host?.close();
    await sb?.close();
  });

  /** A seller on the sandbox with its own credentials. */
  function seller(regions: Array<'EU' | 'NA'> = ['EU', 'NA']) {
    const sellerId = `A${++sellerSeq}SELLER${Date.now() % 10000}`;
    const credentials = { clientId: `amzn1.application-oa2-client.${sellerId}`, clientSecret: `cs-${sellerId}-0123456789abcdef`, refreshToken: `Atzr|rt-${sellerId}-0123456789abcdef` };
    sb.admin.seedSellers({ sellerId, regions, ...credentials });
    secrets.push(credentials.clientSecret, credentials.refreshToken);
    return { sellerId, credentials };
  }

  async function channel(s: { sellerId: string; credentials: object }, marketplaceId = UK, extra: Record<string, unknown> = {}): Promise<{ id: string; quantityPool: string; settings: Record<string, unknown> }> {
    const res = await host
      .api()
      .post('/api/v1/channels')
      .send({
        type: 'amazon-mfn',
        name: `Amazon ${marketplaceId} ${s.sellerId}`,
        settings: {
          sellerId: s.sellerId,
          region: marketplaceId === US ? 'NA' : 'EU',
          marketplaceId,
          credentials: s.credentials,
          spApiEndpoint: sb.url,
          lwaEndpoint: `${sb.url}/auth/o2/token`,
          syncInventory: true,
          onHandWarehouseIds: [w1.id],
          allocationWarehouseId: w1.id,
          ...extra,
        },
      });
    bodies.push(res.text);
    if (res.status !== 201) throw new Error(`channel refused: ${res.status} ${res.text}`);
    return res.body;
  }

  const shown = (sellerId: string, sku: string) => sb.admin.quantities({ sellerId, sku })[0] as { quantity: number | null; leadTimeToShipMaxDays: number | null } | undefined;
  const waitShown = (sellerId: string, sku: string, quantity: number, timeoutMs = 15_000) =>
    waitFor(async () => shown(sellerId, sku)?.quantity === quantity, timeoutMs).catch(() => {
      throw new Error(`sandbox shows ${JSON.stringify(shown(sellerId, sku))} for ${sku}, expected ${quantity}`);
    });
  const calls = (sellerId: string, operation: string, afterSeq = 0) => sb.admin.calls({ sellerId, operation, afterSeq });
  const lastSeq = () => sb.state.calls.at(-1)?.seq ?? 0;

  async function live(channelId: string): Promise<Live[]> {
    const out: Live[] = [];
    let cursor: string | null = null;
    do {
      const path = `/api/v1/channels/${channelId}/live-listings?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res: { text: string; body: { items: Live[]; nextCursor: string | null } } = await host.api().get(path).expect(200);
      bodies.push(res.text);
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }

  /** Waits until every listing of the channel is synced or shows an error (none left pending or sent). */
  async function settled(channelId: string, timeoutMs = 30_000): Promise<Live[]> {
    let last: Live[] = [];
    try {
      return await waitFor(async () => {
        last = await live(channelId);
        // An error that is being retried ("will retry", "sent again") is not an end state.
        return last.length > 0 && last.every((l) => l.status === 'synced' || (l.status === 'error' && !/will retry|sent again/.test(l.lastError ?? ''))) && last;
      }, timeoutMs, 100);
    } catch (e) {
      throw new Error(`${(e as Error).message}; live listings: ${JSON.stringify(last.filter((l) => l.status !== 'synced').slice(0, 5))}`);
    }
  }

  type Run = { id: string; status: string; summary: Record<string, unknown> | null; error: string | null };
  async function runJob(name: string): Promise<Run> {
    const started = await host.api().post(`/api/v1/jobs/${name}/run`).expect(202);
    return waitFor<Run>(async () => {
      const res = await host.api().get(`/api/v1/jobs/${name}/runs?limit=5`).expect(200);
      bodies.push(res.text);
      const run = (res.body.items as Run[]).find((r) => r.id === started.body.runId);
      return run && run.status !== 'running' ? run : undefined;
    }, 30_000);
  }

  const onHand = async (productId: string) => (await host.api().get(`/api/v1/products/${productId}/inventory`).expect(200)).body;

  it('connect sets the Amazon quantity to on hand (multi-warehouse, variant, bundle; odd SKU characters), keeps lead time, and a goods-in follows within the window', async () => {
    const s = seller();
    const mug = await inv.product('MUG/RED #1 XL');
    const parent = await inv.product(`TEE-${s.sellerId}`, { kind: 'parent' });
    const variant = await inv.product(`TEE-${s.sellerId}-M`, { parentId: parent.id });
    const bundle = await inv.product(`SET-${s.sellerId}`, { kind: 'bundle', components: [{ productId: mug.id, quantity: 2 }, { productId: variant.id, quantity: 1 }] });
    await inv.move(mug.id, w1.id, 5);
    await inv.move(mug.id, w2.id, 3);
    await inv.move(variant.id, w1.id, 4);
    sb.admin.seedListings([
      { sellerId: s.sellerId, sku: mug.sku, marketplaceId: UK, quantity: 99, leadTimeToShipMaxDays: 5 },
      { sellerId: s.sellerId, sku: variant.sku, marketplaceId: UK, quantity: 99 },
      { sellerId: s.sellerId, sku: bundle.sku, marketplaceId: UK, quantity: 99, leadTimeToShipMaxDays: 3 },
    ]);
    const c = await channel(s, UK, { onHandWarehouseIds: [w1.id, w2.id] });
    expect(c.settings['credentials']).toEqual({ set: true });
    for (const p of [mug, variant, bundle]) await inv.connect(c.id, p.sku, p.id);
    // mug 5 + 3; variant 4; bundle per warehouse: W1 min(5/2, 4) = 2, W2 min(3/2, 0) = 0.
    await waitShown(s.sellerId, mug.sku, 8);
    await waitShown(s.sellerId, variant.sku, 4);
    await waitShown(s.sellerId, bundle.sku, 2);
    const settledLive = await settled(c.id);
    expect(settledLive.map((l) => [l.sku, l.status, l.quantity]).sort()).toEqual([
      [mug.sku, 'synced', 8],
      [bundle.sku, 'synced', 2],
      [variant.sku, 'synced', 4],
    ].sort());
    expect(shown(s.sellerId, mug.sku)?.leadTimeToShipMaxDays).toBe(5);
    expect(calls(s.sellerId, 'patchListingsItem').map((x) => x.sku).sort()).toEqual([mug.sku, variant.sku, bundle.sku].sort());

    const t0 = Date.now();
    await inv.move(mug.id, w1.id, 2);
    await waitShown(s.sellerId, mug.sku, 10, 5000);
    await waitShown(s.sellerId, bundle.sku, 3, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(shown(s.sellerId, mug.sku)?.leadTimeToShipMaxDays).toBe(5);
    expect(shown(s.sellerId, bundle.sku)?.leadTimeToShipMaxDays).toBe(3);
  });

  it('sync off, change, sync on: the channel is sent again', async () => {
    const s = seller();
    const p = await inv.product();
    await inv.move(p.id, w1.id, 6);
    sb.admin.seedListings({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 });
    const c = await channel(s);
    await inv.connect(c.id, p.sku, p.id);
    await waitShown(s.sellerId, p.sku, 6);
    await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: false }).expect(200);
    await inv.move(p.id, w1.id, 3);
    await sleep(WINDOW * 4);
    expect(shown(s.sellerId, p.sku)?.quantity).toBe(6);
    const res = await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: true }).expect(200);
    bodies.push(res.text);
    expect(res.body.resent).toBe(true);
    await waitShown(s.sellerId, p.sku, 9);
  });

  it('downloads an MFN order (allocated from the allocation warehouse, lower quantity sent), ignores AFN, keeps going past an unknown SKU, repeats nothing, de-allocates a cancellation', async () => {
    const s = seller();
    const p = await inv.product();
    await inv.move(p.id, w1.id, 5);
    await inv.move(p.id, w2.id, 3);
    sb.admin.seedListings({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 });
    const c = await channel(s, UK, { onHandWarehouseIds: [w1.id, w2.id], allocationWarehouseId: w2.id });
    await inv.connect(c.id, p.sku, p.id);
    await waitShown(s.sellerId, p.sku, 8);

    const orderId = `202-${sellerSeq}000001-0000001`;
    sb.admin.upsertOrders([
      { sellerId: s.sellerId, amazonOrderId: orderId, marketplaceId: UK, orderStatus: 'Unshipped', items: [{ sku: p.sku, quantity: 2 }] },
      { sellerId: s.sellerId, amazonOrderId: `203-${sellerSeq}000002-0000002`, marketplaceId: UK, fulfillmentChannel: 'AFN', items: [{ sku: p.sku, quantity: 1 }] },
      { sellerId: s.sellerId, amazonOrderId: `204-${sellerSeq}000003-0000003`, marketplaceId: UK, items: [{ sku: 'NO-SUCH-PRODUCT', quantity: 1 }] },
    ]);
    const run = await runJob('amazon-mfn.download-orders');
    expect(run.status).toBe('succeeded');
    const mine = (run.summary!['perChannel'] as Record<string, Record<string, unknown>>)[c.id];
    expect(mine).toMatchObject({ orders: 3, recorded: 1, afn: 1, failed: 1, parked: 1 });
    expect(JSON.stringify(mine['failures'])).toMatch(/NO-SUCH-PRODUCT/);
    const levels = await onHand(p.id);
    expect(levels.warehouses.find((w: { warehouseId: string }) => w.warehouseId === w2.id)).toMatchObject({ inStock: 3, allocated: 2, onHand: 1 });
    expect(levels.total).toMatchObject({ allocated: 2, onHand: 6 });
    await waitShown(s.sellerId, p.sku, 6);

    // A repeat (the order read again) allocates nothing twice.
    sb.admin.updateOrder(orderId, { orderStatus: 'Unshipped' });
    const again = await runJob('amazon-mfn.download-orders');
    expect((again.summary!['perChannel'] as Record<string, Record<string, unknown>>)[c.id]).toMatchObject({ orders: 1, recorded: 0, updated: 1 });
    expect((await onHand(p.id)).total).toMatchObject({ allocated: 2, onHand: 6 });

    sb.admin.updateOrder(orderId, { orderStatus: 'Canceled' });
    await runJob('amazon-mfn.download-orders');
    expect((await onHand(p.id)).total).toMatchObject({ allocated: 0, onHand: 8 });
    await waitShown(s.sellerId, p.sku, 8);
  });

  it('the nightly run puts right a quantity changed on Amazon and sends nothing for unchanged listings', async () => {
    const s = seller();
    const a = await inv.product();
    const b = await inv.product();
    await inv.move(a.id, w1.id, 3);
    await inv.move(b.id, w1.id, 4);
    sb.admin.seedListings([a, b].map((p) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0, leadTimeToShipMaxDays: 2 })));
    const c = await channel(s);
    await inv.connect(c.id, a.sku, a.id);
    await inv.connect(c.id, b.sku, b.id);
    await waitShown(s.sellerId, a.sku, 3);
    await waitShown(s.sellerId, b.sku, 4);
    await settled(c.id);
    sb.admin.seedListings({ sellerId: s.sellerId, sku: b.sku, marketplaceId: UK, quantity: 40 });
    const mark = lastSeq();
    const run = await runJob('host.sync-nightly');
    expect(run.status).toBe('succeeded');
    await waitShown(s.sellerId, b.sku, 4);
    await settled(c.id);
    await sleep(WINDOW * 2);
    const sent = [...calls(s.sellerId, 'patchListingsItem', mark), ...calls(s.sellerId, 'createFeed', mark)];
    expect(sent.map((x) => x.sku)).toEqual([b.sku]);
    expect(calls(s.sellerId, 'createReport', mark).length).toBeGreaterThanOrEqual(1);
    expect(shown(s.sellerId, b.sku)?.leadTimeToShipMaxDays).toBe(2);
  });

  it('EU: two marketplaces of one seller sharing a SKU get one update per change', async () => {
    const s = seller(['EU']);
    const p = await inv.product();
    await inv.move(p.id, w1.id, 7);
    sb.admin.seedListings([UK, DE].map((marketplaceId) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId, quantity: 0 })));
    const uk = await channel(s, UK);
    const de = await channel(s, DE);
    expect([uk.quantityPool, de.quantityPool]).toEqual([`${s.sellerId}:EU`, `${s.sellerId}:EU`]);
    await inv.connect(uk.id, p.sku, p.id);
    await inv.connect(de.id, p.sku, p.id);
    await waitShown(s.sellerId, p.sku, 7);
    await settled(uk.id);
    await settled(de.id);
    await sleep(WINDOW * 2);
    expect(calls(s.sellerId, 'patchListingsItem')).toHaveLength(1);
    await inv.move(p.id, w1.id, 1);
    await waitShown(s.sellerId, p.sku, 8);
    await sleep(WINDOW * 3);
    const patches = calls(s.sellerId, 'patchListingsItem');
    expect(patches).toHaveLength(2);
    expect(patches.every((x) => x.marketplaceIds?.length === 1)).toBe(true);
    expect(sb.admin.quantities({ sellerId: s.sellerId, sku: p.sku })).toEqual([expect.objectContaining({ marketplaceId: null, quantity: 8 })]);
  });

  it('3,000 changed listings go as one feed, 10 as patches', async () => {
    const big = seller();
    const small = seller();
    const p = await inv.product();
    await inv.move(p.id, w1.id, 10);
    const n = 3000;
    const skus = Array.from({ length: n }, (_, i) => `BULK-${String(i).padStart(4, '0')}`);
    sb.admin.seedListings(skus.map((sku) => ({ sellerId: big.sellerId, sku, marketplaceId: UK, quantity: 0, leadTimeToShipMaxDays: 4 })));
    sb.admin.seedListings(skus.slice(0, 10).map((sku) => ({ sellerId: small.sellerId, sku, marketplaceId: UK, quantity: 0 })));
    // The 3,000 are connected with sync off (nothing sent), so that switching it on changes them all at once.
    const bigChannel = await channel(big, UK, { syncInventory: false });
    const smallChannel = await channel(small, UK);
    // Set-up shortcut: the connections through the host's listing service (what the HTTP route calls).
    const listings = host.app.get(ListingService);
    for (let i = 0; i < n; i += 20) await Promise.all(skus.slice(i, i + 20).map((sku) => listings.connect(bigChannel.id, { sku, productId: p.id })));
    for (const sku of skus.slice(0, 10)) await inv.connect(smallChannel.id, sku, p.id);
    await waitFor(async () => skus.slice(0, 10).every((sku) => sb.admin.quantities({ sellerId: small.sellerId, sku })[0]?.['quantity'] === 10), 15_000);
    await settled(smallChannel.id);

    // A goods-in changes the 10 (sync on): 10 patches, no feed.
    const mark = lastSeq();
    await inv.move(p.id, w1.id, 5);
    // Counted by Amazon's answers: a 429 at the bucket's edge is retried and is not a second patch.
    const patched = () => calls(small.sellerId, 'patchListingsItem', mark).filter((c) => c.status === 200);
    await waitFor(async () => patched().length >= 10, 15_000);
    await waitFor(async () => skus.slice(0, 10).every((sku) => sb.admin.quantities({ sellerId: small.sellerId, sku })[0]?.['quantity'] === 15), 15_000);
    expect(patched().map((c) => c.sku).sort()).toEqual(skus.slice(0, 10));
    expect(calls(small.sellerId, 'createFeed', mark)).toHaveLength(0);
    // Sync on for the 3,000: one feed of 3,000 messages, no patch.
    await host.api().patch(`/api/v1/channels/${bigChannel.id}/settings`).send({ syncInventory: true }).expect(200);
    await waitFor(async () => calls(big.sellerId, 'createFeed').length === 1, 20_000);
    const liveBig = await settled(bigChannel.id, 90_000);
    expect(liveBig.filter((l) => l.status === 'synced' && l.quantity === 15)).toHaveLength(n);
    expect(calls(big.sellerId, 'createFeed')).toHaveLength(1);
    expect(calls(big.sellerId, 'patchListingsItem')).toHaveLength(0);
    expect(calls(small.sellerId, 'createFeed')).toHaveLength(0);
    const [feed] = [...sb.state.feeds.values()].filter((f) => f.sellerId === big.sellerId);
    const doc = JSON.parse(sb.state.documents.get(feed.inputFeedDocumentId)!.content!.toString('utf8'));
    expect(doc.messages).toHaveLength(n);
    expect(doc.messages[0].patches[0]).toEqual({ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 15 }] });
    expect(sb.admin.quantities({ sellerId: big.sellerId, sku: skus[n - 1] })[0]).toMatchObject({ quantity: 15, leadTimeToShipMaxDays: 4 });
  }, 180_000); // about 20 s on SQLite, 50 s on PostgreSQL (3,000 connections and confirmations); the bound is for a loaded CI machine

  it('a 429 storm, 500s and INVALID patches end with every listing synced or showing its error', async () => {
    const s = seller();
    const products = await Promise.all(Array.from({ length: 8 }, () => inv.product()));
    for (const [i, p] of products.entries()) await inv.move(p.id, w1.id, i + 1);
    sb.admin.seedListings(products.map((p) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 })));
    const bad = [products[2].sku, products[5].sku];
    sb.admin.markSkusInvalid(bad, s.sellerId);
    sb.admin.injectFault({ kind: '429', count: 20, operation: 'patchListingsItem', sellerId: s.sellerId });
    sb.admin.injectFault({ kind: '500', count: 6, operation: 'getListingsItem', sellerId: s.sellerId });
    const c = await channel(s);
    for (const p of products) await inv.connect(c.id, p.sku, p.id);
    const end = await settled(c.id, 60_000);
    for (const [i, p] of products.entries()) {
      const l = end.find((x) => x.sku === p.sku)!;
      if (bad.includes(p.sku)) {
        expect(l).toMatchObject({ status: 'error', lastError: expect.stringMatching(/INVALID: 90000900/) });
      } else {
        expect(l).toMatchObject({ status: 'synced', quantity: i + 1 });
        expect(shown(s.sellerId, p.sku)?.quantity).toBe(i + 1);
      }
    }
    expect(calls(s.sellerId, 'patchListingsItem').filter((x) => x.status === 429).length).toBe(20);
    sb.admin.clearFaults();
  }, 70_000);

  it('a FATAL feed is sent again and INVALID feed messages show their error; lead time survives', async () => {
    const s = seller();
    const products = await Promise.all(Array.from({ length: 6 }, () => inv.product()));
    for (const p of products) await inv.move(p.id, w1.id, 2);
    sb.admin.seedListings(products.map((p) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0, leadTimeToShipMaxDays: 9 })));
    sb.admin.markSkusInvalid([products[0].sku], s.sellerId);
    sb.admin.failNextFeeds(1);
    sb.admin.injectFault({ kind: '500', count: 2, operation: 'createFeedDocument', sellerId: s.sellerId });
    const c = await channel(s, UK, { feedThreshold: 3, syncInventory: false });
    for (const p of products) await inv.connect(c.id, p.sku, p.id);
    await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: true }).expect(200);
    const end = await settled(c.id, 45_000);
    expect(end.find((l) => l.sku === products[0].sku)).toMatchObject({ status: 'error', lastError: expect.stringMatching(/90000900/) });
    expect(end.filter((l) => l.status === 'synced' && l.quantity === 2)).toHaveLength(5);
    const feeds = [...sb.state.feeds.values()].filter((f) => f.sellerId === s.sellerId);
    expect(feeds.map((f) => f.processingStatus)).toEqual(['FATAL', 'DONE']);
    for (const p of products.slice(1)) expect(shown(s.sellerId, p.sku)).toMatchObject({ quantity: 2, leadTimeToShipMaxDays: 9 });
    expect(calls(s.sellerId, 'patchListingsItem')).toHaveLength(0);
  }, 60_000);

  it('imports listings: dry run lists the matches, the import connects merchant-fulfilled SKUs with a product and reports the rest', async () => {
    const s = seller();
    const a = await inv.product();
    const b = await inv.product();
    const fba = await inv.product();
    await inv.move(a.id, w1.id, 2);
    await inv.move(b.id, w1.id, 5);
    sb.admin.seedListings([
      { sellerId: s.sellerId, sku: a.sku.toLowerCase(), marketplaceId: UK, quantity: 0 },
      { sellerId: s.sellerId, sku: b.sku, marketplaceId: UK, quantity: 1 },
      { sellerId: s.sellerId, sku: 'NOT-IN-CATALOG', marketplaceId: UK, quantity: 3 },
      { sellerId: s.sellerId, sku: fba.sku, marketplaceId: UK, fulfillmentChannel: 'AFN' },
    ]);
    const c = await channel(s);
    const dry = await host.api().post(`/api/v1/channels/${c.id}/listings/import`).send({ dryRun: true }).expect(200);
    bodies.push(dry.text);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.matched.map((m: { sku: string }) => m.sku).sort()).toEqual([a.sku.toLowerCase(), b.sku].sort());
    expect(dry.body.unmatched).toEqual(['NOT-IN-CATALOG']);
    expect(dry.body.skipped).toEqual([expect.objectContaining({ sku: fba.sku, reason: expect.stringMatching(/fulfilled by the marketplace/) })]);
    expect((await host.api().get(`/api/v1/channels/${c.id}/listings`).expect(200)).body.items).toHaveLength(0);

    const real = await host.api().post(`/api/v1/channels/${c.id}/listings/import`).send({}).expect(200);
    expect(real.body.matched).toHaveLength(2);
    expect(real.body.matched.every((m: { listingId?: string }) => !!m.listingId)).toBe(true);
    await waitShown(s.sellerId, a.sku.toLowerCase(), 2);
    await waitShown(s.sellerId, b.sku, 5);
    const again = await host.api().post(`/api/v1/channels/${c.id}/listings/import`).send({}).expect(200);
    expect(again.body.matched).toEqual([]);
    expect(again.body.alreadyConnected.sort()).toEqual([a.sku.toLowerCase(), b.sku].sort());
    expect(calls(s.sellerId, 'patchListingsItem').some((x) => x.sku === fba.sku)).toBe(false);
  });

  it('checks health with a token exchange, stores it on the channel and summarises it in /health', async () => {
    const s = seller();
    const good = await channel(s);
    const ok = await host.api().post(`/api/v1/channels/${good.id}/health-check`).expect(200);
    expect(ok.body).toMatchObject({ ok: true, message: expect.stringMatching(/Credentials valid/) });
    const wrong = await channel({ sellerId: s.sellerId, credentials: { ...s.credentials, clientSecret: 'cs-wrong-secret-0123456789' } }, DE);
    secrets.push('cs-wrong-secret-0123456789');
    const refused = await host.api().post(`/api/v1/channels/${wrong.id}/health-check`).expect(200);
    bodies.push(ok.text, refused.text);
    expect(refused.body).toMatchObject({ ok: false, message: expect.stringMatching(/LWA refused/) });
    expect((await host.api().get(`/api/v1/channels/${wrong.id}`).expect(200)).body.health).toMatchObject({ ok: false, checkedAt: expect.any(String) });
    const before = sb.state.calls.length;
    const health = await host.anon().get('/health').expect(200);
    bodies.push(health.text);
    expect(sb.state.calls.length).toBe(before); // /health reports the stored answers; it calls no marketplace
    expect(health.body.channels).toMatchObject({ failing: expect.any(Number), ok: expect.any(Number) });
    expect(health.body.channels.failingChannels).toEqual(expect.arrayContaining([expect.objectContaining({ id: wrong.id, type: 'amazon-mfn' })]));
    expect(health.body.plugins).toEqual(expect.arrayContaining([{ id: 'amazon-mfn', state: 'active' }]));

    // The host's periodic job refreshes every channel's stored health.
    const run = await runJob('host.channel-health');
    expect(run.status).toBe('succeeded');
    expect(run.summary).toMatchObject({ failing: expect.arrayContaining([expect.objectContaining({ channelId: wrong.id, message: expect.stringMatching(/LWA refused/) })]) });
    const after = (await host.anon().get('/health').expect(200)).body.channels;
    expect(after.unchecked).toBe(0);
    expect(after.ok + after.failing).toBe(after.total);
  });

  it('never shows a credential or an access token in a response or a log line', async () => {
    const channels = await host.api().get('/api/v1/channels').expect(200);
    bodies.push(channels.text);
    const tokens = [...sb.state.accessTokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    const everything = [...bodies, ...host.logs].join('\n');
    expect(host.logs.length).toBeGreaterThan(0);
    for (const secret of [...secrets, ...tokens]) expect(everything).not.toContain(secret);
  });
});
