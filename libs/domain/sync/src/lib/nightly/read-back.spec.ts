import type { RemoteQuantity } from '@invsync/plugin-api';
import { ListingEntity, listingReadAt } from '@invsync/domain-channels';
import type { SyncFixture } from '../../testing/sync-fixture';
import { openReadBackScenario, type ReadBackScenario } from '../../testing/read-back-scenario';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Storing a complete read writes only what changed; every read time keeps its meaning. */
describe.each(['sqlite', 'postgres'] as const)('read-back storage on %s', (engine) => {
  let f: SyncFixture;
  let channel: ReadBackScenario['channel'];
  let listings: ReadBackScenario['listings'];
  let store: ReadBackScenario['store'];

  beforeAll(async () => {
    ({ f, channel, listings, store } = await openReadBackScenario(engine));
  });
  afterAll(() => f?.close());
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const s = await f.dispatcher.pass();
      if (!s.claimed && !s.changesConsumed) return;
    }
  };
  /** Each listing's stored remote quantity and when the channel last showed it. */
  const readBack = async (channelId: string, ids: string[]) => {
    const channelReadAt = (await f.channels.get(channelId)).remoteReadAt;
    const rows = await f.t.ds.getRepository(ListingEntity).findBy(ids.map((id) => ({ id })));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id)!;
      return { quantity: r.remoteQuantity, details: r.remoteDetails, readAt: listingReadAt(r, channelReadAt) };
    });
  };

  it('writes only the listings whose quantity or details changed, that went missing or came back; unchanged ones are untouched', async () => {
    const c = await channel();
    const [a, b, m, d, never] = await listings(c.id, [5, 6, 7, 8, 1]);
    const q = (l: { sku: string }, quantity: number, extra: Partial<RemoteQuantity> = {}) => ({ sku: l.sku, quantity, ...extra });

    const r1 = await store(c.id, [q(a, 5), q(b, 6)], [q(m, 7), q(d, 8, { details: { reserved: 1 } })]);
    expect(r1).toMatchObject({ stored: 4, written: 4 });
    expect((await f.channels.get(c.id)).remoteReadAt).toBe(r1.readAt);
    expect(await readBack(c.id, [a.id, b.id, m.id, d.id, never.id])).toEqual([
      { quantity: 5, details: null, readAt: r1.readAt },
      { quantity: 6, details: null, readAt: r1.readAt },
      { quantity: 7, details: null, readAt: r1.readAt },
      { quantity: 8, details: '{"reserved":1}', readAt: r1.readAt },
      { quantity: null, details: null, readAt: null },
    ]);
    const untouched = await f.t.ds.getRepository(ListingEntity).findOneByOrFail({ id: a.id });

    // b changed, d's details changed, m is missing, a is the same: three writes.
    const r2 = await store(c.id, [q(a, 5), q(b, 9), q(d, 8, { details: { reserved: 2 } }), q({ sku: 'NOT-CONNECTED' }, 1)]);
    expect(r2).toMatchObject({ stored: 4, written: 3 });
    expect(await readBack(c.id, [a.id, b.id, m.id, d.id, never.id])).toEqual([
      { quantity: 5, details: null, readAt: r2.readAt },
      { quantity: 9, details: null, readAt: r2.readAt },
      // Missing: the old value stays, dated by the read that last showed it.
      { quantity: 7, details: null, readAt: r1.readAt },
      { quantity: 8, details: '{"reserved":2}', readAt: r2.readAt },
      { quantity: null, details: null, readAt: null },
    ]);
    expect(await f.t.ds.getRepository(ListingEntity).findOneByOrFail({ id: a.id })).toEqual(untouched);

    // The same read again: nothing to write, and m stays dated by r1.
    const r3 = await store(c.id, [q(a, 5), q(b, 9), q(d, 8, { details: { reserved: 2 } })]);
    expect(r3).toMatchObject({ written: 0 });
    expect((await readBack(c.id, [a.id, m.id]))).toEqual([
      { quantity: 5, details: null, readAt: r3.readAt },
      { quantity: 7, details: null, readAt: r1.readAt },
    ]);

    // m comes back with the same quantity: written (it is seen again).
    const r4 = await store(c.id, [q(a, 5), q(b, 9), q(m, 7), q(d, 8, { details: { reserved: 2 } })]);
    expect(r4).toMatchObject({ written: 1 });
    expect((await readBack(c.id, [m.id]))[0]).toEqual({ quantity: 7, details: null, readAt: r4.readAt });
  });

  it('pages through more listings than one page and stamps the channel even when nothing matched', async () => {
    const c = await channel();
    const ls = await listings(c.id, [1, 2, 3]);
    const r1 = await store(c.id, ls.map((l, i) => ({ sku: l.sku.toLowerCase(), quantity: i })));
    expect(r1.written).toBe(3);
    const r2 = await store(c.id, []);
    expect(r2).toMatchObject({ stored: 0, written: 3 });
    expect((await f.channels.get(c.id)).remoteReadAt).toBe(r2.readAt);
    expect((await readBack(c.id, ls.map((l) => l.id))).map((r) => r.readAt)).toEqual([r1.readAt, r1.readAt, r1.readAt]);
  });

  it('reconcile sends a listing missing from the read, and only listings that differ, night after night', async () => {
    const c = await channel();
    const [a, b, m] = await listings(c.id, [4, 6, 3]);
    await settle();
    f.gateway.sent.length = 0;
    // Amazon shows a and m as we sent them, b drifted.
    f.gateway.remote.set(c.id, [
      { sku: a.sku, quantity: 4 },
      { sku: b.sku, quantity: 2 },
      { sku: m.sku, quantity: 3 },
    ]);
    const first = await f.reconciliation.reconcile(c.id, { dryRun: true });
    expect(first).toMatchObject({ listings: 3, changed: 1, unchanged: 2 });
    expect(first.items).toEqual([expect.objectContaining({ sku: b.sku, quantity: 6, channelQuantity: 2 })]);

    // Next night m is gone from the channel's read: unknown there, so it is sent; b still drifted.
    f.gateway.remote.set(c.id, [
      { sku: a.sku, quantity: 4 },
      { sku: b.sku, quantity: 2 },
    ]);
    await sleep(2);
    const second = await f.reconciliation.reconcile(c.id, { dryRun: true });
    expect(second).toMatchObject({ listings: 3, changed: 2, unchanged: 1 });
    expect(second.items!.map((i) => [i.sku, i.quantity, i.channelQuantity]).sort()).toEqual([
      [b.sku, 6, 2],
      [m.sku, 3, null],
    ].sort());
    await f.reconciliation.reconcile(c.id);
    await settle();
    expect(f.gateway.updates().map((u) => [u.sku, u.quantity]).sort()).toEqual([
      [b.sku, 6],
      [m.sku, 3],
    ].sort());
    f.gateway.remote.delete(c.id);
  });

});
