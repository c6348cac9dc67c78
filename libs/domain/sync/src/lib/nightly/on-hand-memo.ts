import type { OnHandSource } from '../dispatcher/ports';

/**
 * Largest number of (warehouse set, product) entries a run keeps. The nightly run of 1,000,000
 * listings over 200,000 products with two warehouse sets (US, EU) needs 400,000 (a product id and a
 * number each: some tens of MB); above the cap new products are computed and not kept.
 */
export const ON_HAND_MEMO_MAX_ENTRIES = 500_000;

/**
 * On hand per (warehouse set, product), shared by the channels of one nightly run: the nine EU
 * channels sum the same warehouses, so a product's on hand is computed once and not nine times.
 *
 * Safe although stock moves during the run: reconciliation only decides which listings to mark for
 * sending. The dispatcher recomputes each quantity from current state when it sends, and every stock
 * change marks its listings through the change feed anyway, so a value a few minutes old can at worst
 * mark a listing that turns out unchanged, or leave one to the change feed that marks it.
 */
export class OnHandMemo {
  private readonly bySet = new Map<string, Map<string, number>>();
  private kept = 0;

  constructor(private readonly maxEntries = ON_HAND_MEMO_MAX_ENTRIES) {}

  /** Entries held (all warehouse sets). */
  get size(): number {
    return this.kept;
  }

  /** On hand of `productIds` over `warehouseIds`: kept values, the rest asked from `source` (and kept while under the cap). */
  async onHand(source: OnHandSource, productIds: string[], warehouseIds: string[]): Promise<Map<string, number>> {
    const known = this.knownFor(warehouseIds);
    const out = new Map<string, number>();
    const missing: string[] = [];
    for (const p of productIds) {
      const v = known.get(p);
      if (v === undefined) missing.push(p);
      else out.set(p, v);
    }
    if (!missing.length) return out;
    const computed = await source.onHand(missing, warehouseIds);
    for (const p of missing) {
      const v = computed.get(p) ?? 0;
      out.set(p, v);
      this.keep(known, p, v);
    }
    return out;
  }

  private keep(known: Map<string, number>, productId: string, onHand: number): void {
    if (this.kept >= this.maxEntries || known.has(productId)) return;
    known.set(productId, onHand);
    this.kept++;
  }

  /** The entries of one warehouse set: on hand is a sum over the set, so order and repeats do not matter. */
  private knownFor(warehouseIds: string[]): Map<string, number> {
    const key = [...new Set(warehouseIds)].sort().join('\u0000');
    let known = this.bySet.get(key);
    if (!known) {
      known = new Map();
      this.bySet.set(key, known);
    }
    return known;
  }
}
