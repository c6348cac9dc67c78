import fc from 'fast-check';
import { bundleOnHand } from './bundle-on-hand';

const X = [
  { productId: 'A', quantity: 1 },
  { productId: 'B', quantity: 2 },
];
const wh = (...warehouses: Record<string, number>[]) => new Map(warehouses.map((w, i) => [`w${i + 1}`, new Map(Object.entries(w))]));

describe('bundleOnHand: the three examples of domain.md (bundle X = 1 x A + 2 x B)', () => {
  it('A 15, B 20, one warehouse: 10', () => {
    expect(bundleOnHand(X, wh({ A: 15, B: 20 }))).toBe(10);
  });
  it('A 10 in warehouse 1, B 20 in warehouse 2: 0 (no warehouse can make one)', () => {
    expect(bundleOnHand(X, wh({ A: 10 }, { B: 20 }))).toBe(0);
  });
  it('A 5 and B 7 in total, split so each warehouse can make one: 2, not 3', () => {
    expect(bundleOnHand(X, wh({ A: 4, B: 3 }, { A: 1, B: 4 }))).toBe(2);
    // pooled it would be min(5/1, floor(7/2)) = 3
  });
});

describe('bundleOnHand properties', () => {
  const recipe = fc.uniqueArray(fc.record({ productId: fc.constantFrom('A', 'B', 'C', 'D'), quantity: fc.integer({ min: 1, max: 5 }) }), {
    minLength: 1,
    maxLength: 4,
    selector: (c) => c.productId,
  });
  const stock = fc.array(fc.dictionary(fc.constantFrom('A', 'B', 'C', 'D'), fc.integer({ min: 0, max: 50 })), { minLength: 0, maxLength: 4 });

  it('never exceeds what the components could make if pooled, and is the sum of what each warehouse makes', () => {
    fc.assert(
      fc.property(recipe, stock, (components, warehouses) => {
        const byW = wh(...warehouses);
        const total = bundleOnHand(components, byW);
        const pooled = Math.min(...components.map((c) => Math.floor(warehouses.reduce((s, w) => s + (w[c.productId] ?? 0), 0) / c.quantity)));
        expect(total).toBeLessThanOrEqual(pooled);
        expect(total).toBeGreaterThanOrEqual(0);
        let sum = 0;
        for (const [id, m] of byW) {
          const one = bundleOnHand(components, new Map([[id, m]]));
          // no warehouse is credited with more than its own components can make
          for (const c of components) expect(one * c.quantity).toBeLessThanOrEqual(m.get(c.productId) ?? 0);
          sum += one;
        }
        expect(total).toBe(sum);
      }),
    );
  });
});
