import type { RemoteQuantity } from '@invsync/plugin-api';
import type { WarehouseView } from '@invsync/domain-stock';
import { openSyncFixture, type SyncFixture } from '@invsync/domain-sync';
import { ManagedWarehouseReconciliationService } from './managed-warehouse-reconciliation.service';

const user = { type: 'user', actor: 'test' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* pages(...ps: RemoteQuantity[][]) {
  for (const p of ps) yield p;
}

/** What a channel-managed warehouse's tool sees of the stored read-back. */
describe.each(['sqlite', 'postgres'] as const)('managed warehouse read-back on %s', (engine) => {
  let f: SyncFixture;
  let w: WarehouseView;
  let seq = 0;

  beforeAll(async () => {
    f = await openSyncFixture(engine);
    w = await f.warehouses.create({ code: 'W1', name: 'One' });
  });
  afterAll(() => f?.close());

  const channel = (fulfilment: 'merchant' | 'channel' = 'merchant') =>
    f.channels.create({
      type: 'test',
      name: `ch-${++seq}`,
      fulfilment,
      marketplaceId: 'M1',
      quantityPool: `seller-${seq}:M1`,
      accountId: 'seller',
      syncInventory: fulfilment === 'merchant',
      onHandWarehouseIds: fulfilment === 'merchant' ? [w.id] : [],
      managedWarehouseId: fulfilment === 'channel' ? w.id : null,
      rules: {},
      pluginSettings: '{}',
    });
  /** Listings on `c`, one product each with `qty` in stock. */
  const listings = async (channelId: string, quantities: number[]) => {
    const out = [];
    for (const qty of quantities) {
      const p = await f.catalog.create({ sku: `RB-${engine}-${++seq}`, name: 'p', kind: 'stock' });
      if (qty) await f.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: qty }], { cause: user });
      out.push(await f.listings.connect(channelId, { sku: p.sku, productId: p.id }));
    }
    return out;
  };
  /** A new read time (reads in one millisecond would share it). */
  const store = async (channelId: string, ...ps: RemoteQuantity[][]) => {
    await sleep(2);
    return f.reconciliation.storeRemoteQuantities(channelId, pages(...ps), { pageSize: 2 });
  };

  it('FBA: a listing missing from the latest read keeps its quantity and old read time (stale), in the report and Live Listings', async () => {
    const fba = new ManagedWarehouseReconciliationService(f.tx, f.ledger);
    const c = await channel('channel');
    const [a, m] = await listings(c.id, [0, 0]);
    const details = { reserved: 1, inbound: 0, unfulfillable: 0 };
    const r1 = await store(c.id, [
      { sku: a.sku, quantity: 3, details },
      { sku: m.sku, quantity: 4, details },
    ]);
    const r2 = await store(c.id, [{ sku: a.sku, quantity: 3, details }]);
    const report = await fba.discrepancies(c.id, { staleAfterMs: 3_600_000 });
    expect(report).toMatchObject({ readAt: r2.readAt, stale: false });
    const byProduct = new Map(report.items.map((i) => [i.productId, i]));
    expect(byProduct.get(a.productId)).toMatchObject({ channelQuantity: 3, readAt: r2.readAt, stale: false });
    expect(byProduct.get(m.productId)).toMatchObject({ channelQuantity: 4, readAt: r1.readAt, stale: true });
    const live = await f.listings.live(c.id, {});
    expect(live.items.map((i) => [i.sku, i.quantity, i.status, i.readAt])).toEqual(
      expect.arrayContaining([
        [a.sku, 3, 'synced', r2.readAt],
        [m.sku, 4, 'synced', r1.readAt],
      ]),
    );
    const ctx = await fba.stalenessOf(c.id, { staleAfterMs: 3_600_000 });
    expect(ctx.latestReadAt).toBe(r2.readAt);
  });

  it('FBA: a listing never read is not compared and pending in Live Listings', async () => {
    const fba = new ManagedWarehouseReconciliationService(f.tx, f.ledger);
    const c = await channel('channel');
    const [a, never] = await listings(c.id, [0, 0]);
    await store(c.id, [{ sku: a.sku, quantity: 2 }]);
    const report = await fba.discrepancies(c.id, { staleAfterMs: 3_600_000 });
    expect(report.notCompared).toEqual([expect.objectContaining({ productId: never.productId, reason: 'not-read' })]);
    const live = await f.listings.live(c.id, {});
    expect(live.items.find((i) => i.sku === never.sku)).toMatchObject({ quantity: null, status: 'pending', readAt: null });
  });
});
