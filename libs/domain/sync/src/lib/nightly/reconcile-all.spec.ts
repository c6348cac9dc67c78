import type { WarehouseView } from '@invsync/domain-stock';
import fc from 'fast-check';
import { ledgerOnHand, openSyncFixture, type SyncFixture } from '../../testing/sync-fixture';
import type { QuantityRules } from '@invsync/domain-channels';
import { OnHandMemo } from './on-hand-memo';
import type { OnHandSource } from '../dispatcher/ports';
import type { ReconcileSummary } from './reconciliation.service';

const user = { type: 'user', actor: 'test' };

/** What a dry run decided, without the run's id. */
const decided = (s: ReconcileSummary) => ({ ...s, runId: undefined });

/** One nightly run shares on hand between channels summing the same warehouses, and decides exactly what separate runs decide. */
describe.each(['sqlite', 'postgres'] as const)('reconcileAll on %s', (engine) => {
  let f: SyncFixture;
  let wh: WarehouseView[];
  let products: { id: string; sku: string }[];
  /** Every on-hand question the engine asks: product ids and warehouse set. */
  const asked: { productIds: string[]; warehouseIds: string[] }[] = [];
  let seq = 0;

  beforeAll(async () => {
    const spy = (ledger: Parameters<typeof ledgerOnHand>[0]): OnHandSource => {
      const inner = ledgerOnHand(ledger);
      return {
        onHand(productIds, warehouseIds, em) {
          asked.push({ productIds: [...productIds], warehouseIds: [...warehouseIds] });
          return inner.onHand(productIds, warehouseIds, em);
        },
      };
    };
    f = await openSyncFixture(engine, {}, spy);
    wh = [];
    for (const code of ['W1', 'W2', 'W3']) wh.push(await f.warehouses.create({ code: `${code}-${engine}`, name: code }));
    products = [];
    for (let i = 0; i < 8; i++) {
      const p = await f.catalog.create({ sku: `RA-${engine}-${i}`, name: 'p', kind: 'stock' });
      const moves = wh.map((w, j) => ({ productId: p.id, warehouseId: w.id, type: 'goods-in' as const, quantity: 1 + ((i * 7 + j * 3) % 11) })).filter((_, j) => (i + j) % 4 !== 0);
      await f.ledger.apply(moves, { cause: user });
      products.push({ id: p.id, sku: p.sku });
    }
  });
  afterAll(() => f?.close());

  /** A merchant channel of its own pool over `warehouseIds`, listing `listed` (indexes into products). */
  const channel = async (warehouseIds: string[], listed: number[], rules: QuantityRules = {}) => {
    const n = ++seq;
    const c = await f.channels.create({
      type: 'test',
      name: `ra-${n}`,
      fulfilment: 'merchant',
      marketplaceId: `M${n}`,
      quantityPool: `seller:M${n}`,
      accountId: 'seller',
      syncInventory: true,
      onHandWarehouseIds: warehouseIds,
      managedWarehouseId: null,
      rules,
      pluginSettings: '{}',
    });
    for (const i of listed) await f.listings.connect(c.id, { sku: products[i].sku, productId: products[i].id });
    // Amazon shows 3 for every SKU: some listings differ, some do not.
    f.gateway.remote.set(c.id, listed.map((i) => ({ sku: products[i].sku, quantity: 3 })));
    return c.id;
  };

  it('asks no on hand for the second channel of the same warehouses, and decides what separate runs decide', async () => {
    const us = await channel([wh[0].id, wh[1].id], [0, 1, 2, 3], { reserve: 1 });
    const eu1 = await channel([wh[1].id, wh[2].id], [0, 1, 2, 3, 4]);
    const eu2 = await channel([wh[2].id, wh[1].id], [1, 2, 3, 4], { maxQuantity: 5 });
    asked.length = 0;
    const run = await f.reconciliation.reconcileAll([us, eu1, eu2], { dryRun: true, pageSize: 2 });
    expect(run.failed).toEqual([]);
    // US and EU1 each compute their products once; EU2 (same set, other order) computes nothing.
    expect(asked.flatMap((q) => q.productIds).sort()).toEqual([0, 1, 2, 3].map((i) => products[i].id).concat([0, 1, 2, 3, 4].map((i) => products[i].id)).sort());

    const separate = [];
    for (const id of [us, eu1, eu2]) separate.push(await f.reconciliation.reconcile(id, { dryRun: true, pageSize: 2 }));
    expect(run.summaries.map(decided)).toEqual(separate.map(decided));
    expect(separate.some((s) => s.changed > 0 && s.unchanged > 0)).toBe(true);
  });

  it('with its cap reached computes what it did not keep, with the same decisions', async () => {
    const a = await channel([wh[0].id], [0, 1, 2, 3, 4, 5]);
    const b = await channel([wh[0].id], [0, 1, 2, 3, 4, 5]);
    asked.length = 0;
    const run = await f.reconciliation.reconcileAll([a, b], { dryRun: true, pageSize: 3, onHandMemo: new OnHandMemo(2) });
    // The first channel keeps 2 products; the second asks for the other 4 only.
    expect(asked.flatMap((q) => q.productIds)).toHaveLength(6 + 4);
    const separate = [await f.reconciliation.reconcile(a, { dryRun: true }), await f.reconciliation.reconcile(b, { dryRun: true })];
    expect(run.summaries.map(decided)).toEqual(separate.map(decided));
  });

  it('one channel failing does not stop the others', async () => {
    const ok = await channel([wh[0].id], [0]);
    const run = await f.reconciliation.reconcileAll(['no-such-channel', ok], { dryRun: true });
    expect(run.failed).toEqual([{ channelId: 'no-such-channel', error: expect.stringContaining('no-such-channel') }]);
    expect(run.summaries.map((s) => s.channelId)).toEqual([ok]);
  });

  it('any channels over any warehouse sets: a shared run decides what separate runs decide', async () => {
    const warehouseSet = fc.subarray([0, 1, 2], { minLength: 1 });
    const rules = fc.record({ reserve: fc.option(fc.nat(3), { nil: undefined }), maxQuantity: fc.option(fc.nat(9), { nil: undefined }) });
    const spec = fc.record({ warehouses: warehouseSet, listed: fc.subarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), rules });
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 4 }), fc.nat(10), fc.integer({ min: 1, max: 4 }), async (specs, cap, pageSize) => {
        const ids = [];
        for (const s of specs) ids.push(await channel(s.warehouses.map((i) => wh[i].id), s.listed, s.rules as QuantityRules));
        const run = await f.reconciliation.reconcileAll(ids, { dryRun: true, pageSize, onHandMemo: new OnHandMemo(cap) });
        const separate = [];
        for (const id of ids) separate.push(await f.reconciliation.reconcile(id, { dryRun: true, pageSize }));
        expect(run.summaries.map(decided)).toEqual(separate.map(decided));
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
