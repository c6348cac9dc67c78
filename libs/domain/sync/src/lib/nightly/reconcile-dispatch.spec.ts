import { listingReadAt } from '@invsync/domain-channels';
import type { SyncFixture } from '../../testing/sync-fixture';
import { useDispatcherFixture } from '../dispatcher/dispatcher-spec-setup';

describe.each(['sqlite', 'postgres'] as const)('Nightly reconciliation through the dispatcher on %s', (engine) => {
  const s = useDispatcherFixture(engine);
  const { product, channel, settle, row } = s;
  let f: SyncFixture;
  beforeAll(() => {
    ({ f } = s);
  });

  it('nightly reconciliation sends only where the channel differs, or everything without read-back', async () => {
    const p1 = await product(4);
    const p2 = await product(6);
    const c = await channel();
    const a = await f.listings.connect(c.id, { sku: `A-${s.seq}`, productId: p1.id });
    const b = await f.listings.connect(c.id, { sku: `B-${s.seq}`, productId: p2.id });
    await settle();
    f.gateway.sent.length = 0;
    f.gateway.remote.set(c.id, [
      { sku: a.sku, quantity: 4 },
      { sku: b.sku, quantity: 99 },
    ]);
    const dry = await f.reconciliation.reconcile(c.id, { dryRun: true });
    expect(dry).toMatchObject({ listings: 2, changed: 1, unchanged: 1, messages: 1, readBack: true });
    expect(dry.items).toEqual([expect.objectContaining({ sku: b.sku, quantity: 6, channelQuantity: 99 })]);
    await settle();
    expect(f.gateway.sent).toEqual([]);
    await f.reconciliation.reconcile(c.id);
    await settle();
    expect(f.gateway.updates().map((u) => [u.sku, u.quantity])).toEqual([[b.sku, 6]]);
    f.gateway.remote.delete(c.id);
    f.gateway.sent.length = 0;
    const all = await f.reconciliation.reconcile(c.id);
    expect(all).toMatchObject({ readBack: false, changed: 2 });
    await settle();
    expect(f.gateway.updates()).toHaveLength(2);
  });

  it('read-back storage matches SKUs ignoring case, honours a marketplace, lets a later entry for a SKU win, and reconcile pages through every listing', async () => {
    const c = await channel();
    const p = await product(3);
    const listings = [];
    for (let i = 0; i < 7; i++) listings.push(await f.listings.connect(c.id, { sku: `R-${s.seq}-${i}`, productId: p.id }));
    await settle();
    const stored = await f.reconciliation.storeRemoteQuantities(
      c.id,
      (async function* () {
        yield [
          { sku: listings[0].sku.toLowerCase(), quantity: 1 },
          { sku: listings[1].sku, quantity: 5 },
          { sku: listings[1].sku, quantity: 3 },
          { sku: listings[2].sku, quantity: 8, marketplaceId: 'OTHER' },
        ];
        yield [{ sku: listings[3].sku, quantity: 3, marketplaceId: 'M1', details: { reserved: 2 } }];
      })(),
    );
    expect(stored.stored).toBe(5);
    const rows = await Promise.all(listings.slice(0, 4).map((l) => row(l.id)));
    const channelReadAt = (await f.channels.get(c.id)).remoteReadAt;
    expect(channelReadAt).toBe(stored.readAt);
    expect(rows.map((r) => [r.remoteQuantity, listingReadAt(r, channelReadAt) === stored.readAt])).toEqual([
      [1, true],
      [3, true],
      [null, false],
      [3, true],
    ]);
    expect(JSON.parse(rows[3].remoteDetails!)).toEqual({ reserved: 2 });
    f.gateway.remote.set(c.id, listings.map((l, i) => ({ sku: l.sku, quantity: i % 2 ? 3 : 0 })));
    const dry = await f.reconciliation.reconcile(c.id, { dryRun: true, pageSize: 2 });
    expect(dry).toMatchObject({ listings: 7, changed: 4, unchanged: 3 });
    expect(dry.items!.map((i) => i.sku).sort()).toEqual(listings.filter((_, i) => i % 2 === 0).map((l) => l.sku).sort());
    f.gateway.remote.delete(c.id);
  });
});
