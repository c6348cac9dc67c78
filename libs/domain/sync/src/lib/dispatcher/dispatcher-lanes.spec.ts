import fc from 'fast-check';
import { ListingEntity } from '@invsync/domain-channels';
import type { DbEngine } from '@invsync/domain-shared';
import { openSyncFixture, type SyncFixture } from '../../testing/sync-fixture';
import { user } from './dispatcher-spec-setup';

const WINDOW = 1000;

/**
 * Priority lanes over a real database with a clock of its own (no timing): the lead lane sends a
 * decrease in the pass after its commit; everything else waits for its window; a listing gets at
 * most one leading send per window, so a burst costs at most two sends.
 */
describe.each(['sqlite', 'postgres'] as const)('SyncDispatcher priority lanes on %s', (engine: DbEngine) => {
  let clock = Date.parse('2026-03-01T10:00:00.000Z');
  let g: SyncFixture;
  let seq = 0;
  beforeAll(async () => {
    g = await openSyncFixture(engine, { windowMs: WINDOW, now: () => new Date(clock) });
  });
  afterAll(() => g?.close());

  /** A listing already synced at `qty`, on a channel of its own. */
  async function synced(qty: number) {
    const n = ++seq;
    const w = await g.warehouses.create({ code: `W${n}`, name: 'W' });
    const p = await g.catalog.create({ sku: `L-${engine}-${n}`, name: 'p', kind: 'stock' });
    if (qty) await g.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: qty }], { cause: user });
    const c = await g.channels.create({
      type: 'test', name: `c${n}`, fulfilment: 'merchant', marketplaceId: 'M', quantityPool: `s${n}:M`, accountId: 's', syncInventory: true, onHandWarehouseIds: [w.id], rules: {}, pluginSettings: '{}',
    });
    const l = await g.listings.connect(c.id, { sku: p.sku, productId: p.id });
    await g.dispatcher.pass(); // a new listing is sent at once
    clock += 2 * WINDOW;
    g.gateway.sent.length = 0;
    // A correction down stands for a sale here: both lower on hand.
    const move = (delta: number) => g.ledger.apply([{ productId: p.id, warehouseId: w.id, type: delta > 0 ? 'goods-in' : 'correction', quantity: delta }], { cause: user });
    const sends = () => g.gateway.updates().filter((u) => u.sku === p.sku);
    return { l, move, sends };
  }

  it('sends a decrease in the pass after its commit and holds a raise for its window', async () => {
    const down = await synced(5);
    const up = await synced(5);
    await down.move(-2);
    await up.move(2);
    const s = await g.dispatcher.pass();
    expect(down.sends()).toEqual([expect.objectContaining({ quantity: 3, priority: 'decrease', lastAccepted: 5 })]);
    expect(up.sends()).toEqual([]);
    expect(s.deferred).toBe(1);
    // Looked at once per change: the next passes of the same window do not claim it again.
    expect((await g.dispatcher.pass(undefined, 'lead')).claimed).toBe(0);
    clock += WINDOW;
    await g.dispatcher.pass();
    expect(up.sends()).toEqual([expect.objectContaining({ quantity: 7 })]);
    expect(up.sends()[0]).not.toHaveProperty('priority');
    expect(await g.t.ds.getRepository(ListingEntity).findOneByOrFail({ id: up.l.id })).toMatchObject({ dirty: false, acceptedQuantity: 7 });
  });

  it("a send of the window's lane does not hold a decrease back; a second leading send waits for the window", async () => {
    const x = await synced(5);
    await x.move(2);
    await g.dispatcher.pass();
    clock += WINDOW + 1;
    await g.dispatcher.pass();
    expect(x.sends().map((u) => u.quantity)).toEqual([7]);
    clock += 1;
    await x.move(-1);
    await g.dispatcher.pass();
    expect(x.sends().map((u) => [u.quantity, u.priority])).toEqual([[7, undefined], [6, 'decrease']]);
    clock += 1;
    await x.move(-1);
    await g.dispatcher.pass();
    expect(x.sends()).toHaveLength(2);
    clock += WINDOW;
    await g.dispatcher.pass();
    expect(x.sends().map((u) => u.quantity)).toEqual([7, 6, 5]);
  });

  // 1,000 on SQLite; 300 on PostgreSQL, where each change and pass costs a round trip more (same SQL).
  const burst = engine === 'sqlite' ? 1000 : 300;
  it(`${burst} changes of one product within one window cost at most 2 sends, the first at once`, async () => {
    const x = await synced(600);
    let onHand = 600;
    for (let i = 0; i < burst; i++) {
      const delta = i % 3 === 2 ? 1 : -1;
      await x.move(delta);
      onHand += delta;
      await g.dispatcher.pass();
      if (i === 0) expect(x.sends()).toEqual([expect.objectContaining({ quantity: 599, priority: 'decrease' })]);
      clock += (WINDOW - 1) / burst;
    }
    clock += WINDOW + 1;
    await g.dispatcher.pass();
    expect(x.sends().length).toBeLessThanOrEqual(2);
    expect(x.sends().at(-1)?.quantity).toBe(onHand);
  }, 120_000);

  it('property: within one window, sends <= 2, a decrease after a quiet window is sent at once, and the window ends on on hand', async () => {
    if (engine === 'postgres') return; // the rule is the engine's; one database is enough for the many runs
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ delta: fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0), gapMs: fc.integer({ min: 0, max: 120 }) }), { minLength: 1, maxLength: 8 }), async (changes) => {
        const x = await synced(30);
        let onHand = 30;
        const start = clock;
        for (const [i, c] of changes.entries()) {
          if (clock + c.gapMs >= start + WINDOW) break;
          clock += c.gapMs;
          await x.move(c.delta);
          onHand += c.delta;
          const before = x.sends().length;
          await g.dispatcher.pass();
          // The first change of the window is a leading send exactly when it lowers the quantity.
          if (i === 0) expect(x.sends().length - before).toBe(c.delta < 0 ? 1 : 0);
          // Never above on hand.
          for (const u of x.sends().slice(before)) expect(u.quantity).toBeLessThanOrEqual(onHand);
        }
        clock = start + WINDOW + 1;
        await g.dispatcher.pass();
        clock += WINDOW + 1;
        await g.dispatcher.pass();
        expect(x.sends().length).toBeLessThanOrEqual(2);
        expect(x.sends().at(-1)?.quantity ?? 30).toBe(onHand);
        clock += 2 * WINDOW;
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
