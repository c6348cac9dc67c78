/**
 * The FBA comparison, as pure functions: Amazon's fulfillable quantity (read from the channel and
 * stored on its listings) against the in-stock level of the channel's FBA warehouse, per product.
 */

/** What one listing of an FBA channel says Amazon holds, as stored by the last read. */
export interface FbaListingQuantity {
  productId: string;
  sku: string;
  /** Amazon's fulfillable quantity; null when the listing was never read. */
  remoteQuantity: number | null;
  /** When Amazon last showed it (ISO, `listingReadAt`); null when never. */
  remoteReadAt: string | null;
}

export interface FbaDiscrepancy {
  productId: string;
  /** The product's listing SKU (the first in order when several listings hold the product). */
  sku: string;
  /** Every listing SKU of the product on this channel whose quantities are summed. */
  skus: string[];
  /** Amazon's fulfillable quantity, summed over the product's listings on the channel. */
  amazonQuantity: number;
  /** The in-stock level of the product in the channel's FBA warehouse (not on hand). */
  warehouseQuantity: number;
  /** amazonQuantity - warehouseQuantity: the correction that lines the warehouse up with Amazon. */
  difference: number;
  /** The oldest read among the product's listings. */
  readAt: string;
  stale: boolean;
}

export type NotComparedReason = 'not-read' | 'not-stock-tracked';

export interface FbaNotCompared {
  productId: string;
  skus: string[];
  reason: NotComparedReason;
  message: string;
}

export type FbaComparison =
  | { kind: 'match'; productId: string; quantity: number; readAt: string; stale: boolean }
  | ({ kind: 'discrepancy' } & FbaDiscrepancy)
  | ({ kind: 'not-compared' } & FbaNotCompared);

export interface StalenessContext {
  /** Epoch ms of the request. */
  now: number;
  /** Reads older than this are stale. */
  staleAfterMs: number;
  /**
   * The channel's latest complete read (`channel.remote_read_at`). A listing read before it was
   * missing from that read: Amazon no longer reports it, so its value is old news.
   */
  latestReadAt: string | null;
}

/** True when a read is older than the limit, missing from the channel's latest read, or absent. */
export function isStaleRead(readAt: string | null, ctx: StalenessContext): boolean {
  if (!readAt) return true;
  if (ctx.now - Date.parse(readAt) > ctx.staleAfterMs) return true;
  return ctx.latestReadAt !== null && readAt < ctx.latestReadAt;
}

/**
 * Compares one product. Several listings of one product on one FBA channel (e.g. the same goods sold
 * under two SKUs) are units of that one product in Amazon's fulfilment network, so their fulfillable
 * quantities are SUMMED and compared with the product's single warehouse level; the product is only
 * compared when every one of its listings has been read (a partial sum would invent a difference).
 * Bundles and parents hold no stock of their own, so they are not compared.
 */
export function compareFbaProduct(
  productId: string,
  listings: readonly FbaListingQuantity[],
  product: { kind: string } | undefined,
  warehouseInStock: number,
  ctx: StalenessContext,
): FbaComparison {
  const sorted = [...listings].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const skus = sorted.map((l) => l.sku);
  if (product && product.kind !== 'stock') {
    return {
      kind: 'not-compared',
      productId,
      skus,
      reason: 'not-stock-tracked',
      message: `product is a ${product.kind} and holds no stock of its own; list its FBA units under a stock product to reconcile them`,
    };
  }
  const unread = sorted.filter((l) => l.remoteQuantity === null || l.remoteReadAt === null);
  if (unread.length || !sorted.length) {
    return {
      kind: 'not-compared',
      productId,
      skus,
      reason: 'not-read',
      message: `Amazon has not reported ${unread.map((l) => l.sku).join(', ') || 'any listing'} yet; pull the channel's FBA quantities (or check the SKU is an FBA SKU)`,
    };
  }
  const amazonQuantity = sorted.reduce((s, l) => s + (l.remoteQuantity as number), 0);
  const readAt = sorted.map((l) => l.remoteReadAt as string).reduce((a, b) => (b < a ? b : a));
  const stale = sorted.some((l) => isStaleRead(l.remoteReadAt, ctx));
  if (amazonQuantity === warehouseInStock) return { kind: 'match', productId, quantity: amazonQuantity, readAt, stale };
  return {
    kind: 'discrepancy',
    productId,
    sku: skus[0],
    skus,
    amazonQuantity,
    warehouseQuantity: warehouseInStock,
    difference: amazonQuantity - warehouseInStock,
    readAt,
    stale,
  };
}

/** Drops the `kind` tag of a discrepancy (the shape the API answers). */
export function toDiscrepancy(c: Extract<FbaComparison, { kind: 'discrepancy' }>): FbaDiscrepancy {
  const { kind: _kind, ...d } = c;
  return d;
}
