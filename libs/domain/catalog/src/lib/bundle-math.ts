export interface ComponentQuantity {
  productId: string;
  /** Units of the component per bundle (positive integer). */
  quantity: number;
}

/**
 * How many complete bundles ONE warehouse can make: min over components of
 * floor(on hand of the component / quantity per bundle), never below 0. A bundle without components
 * makes 0. Summing this over warehouses gives the bundle's on hand (domain.md section 2).
 */
export function wholeBundles(components: readonly ComponentQuantity[], onHandOf: (productId: string) => number): number {
  if (components.length === 0) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const c of components) {
    const make = Math.floor(Math.max(0, onHandOf(c.productId)) / c.quantity);
    if (make < min) min = make;
  }
  return Math.max(0, min);
}
