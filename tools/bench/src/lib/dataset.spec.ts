import { Dataset, type DatasetSize, SIZES } from './dataset';

const tiny: DatasetSize = { name: 'quick', listings: 600, products: 150, warehouses: 3, bundles: 12 };

describe('benchmark data set', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = new Dataset(tiny);
    const b = new Dataset(tiny);
    const c = new Dataset(tiny, { seed: 7 });
    expect(b.listings.map((l) => [l.id, l.product, l.channel, l.amazonQuantity])).toEqual(a.listings.map((l) => [l.id, l.product, l.channel, l.amazonQuantity]));
    expect(b.levels).toEqual(a.levels);
    expect(c.listings[0].id).not.toBe(a.listings[0].id);
  });

  it('has the requested sizes, bundles of 2 to 5 stock components and one seller on US + nine EU marketplaces', () => {
    const d = new Dataset(tiny);
    expect(d.listings).toHaveLength(600);
    expect(d.products).toHaveLength(150);
    expect(d.products.filter((p) => p.kind === 'bundle')).toHaveLength(12);
    const perBundle = new Map<string, number>();
    for (const c of d.components) perBundle.set(c.bundleId, (perBundle.get(c.bundleId) ?? 0) + 1);
    expect([...perBundle.values()].every((n) => n >= 2 && n <= 5)).toBe(true);
    const kinds = new Map(d.products.map((p) => [p.id, p.kind]));
    expect(d.components.every((c) => kinds.get(c.componentId) === 'stock')).toBe(true);
    expect(d.channels.map((c) => c.region)).toEqual(['NA', ...Array(9).fill('EU')]);
    expect(new Set(d.channels.filter((c) => c.region === 'EU').map((c) => c.quantityPool)).size).toBe(1);
    // A SKU is listed once per channel (the (channel, SKU) uniqueness of the schema).
    expect(new Set(d.listings.map((l) => `${l.channel}:${l.product}`)).size).toBe(600);
    expect(d.levels.every((l) => l.allocated >= 0 && l.allocated <= l.inStock)).toBe(true);
  });

  it('gives listings of one EU SKU the same Amazon quantity and leaves some to find', () => {
    const d = new Dataset(tiny, { driftRate: 0.2 });
    const byPoolSku = new Map<string, Set<number | null>>();
    for (const l of d.listings) {
      const c = d.channels[l.channel];
      const key = `${c.quantityPool}:${l.product}`;
      byPoolSku.set(key, (byPoolSku.get(key) ?? new Set()).add(l.amazonQuantity));
    }
    expect([...byPoolSku.values()].every((s) => s.size === 1)).toBe(true);
    expect(d.expectedDifferences().size).toBeGreaterThan(0);
  });

  it('computes bundles per warehouse, then sums (a warehouse missing a component makes none)', () => {
    const d = new Dataset(tiny);
    const calc = d.onHandCalculator();
    const b = d.products.findIndex((p) => p.kind === 'bundle');
    const comps = d.components.filter((c) => c.bundleId === d.products[b].id);
    let expected = 0;
    for (const w of d.warehouses) {
      expected += Math.min(
        ...comps.map((c) => {
          const l = d.levels.find((x) => x.productId === c.componentId && x.warehouseId === w.id);
          return Math.floor((l ? l.inStock - l.allocated : 0) / c.quantity);
        }),
      );
    }
    expect(calc(b, d.warehouses.map((w) => w.id))).toBe(expected);
  });

  it('keeps the large size the issue asks for', () => {
    expect(SIZES.large).toMatchObject({ listings: 1_000_000, products: 200_000, warehouses: 5, bundles: 10_000 });
  });
});
