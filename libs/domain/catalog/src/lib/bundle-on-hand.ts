import { type ComponentQuantity, wholeBundles } from './bundle-math';

/** On hand per warehouse, then per product. */
export type OnHandByWarehouse = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * A bundle's on hand over a set of warehouses (domain.md section 2):
 * `sum over warehouses w of min over components c of floor(onHand(c, w) / qty(c))`, each warehouse
 * clamped at 0. Components are never pooled across warehouses: a bundle is made in one warehouse.
 */
export function bundleOnHand(components: readonly ComponentQuantity[], onHandByWarehouse: OnHandByWarehouse): number {
  let total = 0;
  for (const byProduct of onHandByWarehouse.values()) {
    total += wholeBundles(components, (productId) => byProduct.get(productId) ?? 0);
  }
  return total;
}
