import { recorder, recordingPlugin } from './fixtures/recording-plugin';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost, waitFor } from './support/test-host';

/**
 * The reads the admin console is built on, beyond the other specs': SKU prefix search on products
 * and on Live Listings (server-side, paged; LIKE wildcards in a SKU are plain characters), the
 * product's SKU beside each live listing, and GET /api/v1/overview.
 */
describe('console reads: SKU search, Live Listings product SKU, overview', () => {
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  let channelId: string;

  beforeAll(async () => {
    recorder.reset();
    host = await startHost({ plugins: [recordingPlugin], env: { SYNC_WINDOW_MS: '50', SYNC_TICK_MS: '50' } });
    inv = inventoryApi(host);
    const w = await inv.warehouse('MAIN');
    const c = await inv.channel({ account: 'seller-1', marketplace: 'M1', apiKey: 'secret-api-key-123456', syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id });
    channelId = c.id;
    for (const sku of ['CUP-1', 'CUP-2', 'CUP-3', 'CUPBOARD', 'C%P', 'C_P-1', 'PLATE']) {
      const p = await inv.product(sku);
      await inv.connect(channelId, `${sku.toLowerCase()}-uk`, p.id);
    }
  });
  afterAll(() => host?.close());

  it('products: ?skuPrefix= finds the SKUs starting with it, case-insensitively, a page at a time', async () => {
    const skus = async (q: string) => ((await host.api().get(`/api/v1/products${q}`).expect(200)).body.items as { sku: string }[]).map((p) => p.sku);
    expect(await skus('?skuPrefix=cup')).toEqual(['CUP-1', 'CUP-2', 'CUP-3', 'CUPBOARD']);
    expect(await skus('?skuPrefix=CUP-')).toEqual(['CUP-1', 'CUP-2', 'CUP-3']);
    expect(await skus(`?skuPrefix=${encodeURIComponent('C%')}`)).toEqual(['C%P']);
    expect(await skus(`?skuPrefix=${encodeURIComponent('C_')}`)).toEqual(['C_P-1']);
    const first = (await host.api().get('/api/v1/products?skuPrefix=cup&limit=3').expect(200)).body;
    expect(first.items).toHaveLength(3);
    const second = (await host.api().get(`/api/v1/products?skuPrefix=cup&limit=3&cursor=${encodeURIComponent(first.nextCursor)}`).expect(200)).body;
    expect(second).toMatchObject({ items: [{ sku: 'CUPBOARD' }], nextCursor: null });
  });

  it("Live Listings: ?skuPrefix= filters the channel's SKUs, paged; each item names its product's SKU", async () => {
    const page = async (q: string) => (await host.api().get(`/api/v1/channels/${channelId}/live-listings${q}`).expect(200)).body as { items: { sku: string; productSku: string }[]; nextCursor: string | null };
    const cups = await page('?skuPrefix=CUP&limit=2');
    expect(cups.items.map((i) => [i.sku, i.productSku])).toEqual([
      ['cup-1-uk', 'CUP-1'],
      ['cup-2-uk', 'CUP-2'],
    ]);
    const rest = await page(`?skuPrefix=CUP&limit=2&cursor=${encodeURIComponent(cups.nextCursor!)}`);
    expect(rest.items.map((i) => i.sku)).toEqual(['cup-3-uk', 'cupboard-uk']);
    expect((await page(`?skuPrefix=${encodeURIComponent('c_p')}`)).items.map((i) => i.sku)).toEqual(['c_p-1-uk']);
    expect((await page('?skuPrefix=nothing')).items).toEqual([]);
    await host.api().get(`/api/v1/channels/${channelId}/live-listings?skuPrefix=${'x'.repeat(41)}`).expect(400);
  });

  it('Live Listings: ?status= pages through exactly the listings showing it, alone and with a prefix', async () => {
    type Item = { listingId: string; sku: string; status: string };
    const collect = async (q: string) => {
      const out: Item[] = [];
      for (let cursor: string | null = ''; cursor !== null; ) {
        const body = (await host.api().get(`/api/v1/channels/${channelId}/live-listings?limit=2${q}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200)).body as { items: Item[]; nextCursor: string | null };
        out.push(...body.items);
        cursor = body.nextCursor;
      }
      return out;
    };
    const all = await waitFor(async () => {
      const items = await collect('');
      return items.every((i) => i.status === 'synced') && items;
    });
    expect(all).toHaveLength(7);
    const cupboard = all.find((i) => i.sku === 'cupboard-uk')!;
    await host.api().patch(`/api/v1/listings/${cupboard.listingId}`).send({ syncEnabled: false }).expect(200);
    expect((await collect('&status=synced')).map((i) => i.sku)).toEqual(all.filter((i) => i !== cupboard).map((i) => i.sku));
    expect((await collect('&status=disabled')).map((i) => i.sku)).toEqual(['cupboard-uk']);
    expect((await collect('&status=disabled&skuPrefix=cup')).map((i) => i.sku)).toEqual(['cupboard-uk']);
    expect((await collect('&status=synced&skuPrefix=cup')).map((i) => i.sku)).toEqual(['cup-1-uk', 'cup-2-uk', 'cup-3-uk']);
    expect(await collect('&status=error')).toEqual([]);
    await host.api().patch(`/api/v1/listings/${cupboard.listingId}`).send({ syncEnabled: true }).expect(200);
  });

  it('overview: listings by channel and status, the backlog and parked orders', async () => {
    const overview = await waitFor(async () => {
      const o = (await host.api().get('/api/v1/overview').expect(200)).body as { listings: { channelId: string; status: string; count: number }[]; dirtyListings: number; parkedOrders: number };
      return o.dirtyListings === 0 && o;
    });
    expect(overview.listings.filter((l) => l.channelId === channelId).reduce((n, l) => n + l.count, 0)).toBe(7);
    expect(overview).toMatchObject({ dirtyListings: 0, pendingChanges: expect.any(Number), parkedOrders: 0 });
    await host.api().post('/api/v1/orders').send({ channelId, externalId: 'O-1', lines: [{ sku: 'UNKNOWN', quantity: 1 }] }).expect(202);
    expect((await host.api().get('/api/v1/overview').expect(200)).body.parkedOrders).toBe(1);
    await host.anon().get('/api/v1/overview').expect(401);
  });
});
