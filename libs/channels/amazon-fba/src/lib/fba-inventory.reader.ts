import { type InventorySummary, NextTokenExpiredError, type SpApiClient, type SpApiLogger } from '@invsync/amazon-spapi';
import type { RemoteQuantity } from '@invsync/plugin-api';

/** How often one read may start over after an expired `nextToken` before it gives up. */
export const DEFAULT_MAX_WALK_RESTARTS = 3;

/** One complete read of a marketplace's FBA inventory. */
export interface FbaInventoryRead {
  /** One entry per SKU (the last summary wins if Amazon repeats a SKU across pages). */
  quantities: RemoteQuantity[];
  /** Product names by SKU, for listing the account's FBA listings. */
  names: Map<string, string>;
  pages: number;
  /** Walks started over because a `nextToken` had expired. */
  restarts: number;
  /** Summaries without `inventoryDetails` (cannot say what is fulfillable): skipped. */
  withoutDetails: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
  logger?: SpApiLogger;
  maxRestarts?: number;
}

/**
 * Amazon's summary as the host stores it: the fulfillable quantity is THE quantity; reserved
 * (totalReservedQuantity), inbound (working + shipped + receiving) and unfulfillable go beside it.
 * Undefined when the summary has no SKU or no details (asked with details=true, so Amazon's omission).
 */
export function toRemoteQuantity(s: InventorySummary, marketplaceId: string): RemoteQuantity | undefined {
  const d = s.inventoryDetails;
  if (!s.sellerSku || !d) return undefined;
  const n = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.trunc(v) : 0);
  return {
    sku: s.sellerSku,
    marketplaceId,
    quantity: n(d.fulfillableQuantity),
    fulfilment: 'channel',
    details: {
      reserved: n(d.reservedQuantity?.totalReservedQuantity),
      inbound: n(d.inboundWorkingQuantity) + n(d.inboundShippedQuantity) + n(d.inboundReceivingQuantity),
      unfulfillable: n(d.unfulfillableQuantity?.totalUnfulfillableQuantity),
    },
  };
}

/**
 * Reads every page of `getInventorySummaries` (granularity Marketplace, details=true) for one
 * marketplace. The whole walk is read before anything is handed on: pages are fetched back to back
 * (only the client's 2/s limiter in between), so a `nextToken` (about 30 s of life) rarely expires,
 * and the host receives one complete read. When one does expire, the walk starts again from the
 * first page (Amazon cannot resume it), at most `maxRestarts` times.
 */
export async function readFbaInventory(client: SpApiClient, marketplaceId: string, opts: ReadOptions = {}): Promise<FbaInventoryRead> {
  const maxRestarts = opts.maxRestarts ?? DEFAULT_MAX_WALK_RESTARTS;
  let restarts = 0;
  let pages = 0;
  for (;;) {
    const bySku = new Map<string, RemoteQuantity>();
    const names = new Map<string, string>();
    let withoutDetails = 0;
    try {
      for await (const page of client.fbaInventory.inventorySummaryPages({ marketplaceId, details: true }, opts.signal)) {
        pages++;
        for (const s of page.summaries) {
          const q = toRemoteQuantity(s, marketplaceId);
          if (!q) {
            withoutDetails++;
            continue;
          }
          bySku.set(q.sku, q);
          if (s.productName) names.set(q.sku, s.productName);
        }
      }
      return { quantities: [...bySku.values()], names, pages, restarts, withoutDetails };
    } catch (e) {
      if (!(e instanceof NextTokenExpiredError) || restarts >= maxRestarts || opts.signal?.aborted) throw e;
      restarts++;
      opts.logger?.warn('FBA inventory nextToken expired; reading again from the first page', { marketplaceId, restarts, pagesSoFar: pages });
    }
  }
}
