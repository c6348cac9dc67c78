/**
 * The comparison of a channel-managed warehouse, as pure functions: the quantity the channel reports
 * as sellable from its own network (read from the channel and stored on its listings) against the
 * in-stock level of the warehouse that mirrors that network, per product.
 */

/** What one listing of a channel-fulfilled channel says the channel holds, as stored by the last read. */
export interface ManagedListingQuantity {
  productId: string;
  sku: string;
  /** The channel's sellable quantity; null when the listing was never read. */
  remoteQuantity: number | null;
  /** When the channel last showed it (ISO, `listingReadAt`); null when never. */
  remoteReadAt: string | null;
}

export interface StockDiscrepancy {
  productId: string;
  /** The product's listing SKU (the first in order when several listings hold the product). */
  sku: string;
  /** Every listing SKU of the product on this channel whose quantities are summed. */
  skus: string[];
  /** The channel's sellable quantity, summed over the product's listings on the channel. */
  channelQuantity: number;
  /** The in-stock level of the product in the channel's managed warehouse (not on hand). */
  warehouseQuantity: number;
  /** channelQuantity - warehouseQuantity: the correction that lines the warehouse up with the channel. */
  difference: number;
  /** The oldest read among the product's listings. */
  readAt: string;
  stale: boolean;
}

export type NotComparedReason = 'not-read' | 'not-stock-tracked';

export interface NotCompared {
  productId: string;
  skus: string[];
  reason: NotComparedReason;
  message: string;
}

export type StockComparison =
  | { kind: 'match'; productId: string; quantity: number; readAt: string; stale: boolean }
  | ({ kind: 'discrepancy' } & StockDiscrepancy)
  | ({ kind: 'not-compared' } & NotCompared);

export interface StalenessContext {
  /** Epoch ms of the request. */
  now: number;
  /** Reads older than this are stale. */
  staleAfterMs: number;
  /**
   * The channel's latest complete read (`channel.remote_read_at`). A listing read before it was
   * missing from that read: the channel no longer reports it, so its value is old news.
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
 * Compares one product. Several listings of one product on one channel-fulfilled channel (e.g. the
 * same goods sold under two SKUs) are units of that one product in the channel's network, so their sellable
 * quantities are SUMMED and compared with the product's single warehouse level; the product is only
 * compared when every one of its listings has been read (a partial sum would invent a difference).
 * Bundles and parents hold no stock of their own, so they are not compared.
 */
export function compareProductStock(
  productId: string,
  listings: readonly ManagedListingQuantity[],
  product: { kind: string } | undefined,
  warehouseInStock: number,
  ctx: StalenessContext,
): StockComparison {
  const sorted = [...listings].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const skus = sorted.map((l) => l.sku);
  if (product && product.kind !== 'stock') {
    return {
      kind: 'not-compared',
      productId,
      skus,
      reason: 'not-stock-tracked',
      message: `product is a ${product.kind} and holds no stock of its own; list its units in the channel's network under a stock product to reconcile them`,
    };
  }
  const unread = sorted.filter((l) => l.remoteQuantity === null || l.remoteReadAt === null);
  if (unread.length || !sorted.length) {
    return {
      kind: 'not-compared',
      productId,
      skus,
      reason: 'not-read',
      message: `the channel has not reported ${unread.map((l) => l.sku).join(', ') || 'any listing'} yet; pull the channel's quantities (or check the SKU is fulfilled by the channel)`,
    };
  }
  const channelQuantity = sorted.reduce((s, l) => s + (l.remoteQuantity as number), 0);
  const readAt = sorted.map((l) => l.remoteReadAt as string).reduce((a, b) => (b < a ? b : a));
  const stale = sorted.some((l) => isStaleRead(l.remoteReadAt, ctx));
  if (channelQuantity === warehouseInStock) return { kind: 'match', productId, quantity: channelQuantity, readAt, stale };
  return {
    kind: 'discrepancy',
    productId,
    sku: skus[0],
    skus,
    channelQuantity,
    warehouseQuantity: warehouseInStock,
    difference: channelQuantity - warehouseInStock,
    readAt,
    stale,
  };
}

/** Drops the `kind` tag of a discrepancy (the shape the API answers). */
export function toDiscrepancy(c: Extract<StockComparison, { kind: 'discrepancy' }>): StockDiscrepancy {
  const { kind: _kind, ...d } = c;
  return d;
}
