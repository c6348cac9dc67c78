import { openReadBackScenario, type ReadBackScenario, type SyncFixture } from '@invsync/domain-sync';
import { ManagedWarehouseReconciliationService } from './managed-warehouse-reconciliation.service';

/** What a channel-managed warehouse's tool sees of the stored read-back. */
describe.each(['sqlite', 'postgres'] as const)('managed warehouse read-back on %s', (engine) => {
  let f: SyncFixture;
  let channel: ReadBackScenario['channel'];
  let listings: ReadBackScenario['listings'];
  let store: ReadBackScenario['store'];

  beforeAll(async () => {
    ({ f, channel, listings, store } = await openReadBackScenario(engine));
  });
  afterAll(() => f?.close());

  it('a listing missing from the latest read keeps its quantity and old read time (stale), in the report and Live Listings', async () => {
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

  it('a listing never read is not compared and pending in Live Listings', async () => {
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
