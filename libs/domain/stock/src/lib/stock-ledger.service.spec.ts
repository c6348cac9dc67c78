import { CatalogService, catalogEntities, catalogMigrations, type ProductView } from '@invsync/domain-catalog';
import { InvalidInputError, NotFoundError, openTestDataSource, RuleViolationError, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import fc from 'fast-check';
import { ProductChangeEntity } from './product-change.entity';
import { ProductChangeFeed } from './product-change.feed';
import { StockLevelEntity } from './stock-level.entity';
import { StockLedgerService } from './stock-ledger.service';
import { StockMovementEntity } from './stock-movement.entity';
import { WarehouseService, type WarehouseView } from './warehouse.service';
import { stockEntities, stockMigrations } from './stock.persistence';

const user = { type: 'user', actor: 'test' };

describe.each(['sqlite', 'postgres'] as const)('StockLedgerService on %s', (engine) => {
  let t: TestDataSource;
  let catalog: CatalogService;
  let warehouses: WarehouseService;
  let feed: ProductChangeFeed;
  let ledger: StockLedgerService;
  let w1: WarehouseView;
  let w2: WarehouseView;
  let seq = 0;
  const stock = (name = 'p') => catalog.create({ sku: `${name}-${engine}-${++seq}`, name, kind: 'stock' });

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: [...catalogEntities, ...stockEntities], migrations: [...catalogMigrations, ...stockMigrations] });
    const tx = TransactionRunner.for(t.ds);
    catalog = new CatalogService(tx);
    warehouses = new WarehouseService(tx);
    feed = new ProductChangeFeed(tx);
    ledger = new StockLedgerService(tx, catalog, warehouses, feed);
    w1 = await warehouses.create({ code: 'main', name: 'Main' });
    w2 = await warehouses.create({ code: 'SECOND', name: 'Second' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const counts = async () => ({
    movements: await t.ds.getRepository(StockMovementEntity).count(),
    levels: await t.ds.getRepository(StockLevelEntity).count(),
    changes: await t.ds.getRepository(ProductChangeEntity).count(),
  });
  const level = async (productId: string, warehouseId: string) => (await ledger.levels([productId], [warehouseId]))[0] ?? { inStock: 0, allocated: 0, onHand: 0 };
  const drain = () => feed.consume(100_000, async () => undefined);

  it('refuses a duplicate warehouse code, ignoring case', async () => {
    await expect(warehouses.create({ code: ' MAIN ', name: 'x' })).rejects.toThrow(/warehouse-code-unique/);
    await expect(warehouses.create({ code: '', name: 'x' })).rejects.toThrow(InvalidInputError);
    expect((await warehouses.list()).items.map((w) => w.code)).toEqual(['main', 'SECOND']);
  });

  it('books goods-in and corrections with running balances, and records changes for bundles too', async () => {
    const a = await stock('a');
    const b = await stock('b');
    const bundle = await catalog.create({ sku: `X-${engine}`, name: 'X', kind: 'bundle', components: [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 2 }] });
    await drain();
    const signalled: string[][] = [];
    const off = TransactionRunner.for(t.ds).afterCommit((topics) => signalled.push([...topics]));
    const r = await ledger.apply(
      [
        { productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 10, reason: 'delivery' },
        { productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -3 },
      ],
      { cause: user },
    );
    off();
    expect(r.replayed).toBe(false);
    expect(r.movements.map((m) => [m.type, m.quantity, m.inStockAfter])).toEqual([
      ['goods-in', 10, 10],
      ['correction', -3, 7],
    ]);
    expect(r.movements[0].seq).toBeLessThan(r.movements[1].seq);
    expect(r.levels).toEqual([{ productId: a.id, warehouseId: w1.id, inStock: 7, allocated: 0, onHand: 7 }]);
    expect(signalled).toEqual([['onHand']]);
    const consumed: string[][] = [];
    const res = await feed.consume(10, async (ids) => {
      consumed.push(ids);
    });
    expect(res.rows).toBe(2);
    expect(consumed[0].sort()).toEqual([a.id, bundle.id].sort());
    expect(await feed.pending()).toBe(0);
    const page = await ledger.listMovements({ productId: a.id, limit: 1 });
    expect(page.items).toHaveLength(1);
    const page2 = await ledger.listMovements({ productId: a.id, limit: 1, cursor: page.nextCursor! });
    expect(page2.items[0].quantity).toBe(-3);
    expect(page2.nextCursor).toBeNull();
  });

  it('keeps change rows when the handler throws', async () => {
    const a = await stock('keep');
    await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user });
    await expect(feed.consume(10, async () => Promise.reject(new Error('crash')))).rejects.toThrow('crash');
    expect(await feed.pending()).toBeGreaterThan(0);
    await drain();
  });

  it('refuses a movement that would make a level negative, writing nothing', async () => {
    const a = await stock('neg');
    await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 2 }], { cause: user });
    const before = await counts();
    const err = await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -3 }], { cause: user }).catch((e) => e);
    expect(err).toBeInstanceOf(RuleViolationError);
    expect(err.message).toMatch(/^stock-non-negative: correction of -3 would leave in stock -1/);
    expect(err.message).toMatch(/correct by at least -2/);
    expect(await counts()).toEqual(before);
    expect((await level(a.id, w1.id)).inStock).toBe(2);
  });

  it('applies a batch all or nothing and names the failing index', async () => {
    const a = await stock('batch');
    const before = await counts();
    const err = await ledger
      .apply(
        [
          { productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 5 },
          { productId: a.id, warehouseId: w2.id, type: 'goods-in', quantity: 5 },
          { productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -6 },
        ],
        { cause: user },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(RuleViolationError);
    expect(err.message).toMatch(/movements\[2\]/);
    expect(err.details).toEqual({ index: 2 });
    expect(await counts()).toEqual(before);
    const nf = await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }, { productId: 'nope', warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user }).catch((e) => e);
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf.message).toMatch(/movements\[1\]\.productId/);
    expect(await counts()).toEqual(before);
  });

  it('validates quantities and refuses stock on bundles and parents', async () => {
    const a = await stock('val');
    const bad = (q: number, type: 'goods-in' | 'correction' = 'goods-in') => ledger.apply([{ productId: a.id, warehouseId: w1.id, type, quantity: q }], { cause: user });
    await expect(bad(0)).rejects.toThrow(/quantity must be greater than 0 for goods-in/);
    await expect(bad(-1)).rejects.toThrow(InvalidInputError);
    await expect(bad(1.5)).rejects.toThrow(/quantity must be an integer/);
    await expect(bad(0, 'correction')).rejects.toThrow(/must not be 0/);
    const parent = await catalog.create({ sku: `PAR-${engine}`, name: 'p', kind: 'parent' });
    await expect(ledger.apply([{ productId: parent.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user })).rejects.toThrow(/stock-tracked-only/);
    await expect(ledger.apply([{ productId: a.id, warehouseId: 'nope', type: 'goods-in', quantity: 1 }], { cause: user })).rejects.toThrow(NotFoundError);
  });

  it('answers a replayed idempotency key with the first result and refuses it for another payload', async () => {
    const a = await stock('idem');
    const first = await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 4 }], { cause: user, idempotencyKey: `k-${engine}` });
    await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user });
    const before = await counts();
    const again = await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 4 }], { cause: user, idempotencyKey: `k-${engine}` });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await counts()).toEqual(before);
    await expect(ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 5 }], { cause: user, idempotencyKey: `k-${engine}` })).rejects.toThrow(/idempotency-key-reuse/);
    // concurrent first uses of a key write once
    const results = await Promise.all(
      Array.from({ length: 10 }, () => ledger.apply([{ productId: a.id, warehouseId: w2.id, type: 'goods-in', quantity: 1 }], { cause: user, idempotencyKey: `c-${engine}` })),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await level(a.id, w2.id)).inStock).toBe(1);
  });

  it('never loses an update under 200 concurrent +1/-1 corrections', async () => {
    const a = await stock('conc');
    await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 100 }], { cause: user });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'correction', quantity: i % 2 ? -1 : 1 }], { cause: user })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await level(a.id, w1.id)).inStock).toBe(100);
    const ms = await t.ds.getRepository(StockMovementEntity).findBy({ productId: a.id });
    expect(ms.reduce((s, m) => s + m.inStockDelta, 0)).toBe(100);
  });

  it('books concurrent requests in shared transactions, each all or nothing with its own answer', async () => {
    const a = await stock('group-a');
    const lonely = await stock('group-refused-only');
    await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 10 }], { cause: user });
    await drain();
    const before = await counts();
    const runs = jest.spyOn(TransactionRunner.for(t.ds), 'run');
    // In order: +1, then a correction that would go below 0 given what is booked before it, a batch
    // whose second movement is refused, an unknown product, a request only on `lonely` that is refused.
    const requests = [
      ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user }),
      ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -12 }], { cause: user }),
      ledger.apply(
        [
          { productId: a.id, warehouseId: w2.id, type: 'goods-in', quantity: 4 },
          { productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -20 },
        ],
        { cause: user },
      ),
      ledger.apply([{ productId: 'nope', warehouseId: w1.id, type: 'goods-in', quantity: 1 }], { cause: user }),
      ledger.apply([{ productId: lonely.id, warehouseId: w1.id, type: 'correction', quantity: -1 }], { cause: user }),
      ...Array.from({ length: 30 }, (_, i) => ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'correction', quantity: i % 2 ? -1 : 1 }], { cause: user })),
      ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -11 }], { cause: user }),
    ];
    const results = await Promise.allSettled(requests);
    runs.mockRestore();
    const status = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).constructor.name));
    expect(status.slice(0, 5)).toEqual(['ok', 'RuleViolationError', 'RuleViolationError', 'NotFoundError', 'RuleViolationError']);
    expect(status.slice(5)).toEqual(Array(31).fill('ok'));
    expect(((results[2] as PromiseRejectedResult).reason as RuleViolationError).details).toEqual({ index: 1 });
    expect(((results[1] as PromiseRejectedResult).reason as Error).message).toMatch(/in stock 11, allocated 0/);
    // Each accepted request has its own batch and running balances; the last took the level to 0.
    const last = (results[35] as PromiseFulfilledResult<Awaited<(typeof requests)[0]>>).value;
    expect(last.movements[0]).toMatchObject({ inStockDelta: -11, inStockAfter: 0 });
    expect(new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.batchId] : []))).size).toBe(32);
    expect(await level(a.id, w1.id)).toMatchObject({ inStock: 0 });
    expect(await level(a.id, w2.id)).toMatchObject({ inStock: 0 });
    // Refused requests wrote nothing: no movement, no level row for `lonely`, no change row of theirs.
    expect(await counts()).toMatchObject({ movements: before.movements + 32, levels: before.levels });
    expect(new Set((await t.ds.getRepository(ProductChangeEntity).find()).map((c) => c.productId))).toEqual(new Set([a.id]));
    expect(await t.ds.getRepository(StockLevelEntity).countBy({ productId: lonely.id })).toBe(0);
    // 36 requests, a handful of transactions (the first alone, the rest together).
    expect(runs.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it('allocates partially, allocates bundles as components, de-allocates and ships', async () => {
    const a = await stock('alloc-a');
    const b = await stock('alloc-b');
    const x: ProductView = await catalog.create({ sku: `AX-${engine}`, name: 'X', kind: 'bundle', components: [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 2 }] });
    await ledger.apply(
      [
        { productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 15 },
        { productId: b.id, warehouseId: w1.id, type: 'goods-in', quantity: 20 },
      ],
      { cause: user },
    );
    const order = { type: 'order', id: 'o-1' };
    const ra = await ledger.allocate({ productId: a.id, warehouseId: w1.id, quantity: 3, cause: order });
    expect(ra).toMatchObject({ allocated: 3, shortfall: 0 });
    const rx = await ledger.allocate({ productId: x.id, warehouseId: w1.id, quantity: 20, cause: order });
    // a: 12 on hand, b: 20 -> 10 bundles
    expect(rx).toMatchObject({ requested: 20, allocated: 10, shortfall: 10 });
    expect(rx.movements.map((m) => [m.productId, m.type, m.quantity])).toEqual(
      expect.arrayContaining([
        [a.id, 'allocation', 10],
        [b.id, 'allocation', 20],
      ]),
    );
    expect(await level(b.id, w1.id)).toMatchObject({ inStock: 20, allocated: 20, onHand: 0 });
    expect(await ledger.allocate({ productId: x.id, warehouseId: w2.id, quantity: 1, cause: order })).toMatchObject({ allocated: 0, shortfall: 1, movements: [] });
    await ledger.deallocate({ productId: x.id, warehouseId: w1.id, quantity: 4, cause: order });
    expect(await level(b.id, w1.id)).toMatchObject({ inStock: 20, allocated: 12, onHand: 8 });
    await ledger.ship({ productId: x.id, warehouseId: w1.id, quantity: 6, cause: order });
    expect(await level(b.id, w1.id)).toMatchObject({ inStock: 8, allocated: 0, onHand: 8 });
    expect(await level(a.id, w1.id)).toMatchObject({ inStock: 9, allocated: 3, onHand: 6 });
    await expect(ledger.ship({ productId: b.id, warehouseId: w1.id, quantity: 1, cause: order })).rejects.toThrow(/allocated-non-negative/);
    await expect(ledger.deallocate({ productId: a.id, warehouseId: w1.id, quantity: 4, cause: order })).rejects.toThrow(/de-allocate at most 3/);
    // a correction may not take in stock below what is allocated
    await expect(ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -7 }], { cause: user })).rejects.toThrow(/stock-non-negative/);
  });

  it('runs allocations inside a caller transaction and rolls back with it', async () => {
    const a = await stock('caller');
    await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 5 }], { cause: user });
    const tx = TransactionRunner.for(t.ds);
    await expect(
      tx.run(async (em) => {
        await ledger.allocate({ productId: a.id, warehouseId: w1.id, quantity: 2, cause: { type: 'order', id: 'o' } }, em);
        expect((await ledger.levels([a.id], [w1.id], em))[0].allocated).toBe(2);
        throw new Error('order insert failed');
      }),
    ).rejects.toThrow('order insert failed');
    expect((await level(a.id, w1.id)).allocated).toBe(0);
  });

  it("declares onHand once, after the caller's commit, and nothing for a refusal, a rollback or a replay", async () => {
    const a = await stock('topics');
    const tx = TransactionRunner.for(t.ds);
    const heard: string[][] = [];
    const off = tx.afterCommit((topics) => heard.push([...topics]));
    try {
      await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 5 }], { cause: user, idempotencyKey: `topics-${engine}` });
      expect(heard).toEqual([['onHand']]);
      await tx.run(async (em) => {
        await ledger.allocate({ productId: a.id, warehouseId: w1.id, quantity: 2, cause: { type: 'order', id: 'o' } }, em);
        await ledger.ship({ productId: a.id, warehouseId: w1.id, quantity: 1, cause: { type: 'order', id: 'o' } }, em);
        expect(heard).toHaveLength(1);
      });
      expect(heard).toEqual([['onHand'], ['onHand']]);
      await expect(ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'correction', quantity: -100 }], { cause: user })).rejects.toThrow(/stock-non-negative/);
      await expect(
        tx.run(async (em) => {
          await ledger.deallocate({ productId: a.id, warehouseId: w1.id, quantity: 1, cause: { type: 'order', id: 'o' } }, em);
          throw new Error('caller failed');
        }),
      ).rejects.toThrow('caller failed');
      expect((await ledger.apply([{ productId: a.id, warehouseId: w1.id, type: 'goods-in', quantity: 5 }], { cause: user, idempotencyKey: `topics-${engine}` })).replayed).toBe(true);
      expect(heard).toHaveLength(2);
    } finally {
      off();
    }
  });

  it('property: random movement sequences keep every level non-negative and equal to the sum of its movements', async () => {
    const products = [await stock('prop-a'), await stock('prop-b')];
    const bundle = await catalog.create({ sku: `PX-${engine}-${seq}`, name: 'px', kind: 'bundle', components: [{ productId: products[0].id, quantity: 1 }, { productId: products[1].id, quantity: 3 }] });
    const ids = [...products.map((p) => p.id), bundle.id];
    const whs = [w1.id, w2.id];
    const op = fc.record({
      kind: fc.constantFrom('goods-in', 'correction', 'allocate', 'deallocate', 'ship'),
      product: fc.nat(2),
      warehouse: fc.nat(1),
      quantity: fc.integer({ min: 1, max: 8 }),
      negative: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) {
          const productId = ids[o.product];
          const warehouseId = whs[o.warehouse];
          const cause = { type: 'property' };
          try {
            if (o.kind === 'goods-in' || o.kind === 'correction') {
              await ledger.apply([{ productId, warehouseId, type: o.kind, quantity: o.kind === 'correction' && o.negative ? -o.quantity : o.quantity }], { cause });
            } else if (o.kind === 'allocate') {
              const r = await ledger.allocate({ productId, warehouseId, quantity: o.quantity, cause });
              expect(r.allocated + r.shortfall).toBe(o.quantity);
            } else if (o.kind === 'deallocate') {
              await ledger.deallocate({ productId, warehouseId, quantity: o.quantity, cause });
            } else {
              await ledger.ship({ productId, warehouseId, quantity: o.quantity, cause });
            }
          } catch (e) {
            if (!(e instanceof RuleViolationError)) throw e; // refusals are fine, anything else is a bug
          }
        }
        const levels = await t.ds.getRepository(StockLevelEntity).findBy({});
        const movements = await t.ds.getRepository(StockMovementEntity).findBy({});
        for (const l of levels) {
          expect(l.inStock).toBeGreaterThanOrEqual(0);
          expect(l.allocated).toBeGreaterThanOrEqual(0);
          expect(l.allocated).toBeLessThanOrEqual(l.inStock);
          const mine = movements.filter((m) => m.productId === l.productId && m.warehouseId === l.warehouseId).sort((x, y) => x.seq - y.seq);
          expect(mine.reduce((s, m) => s + m.inStockDelta, 0)).toBe(l.inStock);
          expect(mine.reduce((s, m) => s + m.allocatedDelta, 0)).toBe(l.allocated);
          if (mine.length) expect([mine[mine.length - 1].inStockAfter, mine[mine.length - 1].allocatedAfter]).toEqual([l.inStock, l.allocated]);
        }
      }),
      { numRuns: engine === 'sqlite' ? 40 : 15 },
    );
  }, 60_000); // 2 to 5 s alone; more on a loaded 2-core machine
});
