import type { WarehouseView } from '@invsync/domain-stock';
import { ListingEntity } from '@invsync/domain-channels';
import { openSyncFixture, type SyncFixture } from '../../testing/sync-fixture';
import { useDispatcherFixture, user } from './dispatcher-spec-setup';

describe.each(['sqlite', 'postgres'] as const)('Delivery confirmation on %s', (engine) => {
  const s = useDispatcherFixture(engine);
  const { product, channel, settle, row, oneListing } = s;
  let f: SyncFixture;
  let w1: WarehouseView;
  beforeAll(() => {
    ({ f, w1 } = s);
  });

  it('confirms accepted deliveries with receipts later', async () => {
    const p = await product(3);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    f.gateway.answer = (u) => ({ updateId: u.updateId, status: 'accepted', receipt: 'feed-1', holdUntilConfirmed: true });
    await settle();
    expect(await row(l.id)).toMatchObject({ status: 'sent', receipt: 'feed-1' });
    // Held: a change waits for the confirmation, so the older (feed) value cannot overtake it.
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user });
    await settle();
    expect(f.gateway.updates().filter((u) => u.updateId === l.id).map((u) => u.quantity)).toEqual([3]);
    f.gateway.confirmations = (r) => ({ ...r, status: 'accepted' });
    await f.dispatcher.confirmPending();
    expect((await row(l.id)).status).toBe('sent');
    f.gateway.confirmations = (r) => ({ ...r, status: 'synced' });
    const out = await f.dispatcher.confirmPending();
    expect(out.confirmed).toBe(1);
    expect(await row(l.id)).toMatchObject({ status: 'synced', receipt: null, inflightToken: null });
    await settle();
    expect(f.gateway.updates().filter((u) => u.updateId === l.id).map((u) => u.quantity)).toEqual([3, 4]);
  });

  it('does not hold a listing for an in-order delivery awaiting confirmation', async () => {
    const p = await product(3);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    f.gateway.answer = (u) => ({ updateId: u.updateId, status: 'accepted', receipt: `patch-${u.quantity}` });
    await settle();
    expect(await row(l.id)).toMatchObject({ status: 'sent', receipt: 'patch-3', inflightToken: null });
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 2 }], { cause: user });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([3, 5]);
    // The late confirmation of the first send does not touch the second.
    f.gateway.confirmations = (r) => ({ ...r, status: r.receipt === 'patch-5' ? 'synced' : 'rejected', message: 'old' });
    await f.dispatcher.confirmPending();
    expect(await row(l.id)).toMatchObject({ status: 'synced', acceptedQuantity: 5, receipt: null });
  });

  it('leaves a claimed listing to its pass when a confirmation round answers for the receipt it still carries', async () => {
    const p = await product(3);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    f.gateway.answer = (u) => ({ updateId: u.updateId, status: 'accepted', receipt: `patch-${u.quantity}` });
    await settle();
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 2 }], { cause: user });
    let during: ListingEntity | undefined;
    f.gateway.whileSending = async () => {
      if (during) return;
      // The other loop confirms the older send while the newer one is in flight.
      f.gateway.confirmations = (r) => ({ ...r, status: 'synced' });
      await f.dispatcher.confirmPending();
      during = await row(l.id);
    };
    await settle();
    expect(during).toMatchObject({ receipt: 'patch-3', inflightToken: expect.any(String) });
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([3, 5]);
    expect(await row(l.id)).toMatchObject({ status: 'sent', acceptedQuantity: 5, receipt: 'patch-5', dirty: false, inflightToken: null });
  });

  it('confirms every pending delivery, page by page', async () => {
    const g = await openSyncFixture(engine, { confirmPageSize: 2 });
    try {
      const { p } = await oneListing(g, 'PAGE-0');
      const c = (await g.channels.list())[0];
      for (let i = 1; i < 5; i++) await g.listings.connect(c.id, { sku: `PAGE-${i}`, productId: p.id });
      g.gateway.answer = (u) => ({ updateId: u.updateId, status: 'accepted', receipt: `patch-${u.sku}` });
      await g.dispatcher.pass();
      const asked: string[] = [];
      g.gateway.confirmations = (r) => (asked.push(r.receipt), { ...r, status: 'synced' });
      expect(await g.dispatcher.confirmPending()).toEqual({ confirmed: 5, rejected: 0, expired: 0 });
      expect(asked.sort()).toEqual(['patch-PAGE-0', 'patch-PAGE-1', 'patch-PAGE-2', 'patch-PAGE-3', 'patch-PAGE-4']);
      expect((await g.t.ds.getRepository(ListingEntity).find()).map((l) => [l.status, l.receipt])).toEqual(Array(5).fill(['synced', null]));
    } finally {
      await g.close();
    }
  });
});
