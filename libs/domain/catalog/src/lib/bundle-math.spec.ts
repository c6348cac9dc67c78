import { wholeBundles } from './bundle-math';

describe('wholeBundles (one warehouse)', () => {
  const X = [
    { productId: 'A', quantity: 1 },
    { productId: 'B', quantity: 2 },
  ];
  it('is the min over components of floor(on hand / quantity)', () => {
    const stock: Record<string, number> = { A: 15, B: 20 };
    expect(wholeBundles(X, (p) => stock[p] ?? 0)).toBe(10);
    expect(wholeBundles(X, (p) => ({ A: 15, B: 3 })[p] ?? 0)).toBe(1);
  });
  it('is 0 when a component is missing, negative, or there are no components', () => {
    expect(wholeBundles(X, (p) => (p === 'A' ? 10 : 0))).toBe(0);
    expect(wholeBundles(X, () => -4)).toBe(0);
    expect(wholeBundles([], () => 100)).toBe(0);
  });
});
