import type { RemoteQuantity } from '@invsync/plugin-api';
import { InvalidInputError, NotFoundError, RuleViolationError } from '@invsync/domain-shared';
import type { WarehouseView } from '@invsync/domain-stock';
import fc from 'fast-check';
import { openSyncFixture, type SyncFixture } from '@invsync/domain-sync';
import { ManagedWarehouseReconciliationService } from './managed-warehouse-reconciliation.service';

const user = { type: 'user', actor: 'test' };
const HOUR = 3_600_000;
const opts = { staleAfterMs: 90 * 60_000 };

async function* pages(qs: RemoteQuantity[]) {
  yield qs;
}

describe.each(['sqlite', 'postgres'] as const)('ManagedWarehouseReconciliationService on %s', (engine) => {
  let f: SyncFixture;
  let fba: ManagedWarehouseReconciliationService;
  let wFba: WarehouseView;
  let wMain: WarehouseView;
  let seq = 0;

  beforeAll(async () => {
    f = await openSyncFixture(engine);
    fba = new ManagedWarehouseReconciliationService(f.tx, f.ledger);
    wFba = await f.warehouses.create({ code: 'FBA', name: 'Amazon FBA' });
    wMain = await f.warehouses.create({ code: 'MAIN', name: 'Main' });
  });
  afterAll(() => f?.close());

  const channel = (over: Record<string, unknown> = {}) =>
    f.channels.create({
      type: 'amazon-fba',
      name: `fba-${++seq}`,
      fulfilment: 'channel',
      marketplaceId: 'M1',
      quantityPool: `s${seq}:M1:fba`,
      accountId: 's',
      syncInventory: false,
      onHandWarehouseIds: [],
      managedWarehouseId: wFba.id,
      rules: {},
      pluginSettings: '{}',
      ...over,
    });
  /** A product with `inStock` in the FBA warehouse (and some elsewhere, which must not count). */
  const product = async (inStock: number) => {
    const p = await f.catalog.create({ sku: `P-${engine}-${++seq}`, name: 'p', kind: 'stock' });
    if (inStock) await f.ledger.apply([{ productId: p.id, warehouseId: wFba.id, type: 'goods-in', quantity: inStock }], { cause: user });
    await f.ledger.apply([{ productId: p.id, warehouseId: wMain.id, type: 'goods-in', quantity: 1000 }], { cause: user });
    return p;
  };
  const movementCount = async () => (await f.ledger.listMovements({ warehouseId: wFba.id, limit: 1000 })).items.length;
  const inStockOf = async (productId: string) => (await f.ledger.levels([productId], [wFba.id])).reduce((s, l) => s + l.inStock, 0);

  /** A channel with products: [warehouse in stock, Amazon fulfillable][]. */
  const scenario = async (pairs: [number, number][]) => {
    const c = await channel();
    const ps = [];
    for (const [wh] of pairs) {
      const p = await product(wh);
      await f.listings.connect(c.id, { sku: p.sku, productId: p.id });
      ps.push(p);
    }
    await f.reconciliation.storeRemoteQuantities(c.id, pages(ps.map((p, i) => ({ sku: p.sku, quantity: pairs[i][1], details: { reserved: 1, inbound: 2, unfulfillable: 0 } }))));
    return { c, ps };
  };

  it('refuses a channel without a managed warehouse (409, saying what to do), a merchant channel (409), an unknown one (404)', async () => {
    const noWh = await channel({ managedWarehouseId: null });
    await expect(fba.discrepancies(noWh.id, opts)).rejects.toThrow(/no managed warehouse/);
    await expect(fba.discrepancies(noWh.id, opts)).rejects.toMatchObject({
      remedy: { action: 'set-managed-warehouse', params: { channelId: noWh.id, channelType: noWh.type } },
    });
    await expect(fba.apply(noWh.id, { productIds: ['x'] }, opts)).rejects.toMatchObject({ rule: 'managed-warehouse-required' });
    const mfn = await channel({ fulfilment: 'merchant', onHandWarehouseIds: [wMain.id] });
    await expect(fba.discrepancies(mfn.id, opts)).rejects.toMatchObject({ rule: 'channel-fulfilled-required' });
    await expect(fba.discrepancies('nope', opts)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists exactly the differing products (in stock, not on hand), pages them, and says which it could not compare', async () => {
    const { c, ps } = await scenario([
      [10, 12],
      [5, 5],
      [8, 0],
      [0, 3],
      [7, 7],
      [4, 9],
      [6, 1],
    ]);
    // Allocation lowers on hand, not in stock: the comparison must not move.
    await f.ledger.allocate({ productId: ps[0].id, warehouseId: wFba.id, quantity: 4, cause: user });
    const unread = await product(2);
    await f.listings.connect(c.id, { sku: unread.sku, productId: unread.id });
    const all = await fba.discrepancies(c.id, opts);
    const expected = [0, 2, 3, 5, 6].map((i) => ps[i].id).sort();
    expect(all.items.map((i) => i.productId).sort()).toEqual(expected);
    expect(all.items.find((i) => i.productId === ps[0].id)).toMatchObject({ sku: ps[0].sku, channelQuantity: 12, warehouseQuantity: 10, difference: 2, stale: false });
    expect(all.items.find((i) => i.productId === ps[2].id)).toMatchObject({ channelQuantity: 0, warehouseQuantity: 8, difference: -8 });
    expect(all.notCompared).toEqual([expect.objectContaining({ productId: unread.id, reason: 'not-read' })]);
    expect(all).toMatchObject({ warehouseId: wFba.id, stale: false, staleAfterMinutes: 90, nextCursor: null });
    expect(all.readAt).toBe(all.items[0].readAt);
    // Pages of 2 give the same set, each product once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await fba.discrepancies(c.id, { ...opts, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.productId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(expected);
  });

  it('applies the selected corrections as ledger corrections in one batch; the report then shows only the rest', async () => {
    const { c, ps } = await scenario([
      [10, 12],
      [8, 0],
      [0, 3],
      [4, 9],
      [6, 1],
    ]);
    const before = await movementCount();
    const chosen = [ps[0], ps[1], ps[3]].map((p) => p.id);
    const r = await fba.apply(c.id, { productIds: chosen }, { ...opts, actor: 'tester' });
    expect(r.movements).toHaveLength(3);
    expect(new Set(r.movements.map((m) => m.batchId)).size).toBe(1);
    for (const m of r.movements) expect(m).toMatchObject({ type: 'correction', warehouseId: wFba.id, reason: 'managed-warehouse-reconciliation', causeType: 'managed-warehouse-reconciliation', causeId: r.reconciliationId, actor: 'tester' });
    expect(r.movements.map((m) => m.quantity)).toEqual([2, -8, 5]);
    expect(r.corrections.map((x) => [x.productId, x.warehouseQuantity, x.warehouseQuantityAfter])).toEqual([
      [ps[0].id, 10, 12],
      [ps[1].id, 8, 0],
      [ps[3].id, 4, 9],
    ]);
    expect(await movementCount()).toBe(before + 3);
    expect(await inStockOf(ps[0].id)).toBe(12);
    expect(await inStockOf(ps[2].id)).toBe(0);
    const after = await fba.discrepancies(c.id, opts);
    expect(after.items.map((i) => i.productId).sort()).toEqual([ps[2].id, ps[4].id].sort());
    // Repeating the request writes nothing: they match now.
    const again = await fba.apply(c.id, { productIds: chosen }, opts);
    expect(again).toMatchObject({ batchId: null, movements: [], corrections: [] });
    expect(again.unchanged.map((u) => u.productId)).toEqual(chosen);
    expect(await movementCount()).toBe(before + 3);
  });

  it('refuses bad selections with nothing written: 501 ids, repeats, unknown ids, products not on the channel', async () => {
    const { c, ps } = await scenario([
      [1, 2],
      [3, 4],
    ]);
    const other = await product(1);
    const before = await movementCount();
    const ids501 = Array.from({ length: 501 }, (_, i) => (i < 2 ? ps[i].id : `x-${i}`));
    await expect(fba.apply(c.id, { productIds: ids501 }, opts)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(fba.apply(c.id, { productIds: [] }, opts)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(fba.apply(c.id, { productIds: [ps[0].id, ps[0].id] }, opts)).rejects.toThrow(/must not repeat/);
    await expect(fba.apply(c.id, { productIds: [ps[0].id, 'missing'] }, opts)).rejects.toBeInstanceOf(NotFoundError);
    const notListed = fba.apply(c.id, { productIds: [ps[0].id, other.id] }, opts);
    await expect(notListed).rejects.toBeInstanceOf(RuleViolationError);
    await expect(fba.apply(c.id, { productIds: [ps[0].id, other.id] }, opts)).rejects.toMatchObject({ rule: 'reconciliation-refused', details: { refused: [{ productId: other.id, reason: 'not-listed' }] } });
    expect(await movementCount()).toBe(before);
    expect(await inStockOf(ps[0].id)).toBe(1);
  });

  it('rolls the whole batch back when one correction breaks a ledger rule (in stock below allocated)', async () => {
    const { c, ps } = await scenario([
      [5, 8],
      [6, 1],
    ]);
    await f.ledger.allocate({ productId: ps[1].id, warehouseId: wFba.id, quantity: 4, cause: user });
    const before = await movementCount();
    await expect(fba.apply(c.id, { productIds: [ps[0].id, ps[1].id] }, opts)).rejects.toBeInstanceOf(RuleViolationError);
    expect(await movementCount()).toBe(before);
    expect(await inStockOf(ps[0].id)).toBe(5);
  });

  it('flags stale data and refuses to apply it unless allowStale', async () => {
    const { c, ps } = await scenario([[2, 5]]);
    const later = { ...opts, now: Date.now() + 2 * HOUR };
    const report = await fba.discrepancies(c.id, later);
    expect(report.stale).toBe(true);
    expect(report.items[0].stale).toBe(true);
    const before = await movementCount();
    await expect(fba.apply(c.id, { productIds: [ps[0].id] }, later)).rejects.toMatchObject({ rule: 'channel-quantities-stale' });
    expect(await movementCount()).toBe(before);
    const r = await fba.apply(c.id, { productIds: [ps[0].id], allowStale: true }, later);
    expect(r.movements.map((m) => m.quantity)).toEqual([3]);
  });

  it('property: after applying any selection, selected products equal the channel, the others are untouched and still reported', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 20 }), fc.boolean()), { minLength: 1, maxLength: 6 }),
        async (rows) => {
          const { c, ps } = await scenario(rows.map(([wh, az]) => [wh, az]));
          const selected = ps.filter((_, i) => rows[i][2]).map((p) => p.id);
          if (selected.length) await fba.apply(c.id, { productIds: selected }, opts);
          for (const [i, p] of ps.entries()) expect(await inStockOf(p.id)).toBe(rows[i][2] ? rows[i][1] : rows[i][0]);
          const left = (await fba.discrepancies(c.id, opts)).items.map((d) => d.productId).sort();
          expect(left).toEqual(ps.filter((_, i) => !rows[i][2] && rows[i][0] !== rows[i][1]).map((p) => p.id).sort());
        },
      ),
      { numRuns: engine === 'sqlite' ? 15 : 8 },
    );
  }, 120_000); // many database round trips: generous for a loaded machine, not a speed target
});
