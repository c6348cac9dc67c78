import type { ProductView } from '@invsync/domain-catalog';
import type { WarehouseView } from '@invsync/domain-stock';
import { openSyncFixture, type SyncFixture } from '../../testing/sync-fixture';
import { ListingEntity } from '@invsync/domain-channels';
import { listingReadAt } from '@invsync/domain-channels';

const user = { type: 'user', actor: 'test' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['sqlite', 'postgres'] as const)('SyncDispatcher on %s', (engine) => {
  let f: SyncFixture;
  let w1: WarehouseView;
  let w2: WarehouseView;
  let seq = 0;

  beforeAll(async () => {
    f = await openSyncFixture(engine);
    w1 = await f.warehouses.create({ code: 'W1', name: 'One' });
    w2 = await f.warehouses.create({ code: 'W2', name: 'Two' });
  });
  afterAll(() => f?.close());
  beforeEach(() => {
    f.gateway.sent.length = 0;
    f.gateway.whileSending = undefined;
    f.gateway.answer = (u) => ({ updateId: u.updateId, status: 'synced' });
  });

  const product = async (qty: number, warehouse = w1): Promise<ProductView> => {
    const p = await f.catalog.create({ sku: `P-${engine}-${++seq}`, name: 'p', kind: 'stock' });
    if (qty) await f.ledger.apply([{ productId: p.id, warehouseId: warehouse.id, type: 'goods-in', quantity: qty }], { cause: user });
    return p;
  };
  const channel = (over: Partial<Parameters<SyncFixture['channels']['create']>[0]> = {}) =>
    f.channels.create({
      type: 'test',
      name: `ch-${++seq}`,
      fulfilment: 'merchant',
      marketplaceId: 'M1',
      quantityPool: `seller-${seq}:M1`,
      accountId: 'seller',
      syncInventory: true,
      onHandWarehouseIds: [w1.id],
      rules: {},
      pluginSettings: '{}',
      ...over,
    });
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const s = await f.dispatcher.pass();
      if (!s.claimed && !s.changesConsumed) return;
    }
  };
  const row = (id: string) => f.t.ds.getRepository(ListingEntity).findOneByOrFail({ id });
  /** A warehouse, a product and one listing of it on a new channel, in a fixture of its own. */
  const oneListing = async (g: SyncFixture, sku: string) => {
    const w = await g.warehouses.create({ code: 'W', name: 'W' });
    const p = await g.catalog.create({ sku, name: 'p', kind: 'stock' });
    const c = await g.channels.create({
      type: 'test', name: 'c', fulfilment: 'merchant', marketplaceId: 'M', quantityPool: 's:M', accountId: 's', syncInventory: true, onHandWarehouseIds: [w.id], rules: {}, pluginSettings: '{}',
    });
    return { w, p, l: await g.listings.connect(c.id, { sku, productId: p.id }) };
  };

  it('sends a connected listing at once with its on hand, then records it synced', async () => {
    const p = await product(7);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
    await settle();
    expect(f.gateway.updates()).toEqual([{ updateId: l.id, sku: l.sku, marketplaceIds: ['M1'], quantity: 7 }]);
    expect(await row(l.id)).toMatchObject({ status: 'synced', acceptedQuantity: 7, dirty: false, inflightToken: null });
  });

  it('ends a forced send with the send: a change during it that leaves the quantity as it was sends nothing more', async () => {
    const p = await product(7);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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
    await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
    await f.listings.connect(c2.id, { sku: `S2-${seq}`, productId: p.id, percentage: 50 });
    await settle();
    expect(f.gateway.updates().map((u) => u.quantity).sort()).toEqual([10, 25]);
  });

  it('sends one update for listings sharing a quantity (same pool and SKU) in two marketplaces', async () => {
    const p = await product(4);
    const pool = `eu-seller-${++seq}:EU`;
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
    const pool = `eu-seller-${++seq}:EU`;
    const de = await channel({ quantityPool: pool, marketplaceId: 'DE' });
    const fr = await channel({ quantityPool: pool, marketplaceId: 'FR' });
    const first = await f.listings.connect(de.id, { sku: 'X1', productId: a.id });
    await expect(f.listings.connect(fr.id, { sku: 'X1', productId: b.id })).rejects.toThrow(/share one quantity with listing .* another product.*different SKU/);
    await expect(f.listings.connect(fr.id, { sku: 'X1', productId: a.id, reserve: 1 })).rejects.toThrow(/quantity rules differ/);
    // A conflict that exists anyway (e.g. written before the rule) is shown, and nothing is sent.
    const other = { ...(await row(first.id)), id: `c-${seq}-${engine}`.padEnd(36, '0').slice(0, 36), channelId: fr.id, marketplaceId: 'FR', productId: b.id };
    await f.t.ds.getRepository(ListingEntity).insert(other);
    await f.tx.run((em) => em.getRepository(ListingEntity).update({ id: first.id }, { dirty: true, dirtySince: '1970-01-01T00:00:00.000Z' }));
    await settle();
    expect(f.gateway.updates().filter((u) => u.sku === 'X1')).toEqual([]);
    expect((await row(first.id)).status).toBe('conflict');
    expect((await row(first.id)).lastError).toMatch(/could differ/);
  });

  it('retries a temporary failure with backoff, then records the success', async () => {
    const p = await product(3);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
    let calls = 0;
    f.gateway.answer = (u) => (++calls === 1 ? { updateId: u.updateId, status: 'retry', message: 'throttled' } : { updateId: u.updateId, status: 'synced' });
    await f.dispatcher.pass();
    expect(await row(l.id)).toMatchObject({ status: 'error', lastError: 'will retry: throttled', dirty: true, attempts: 1 });
    await f.dispatcher.pass();
    expect(calls).toBe(1); // not before its retry time
    await sleep(250);
    await settle();
    expect(calls).toBe(2);
    expect(await row(l.id)).toMatchObject({ status: 'synced', acceptedQuantity: 3, attempts: 0, lastError: null });
  });

  it('keeps a rejection visible and does not resend it until something changes', async () => {
    const p = await product(3);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
    f.gateway.answer = (u) => ({ updateId: u.updateId, status: 'rejected', message: 'SKU not found on the channel' });
    await settle();
    await settle();
    expect(f.gateway.updates()).toHaveLength(1);
    expect(await row(l.id)).toMatchObject({ status: 'error', lastError: 'SKU not found on the channel', dirty: false });
  });

  it('sends nothing while sync is off, and re-sends everything when it is switched back on', async () => {
    const p = await product(6);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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

  it('confirms accepted deliveries with receipts later', async () => {
    const p = await product(3);
    const c = await channel();
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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
    const l = await f.listings.connect(c.id, { sku: `S-${seq}`, productId: p.id });
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

  it('nightly reconciliation sends only where the channel differs, or everything without read-back', async () => {
    const p1 = await product(4);
    const p2 = await product(6);
    const c = await channel();
    const a = await f.listings.connect(c.id, { sku: `A-${seq}`, productId: p1.id });
    const b = await f.listings.connect(c.id, { sku: `B-${seq}`, productId: p2.id });
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
    for (let i = 0; i < 7; i++) listings.push(await f.listings.connect(c.id, { sku: `R-${seq}-${i}`, productId: p.id }));
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
