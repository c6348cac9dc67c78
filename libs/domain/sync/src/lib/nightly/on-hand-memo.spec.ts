import fc from 'fast-check';
import { OnHandMemo } from './on-hand-memo';
import type { OnHandSource } from '../dispatcher/ports';

/** A deterministic on hand per (product, warehouse) that records every question asked. */
function countingSource(stock: (productId: string, warehouseId: string) => number = (p, w) => p.length * 10 + w.length) {
  const asked: { productIds: string[]; warehouseIds: string[] }[] = [];
  const source: OnHandSource = {
    async onHand(productIds, warehouseIds) {
      asked.push({ productIds: [...productIds], warehouseIds: [...warehouseIds] });
      const set = [...new Set(warehouseIds)];
      return new Map(productIds.map((p) => [p, set.reduce((sum, w) => sum + stock(p, w), 0)]));
    },
  };
  return { source, asked };
}

describe('OnHandMemo', () => {
  it('asks nothing for products already computed over the same warehouse set, in any order', async () => {
    const { source, asked } = countingSource();
    const memo = new OnHandMemo();
    const first = await memo.onHand(source, ['a', 'bb'], ['w1', 'w22']);
    const again = await memo.onHand(source, ['bb', 'a'], ['w22', 'w1', 'w1']);
    expect(asked).toHaveLength(1);
    expect(again).toEqual(first);
  });

  it('asks only for the products it lacks, and keeps warehouse sets apart', async () => {
    const { source, asked } = countingSource();
    const memo = new OnHandMemo();
    await memo.onHand(source, ['a', 'bb'], ['w1']);
    const mixed = await memo.onHand(source, ['a', 'ccc'], ['w1']);
    const other = await memo.onHand(source, ['a'], ['w1', 'w22']);
    expect(asked.map((q) => q.productIds)).toEqual([['a', 'bb'], ['ccc'], ['a']]);
    expect(mixed).toEqual(new Map([['a', 12], ['ccc', 32]]));
    expect(other).toEqual(new Map([['a', 12 + 13]]));
    expect(memo.size).toBe(4);
  });

  it('above its cap keeps nothing more and computes the rest each time, with the same values', async () => {
    const { source, asked } = countingSource();
    const memo = new OnHandMemo(2);
    const first = await memo.onHand(source, ['a', 'bb', 'ccc'], ['w1']);
    const second = await memo.onHand(source, ['a', 'bb', 'ccc'], ['w1']);
    const third = await memo.onHand(source, ['ccc'], ['w1']);
    expect(memo.size).toBe(2);
    expect(asked.map((q) => q.productIds)).toEqual([['a', 'bb', 'ccc'], ['ccc'], ['ccc']]);
    expect(second).toEqual(first);
    expect(third).toEqual(new Map([['ccc', 32]]));
  });

  it('a product the source leaves out has on hand 0 (as `onHand` promises for unknown ids)', async () => {
    const memo = new OnHandMemo();
    const source: OnHandSource = { onHand: async () => new Map() };
    expect(await memo.onHand(source, ['x'], ['w1'])).toEqual(new Map([['x', 0]]));
  });

  it('answers exactly what the source answers, for any questions and any cap', async () => {
    const products = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6');
    const warehouses = fc.constantFrom('w1', 'w2', 'w3');
    const question = fc.record({ productIds: fc.array(products, { maxLength: 6 }), warehouseIds: fc.array(warehouses, { minLength: 1, maxLength: 4 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(question, { maxLength: 12 }), fc.nat(20), fc.func(fc.nat(50)), async (questions, cap, level) => {
        const stock = (p: string, w: string) => level(p, w);
        const direct = countingSource(stock).source;
        const { source, asked } = countingSource(stock);
        const memo = new OnHandMemo(cap);
        for (const q of questions) {
          expect(await memo.onHand(source, [...new Set(q.productIds)], q.warehouseIds)).toEqual(await direct.onHand([...new Set(q.productIds)], q.warehouseIds));
        }
        expect(memo.size).toBeLessThanOrEqual(cap);
        // Never asked twice for a product it kept.
        expect(asked.reduce((n, q) => n + q.productIds.length, 0)).toBeLessThanOrEqual(questions.reduce((n, q) => n + new Set(q.productIds).size, 0));
      }),
    );
  });
});
