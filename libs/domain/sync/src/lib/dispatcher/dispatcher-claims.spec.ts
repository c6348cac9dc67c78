import type { WarehouseView } from '@invsync/domain-stock';
import { ListingEntity } from '@invsync/domain-channels';
import { openSyncFixture, type SyncFixture } from '../../testing/sync-fixture';
import { sleep, useDispatcherFixture, user } from './dispatcher-spec-setup';

describe.each(['sqlite', 'postgres'] as const)('SyncDispatcher claims and retries on %s', (engine) => {
  const s = useDispatcherFixture(engine);
  const { product, channel, settle, row, oneListing } = s;
  let f: SyncFixture;
  let w1: WarehouseView;
  beforeAll(() => {
    ({ f, w1 } = s);
  });

  it('retries a temporary failure with backoff, then records the success', async () => {
    // A clock of its own: the retry is due once the clock passes its backoff (25-50 ms here), however slow the machine.
    let clock = Date.now();
    const g = await openSyncFixture(engine, { now: () => new Date(clock) });
    try {
      const { w, p, l } = await oneListing(g, `R-${engine}`);
      await g.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: 3 }], { cause: user });
      let calls = 0;
      g.gateway.answer = (u) => (++calls === 1 ? { updateId: u.updateId, status: 'retry', message: 'throttled' } : { updateId: u.updateId, status: 'synced' });
      const stored = () => g.t.ds.getRepository(ListingEntity).findOneByOrFail({ id: l.id });
      await g.dispatcher.pass();
      expect(await stored()).toMatchObject({ status: 'error', lastError: 'will retry: throttled', dirty: true, attempts: 1 });
      await g.dispatcher.pass();
      expect(calls).toBe(1); // not before its retry time
      clock += 250;
      await g.dispatcher.pass();
      expect(calls).toBe(2);
      expect(await stored()).toMatchObject({ status: 'synced', acceptedQuantity: 3, attempts: 0, lastError: null });
    } finally {
      await g.close();
    }
  });

  it('keeps a rejection visible and does not resend it until something changes', async () => {
    const p = await product(3);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    f.gateway.answer = (u) => ({ updateId: u.updateId, status: 'rejected', message: 'SKU not found on the channel' });
    await settle();
    await settle();
    expect(f.gateway.updates()).toHaveLength(1);
    expect(await row(l.id)).toMatchObject({ status: 'error', lastError: 'SKU not found on the channel', dirty: false });
  });

  it('keeps its claim through a send longer than the lease, also on a listing whose last send awaits confirmation', async () => {
    const g = await openSyncFixture(engine, { leaseMs: 300 });
    try {
      const { w, p, l } = await oneListing(g, 'LEASE-1');
      // Accepted, not held: the listing is free and keeps the receipt for a later confirmation.
      g.gateway.answer = (u) => ({ updateId: u.updateId, status: 'accepted', receipt: `patch-${u.quantity}` });
      await g.dispatcher.pass();
      expect(await g.t.ds.getRepository(ListingEntity).findOneByOrFail({ id: l.id })).toMatchObject({ receipt: 'patch-0', inflightToken: null });
      await g.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: 5 }], { cause: user });
      let during: { claimed: number } | undefined;
      let slow = true;
      g.gateway.whileSending = async () => {
        if (!slow) return;
        slow = false;
        // The send outlasts three leases while the stock changes; another instance's pass finds the claim alive.
        await g.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: 1 }], { cause: user });
        await sleep(1000);
        during = await g.dispatcher.pass();
      };
      await g.dispatcher.pass();
      expect(during?.claimed).toBe(0);
      expect(g.gateway.updates().map((u) => u.quantity)).toEqual([0, 5]);
      await g.dispatcher.pass();
      expect(g.gateway.updates().map((u) => u.quantity)).toEqual([0, 5, 6]);
    } finally {
      await g.close();
    }
  });

  it('ignores a late result whose claim was taken over, and never lets an older value overwrite a newer one', async () => {
    const p = await product(2);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    // First send hangs while stock changes; its (older) result must not clear the newer change.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const original = f.gateway.send.bind(f.gateway);
    f.gateway.send = async (channelId, updates) => {
      const r = await original(channelId, updates);
      await gate;
      return r;
    };
    const slow = f.dispatcher.pass();
    await sleep(100);
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 5 }], { cause: user });
    await f.dispatcher.consumeChanges();
    // Claimed: a concurrent pass does not send it again.
    const concurrent = await f.dispatcher.pass();
    expect(concurrent.sent).toBe(0);
    release();
    await slow;
    f.gateway.send = original;
    expect((await row(l.id)).dirty).toBe(true);
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([2, 7]);
    expect(await row(l.id)).toMatchObject({ acceptedQuantity: 7, dirty: false });
  });

  it.each([
    ['its lease ran out (another instance takes it over)', false],
    ['the host restarts on its own database (SQLite)', true],
  ])('sends after a claim abandoned mid-send even what was last accepted, when %s', async (_, restart) => {
    // Amazon was sent 12 (accepted), then an instance claimed the change to 15, sent it and died
    // before recording: Amazon may show 15 while the database still says 12 was the last accepted.
    const p = await product(12);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${s.seq}`, productId: p.id });
    await settle();
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 3 }], { cause: user });
    await f.dispatcher.consumeChanges();
    const until = new Date(Date.now() + (restart ? 60_000 : -1000)).toISOString();
    await f.t.ds.getRepository(ListingEntity).update({ id: l.id }, { inflightToken: 'dead-instance', inflightSeq: (await row(l.id)).changeSeq, inflightUntil: until });
    // An order brings on hand back to 12 before anyone else looks at the listing.
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'correction', quantity: -3 }], { cause: user });
    if (restart) await f.dispatcher.releaseAbandonedClaims();
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([12, 12]);
    expect(await row(l.id)).toMatchObject({ acceptedQuantity: 12, dirty: false, forceSend: false, inflightToken: null });
    // Once sent, the force is over: the next change that nets to zero sends nothing.
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user });
    await f.ledger.apply([{ productId: p.id, warehouseId: w1.id, type: 'correction', quantity: -1 }], { cause: user });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity)).toEqual([12, 12]);
  });
});
