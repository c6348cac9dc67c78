import type { WarehouseView } from '@invsync/domain-stock';
import { ListingEntity } from '@invsync/domain-channels';
import { openSyncFixture, type SyncFixture } from '../../testing/sync-fixture';
import { sleep, useDispatcherFixture, user } from './dispatcher-spec-setup';

describe.each(['sqlite', 'postgres'] as const)('SyncDispatcher sends on %s', (engine) => {
  const s = useDispatcherFixture(engine);
  const { product, channel, settle, row, oneListing } = s;
  let f: SyncFixture;
  let w1: WarehouseView;
  let w2: WarehouseView;
  beforeAll(() => {
    ({ f, w1, w2 } = s);
  });

  it('sends a connected listing at once with its on hand, then records it synced', async () => {
    const p = await product(7);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    await settle();
    expect(f.gateway.updates()).toEqual([{ updateId: l.id, sku: l.sku, marketplaceIds: ['M1'], quantity: 7 }]);
    expect(await row(l.id)).toMatchObject({ status: 'synced', acceptedQuantity: 7, dirty: false, inflightToken: null });
  });

  it('ends a forced send with the send: a change during it that leaves the quantity as it was sends nothing more', async () => {
    const p = await product(7);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    let once = false;
    f.gateway.whileSending = async () => {
      if (once) return;
      once = true;
      // Another instance turns a stock change that nets to zero into a dirty mark meanwhile.
      await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 2 }], { cause: user });
      await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'correction', quantity: -2 }], { cause: user });
      await f.dispatcher.consumeChanges();
    };
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([7]);
    expect(await row(l.id)).toMatchObject({ status: 'synced', acceptedQuantity: 7, dirty: false, forceSend: false });
    // A force requested while a send is in flight is kept for the next pass.
    f.gateway.sent.length = 0;
    once = false;
    f.gateway.whileSending = async () => {
      if (once) return;
      once = true;
      await f.listings.update(l.id, { syncEnabled: false });
      await f.listings.update(l.id, { syncEnabled: true });
    };
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([8, 8]);
  });

  it('sends a stock change, and nothing for a change that nets to zero', async () => {
    const p = await product(5);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    await settle();
    f.gateway.sent.length = 0;
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 3 }], { cause: user });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([8]);
    f.gateway.sent.length = 0;
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'correction', quantity: 1 }], { cause: user });
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'correction', quantity: -1 }], { cause: user });
    await settle();
    expect(f.gateway.sent).toEqual([]);
    expect(await row(l.id)).toMatchObject({ status: 'synced', dirty: false });
  });

  it('sums only the channel warehouses and applies the rules', async () => {
    const p = await product(10, w1);
    await f.ledger.apply([{ productId: p.id, warehouseId: w2.id, type: 'goods-in', quantity: 20 }], { cause: user });
    const c = await channel({ onHandWarehouseIds: [w1.id, w2.id], rules: { reserve: 2, maxQuantity: 25 } });
    const c2 = await channel({ onHandWarehouseIds: [w2.id] });
    await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    await f.listings.connect(c2.id, { sku: `S2-${s.seq}`, productId: p.id, percentage: 50 });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity).sort()).toEqual([10, 25]);
  });

  it('sends one update for listings sharing a quantity (same pool and SKU) in two marketplaces', async () => {
    const p = await product(4);
    const pool = `eu-seller-${++s.seq}:EU`;
    const de = await channel({ quantityPool: pool, marketplaceId: 'DE' });
    const fr = await channel({ quantityPool: pool, marketplaceId: 'FR' });
    await f.listings.connect(de.id, { sku: 'SHARED', productId: p.id });
    await f.listings.connect(fr.id, { sku: 'shared', productId: p.id });
    await settle();
    expect(f.gateway.updates()).toHaveLength(1);
    expect(f.gateway.updates()[0]).toMatchObject({ quantity: 4, marketplaceIds: ['DE', 'FR'] });
    f.gateway.sent.length = 0;
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user });
    await settle();
    expect(f.gateway.updates()).toHaveLength(1);
  });

  it('refuses to connect a listing whose shared quantity could differ, and reports an existing conflict without sending', async () => {
    const a = await product(4);
    const b = await product(9);
    const pool = `eu-seller-${++s.seq}:EU`;
    const de = await channel({ quantityPool: pool, marketplaceId: 'DE' });
    const fr = await channel({ quantityPool: pool, marketplaceId: 'FR' });
    const first = await f.listings.connect(de.id, { sku: 'X1', productId: a.id });
    await expect(f.listings.connect(fr.id, { sku: 'X1', productId: b.id })).rejects.toThrow(/share one quantity with listing .* another product.*different SKU/);
    await expect(f.listings.connect(fr.id, { sku: 'X1', productId: a.id, reserve: 1 })).rejects.toThrow(/quantity rules differ/);
    // A conflict that exists anyway (e.g. written before the rule) is shown, and nothing is sent.
    const other = { ...(await row(first.id)), id: `c-${s.seq}-${engine}`.padEnd(36, '0').slice(0, 36), channelId: fr.id, marketplaceId: 'FR', productId: b.id };
    await f.t.ds.getRepository(ListingEntity).insert(other);
    await f.tx.run((em) => em.getRepository(ListingEntity).update({ id: first.id }, { dirty: true, dirtySince: '1970-01-01T00:00:00.000Z' }));
    await settle();
    expect(f.gateway.updates().filter((u) => u.sku === 'X1')).toEqual([]);
    expect((await row(first.id)).status).toBe('conflict');
    expect((await row(first.id)).lastError).toMatch(/could differ/);
  });

  it('sends nothing while sync is off, and re-sends everything when it is switched back on', async () => {
    const p = await product(6);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    await settle();
    f.gateway.sent.length = 0;
    await f.channels.update(c.id, { syncInventory: false });
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user });
    await settle();
    expect(f.gateway.sent).toEqual([]);
    expect((await row(l.id)).status).toBe('disabled');
    await f.channels.update(c.id, { syncInventory: true });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([7]);
    // Switching on again re-sends even an unchanged quantity.
    f.gateway.sent.length = 0;
    await f.channels.update(c.id, { syncInventory: false });
    await f.channels.update(c.id, { syncInventory: true });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([7]);
  });

  it('waits for the coalescing window and sends the latest value once', async () => {
    const g = await openSyncFixture(engine, { windowMs: 400 });
    try {
      const { w, p } = await oneListing(g, 'CO-1');
      await g.dispatcher.pass();
      expect(g.gateway.updates().map((u) => u.quantity)).toEqual([0]);
      for (let i = 0; i < 20; i++) await g.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: 1 }], { cause: user });
      await g.dispatcher.pass();
      expect(g.gateway.updates()).toHaveLength(1); // still inside the window
      await sleep(450);
      await g.dispatcher.pass();
      expect(g.gateway.updates().map((u) => u.quantity)).toEqual([0, 20]);
    } finally {
      await g.close();
    }
  });
});
