import type { RemoteQuantity } from '@invsync/plugin-api';
import { skuKey } from '@invsync/domain-catalog';

/**
 * How read times are kept: a complete read of a channel stamps the CHANNEL (`channel.remote_read_at`),
 * and a listing's own `remote_read_at` is set only while the listing is missing from that latest read,
 * saying when it was last seen. So storing a read writes only the listings whose quantity or details
 * changed, that reappeared, or that went missing (a few percent), instead of every listing.
 *
 * When the channel last showed a listing's stored remote quantity: its own time when it was missing
 * from the channel's latest read, else the channel's latest read; null when never read. Every reader
 * of a listing's read time goes through this.
 */
export function listingReadAt(listing: { remoteQuantity: number | string | null; remoteReadAt: string | null }, channelReadAt: string | null): string | null {
  if (listing.remoteQuantity === null || listing.remoteQuantity === undefined) return null;
  return listing.remoteReadAt ?? channelReadAt;
}

/** A remote quantity as stored on a listing (details as the JSON text the column holds). */
export interface StoredRemote {
  quantity: number;
  details: string | null;
}

interface Entry extends StoredRemote {
  marketplaceId: string | null;
}

/**
 * One complete read of a channel, held by SKU key until it is stored. Most entries (no marketplace,
 * no details) are kept as a bare number: a million SKUs stay well under 100 MB.
 */
export class RemoteRead {
  private readonly bySku = new Map<string, number | Entry | Entry[]>();
  /** Entries read, matched or not. */
  entries = 0;

  static async collect(pages: AsyncIterable<RemoteQuantity[]>): Promise<RemoteRead> {
    const read = new RemoteRead();
    for await (const page of pages) for (const q of page) read.add(q);
    return read;
  }

  add(q: RemoteQuantity): void {
    this.entries++;
    const k = skuKey(q.sku);
    const details = q.details ? JSON.stringify(q.details) : null;
    const marketplaceId = q.marketplaceId ?? null;
    if (marketplaceId === null) {
      // Applies to the SKU's listing whatever its marketplace: it wins over every earlier entry.
      this.bySku.set(k, details === null ? q.quantity : { quantity: q.quantity, details, marketplaceId });
      return;
    }
    const entry: Entry = { quantity: q.quantity, details, marketplaceId };
    const before = this.bySku.get(k);
    if (before === undefined) this.bySku.set(k, entry);
    else this.bySku.set(k, [...asEntries(before), entry]);
  }

  /** What the read shows for a listing: the last entry for its SKU meant for its marketplace, if any. */
  match(key: string, marketplaceId: string): StoredRemote | undefined {
    const e = this.bySku.get(key);
    if (e === undefined) return undefined;
    if (typeof e === 'number') return { quantity: e, details: null };
    const list = asEntries(e);
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].marketplaceId === null || list[i].marketplaceId === marketplaceId) return list[i];
    }
    return undefined;
  }
}

function asEntries(e: number | Entry | Entry[]): Entry[] {
  if (typeof e === 'number') return [{ quantity: e, details: null, marketplaceId: null }];
  return Array.isArray(e) ? e : [e];
}

/** A listing's stored read-back, as a page of the store pass reads it (raw column values). */
export interface StoredRemoteRow {
  id: string;
  sku_key: string;
  marketplace_id: string;
  remote_quantity: number | string | null;
  remote_details: string | null;
  remote_read_at: string | null;
}

/** The new read-back columns of a listing that must be written. */
export interface RemoteWrite {
  id: string;
  quantity: number | null;
  details: string | null;
  readAt: string | null;
}

/**
 * What storing `read` must write on one listing, or null when nothing changes.
 * - Seen: written when its quantity or details differ, or it was unread or missing (read time
 *   cleared: it is now seen in the channel's latest read).
 * - Not seen but seen in the previous read: keeps its quantity and gets that read's time as its own
 *   (old news: reconcile treats it as unknown, a channel-managed warehouse as stale); without a previous complete read to
 *   date it, it becomes unread.
 * - Not seen and already missing (or never read): untouched.
 */
export function remoteWrite(row: StoredRemoteRow, read: RemoteRead, previousReadAt: string | null): RemoteWrite | null {
  const seen = read.match(row.sku_key, row.marketplace_id);
  const stored = row.remote_quantity === null || row.remote_quantity === undefined ? null : Number(row.remote_quantity);
  if (seen) {
    if (stored === seen.quantity && row.remote_details === seen.details && row.remote_read_at === null) return null;
    return { id: row.id, quantity: seen.quantity, details: seen.details, readAt: null };
  }
  if (stored === null || row.remote_read_at !== null) return null;
  if (previousReadAt === null) return { id: row.id, quantity: null, details: null, readAt: null };
  return { id: row.id, quantity: stored, details: row.remote_details, readAt: previousReadAt };
}
