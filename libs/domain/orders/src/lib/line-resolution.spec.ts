import fc from 'fast-check';
import { skuKey } from '@invsync/domain-catalog';
import { resolveSku, type SkuTarget } from './line-resolution';

const target = fc.record({ productId: fc.uuid(), kind: fc.constantFrom('stock' as const, 'bundle' as const) });
const sku = fc.constantFrom('a-1', 'A-1', ' a-1 ', 'B', 'c', 'É', 'e\u0301');

describe('resolveSku', () => {
  it("answers the channel's listing when there is one, else the product, else nothing, for any spelling of the SKU", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(sku, target)), fc.array(fc.tuple(sku, target)), sku, (listed, products, asked) => {
        const listings = new Map<string, SkuTarget>(listed.map(([s, t]) => [skuKey(s), t]));
        const catalog = new Map<string, SkuTarget>(products.map(([s, t]) => [skuKey(s), t]));
        const key = skuKey(asked);
        const r = resolveSku(key, listings, catalog);
        if (listings.has(key)) expect(r).toEqual({ ...listings.get(key), via: 'listing' });
        else if (catalog.has(key)) expect(r).toEqual({ ...catalog.get(key), via: 'product' });
        else expect(r).toBeUndefined();
      }),
    );
  });
});
