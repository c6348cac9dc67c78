import type { RemoteQuantity } from '@invsync/plugin-api';
import { MAX_SQL_PARAMS, newId, nowIso, queryNamed, tableRef, type TransactionRunner } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { ChannelEntity } from '@invsync/domain-channels';
import { ListingEntity } from '@invsync/domain-channels';
import { desiredQuantity } from '@invsync/domain-channels';
import { ClaimStore } from '@invsync/domain-channels';
import { toChannelView } from '@invsync/domain-channels';
import { OnHandMemo } from './on-hand-memo';
import type { ChannelGateway, OnHandSource } from '../dispatcher/ports';
import { RemoteRead, type RemoteWrite, remoteWrite, type StoredRemoteRow } from '@invsync/domain-channels';

export interface ReconcileOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Called after each page with listings done and total. */
  progress?: (done: number, total: number) => void;
  /** Listings per page (bounded memory for a million listings). */
  pageSize?: number;
  /** How many would-be messages a dry run lists. */
  dryRunItemLimit?: number;
  /** Filled in with the time spent on the read-back and on on-hand (benchmarks). */
  timing?: ReconcileTiming;
  /** On hand already computed in this run (see `reconcileAll`): used, and filled page by page. */
  onHandMemo?: OnHandMemo;
}

export interface ReconcileAllOptions extends Omit<ReconcileOptions, 'progress' | 'onHandMemo'> {
  /** Called after each page with listings done so far over all channels. */
  progress?: (done: number) => void;
  /** The run's on-hand memo (tests give a small cap); a fresh one by default. */
  onHandMemo?: OnHandMemo;
}

export interface ReconcileAllResult {
  summaries: ReconcileSummary[];
  /** The summaries' counts added up. */
  totals: { listings: number; changed: number; unchanged: number; skipped: number; messages: number };
  /** Channels whose reconciliation threw (their plugin, their credentials); the others still ran. */
  failed: { channelId: string; error: string }[];
}

export interface ReconcileSummary {
  runId: string;
  channelId: string;
  dryRun: boolean;
  /** Whether the channel's current quantities were read (only differences sent) or everything re-sent. */
  readBack: boolean;
  listings: number;
  changed: number;
  unchanged: number;
  skipped: number;
  /** Updates that will be (or would be) sent: one per shared quantity (e.g. one seller's SKU across a region's marketplaces). */
  messages: number;
  items?: { listingId: string; sku: string; marketplaceId: string; quantity: number; channelQuantity: number | null }[];
}

/**
 * The nightly bulk reconciliation for one channel: recompute every listing's quantity from current
 * state, page by page, and mark for sending those where the channel differs (read back through the
 * plugin when it can; otherwise everything is re-sent). The dispatcher does the sending, so batching,
 * shared quantities, ordering and retries are the same as for every other change.
 */
export class ReconciliationService {
  private readonly claims = new ClaimStore();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly onHand: OnHandSource,
    private readonly gateway: ChannelGateway,
  ) {}

  /**
   * One nightly run: reconciles the channels one after the other, sharing on hand between channels
   * that sum the same warehouses (see `OnHandMemo`). One channel's failure does not stop the others;
   * an abort stops before the next channel.
   */
  async reconcileAll(channelIds: readonly string[], opts: ReconcileAllOptions = {}): Promise<ReconcileAllResult> {
    const { progress, ...rest } = opts;
    const onHandMemo = opts.onHandMemo ?? new OnHandMemo();
    const result: ReconcileAllResult = { summaries: [], totals: { listings: 0, changed: 0, unchanged: 0, skipped: 0, messages: 0 }, failed: [] };
    let done = 0;
    for (const channelId of channelIds) {
      if (opts.signal?.aborted) break;
      try {
        const s = await this.reconcile(channelId, { ...rest, onHandMemo, progress: progress ? (n) => progress(done + n) : undefined });
        done += s.listings;
        result.summaries.push(s);
        for (const k of Object.keys(result.totals) as (keyof ReconcileAllResult['totals'])[]) result.totals[k] += s[k];
      } catch (e) {
        result.failed.push({ channelId, error: (e as Error).message });
      }
    }
    return result;
  }

  async reconcile(channelId: string, opts: ReconcileOptions = {}): Promise<ReconcileSummary> {
    const signal = opts.signal ?? new AbortController().signal;
    const channelRow = await this.tx.read((em) => em.getRepository(ChannelEntity).findOneBy({ id: channelId }));
    if (!channelRow) throw new Error(`No channel with id "${channelId}".`);
    const channel = toChannelView(channelRow);
    const summary: ReconcileSummary = {
      runId: newId(),
      channelId,
      dryRun: !!opts.dryRun,
      readBack: false,
      listings: 0,
      changed: 0,
      unchanged: 0,
      skipped: 0,
      messages: 0,
      items: opts.dryRun ? [] : undefined,
    };
    if (channel.fulfilment !== 'merchant') return summary;

    const readBack = (await this.gateway.canPull(channelId)) ? await this.readChannel(channelId, this.gateway.pull(channelId, signal), opts.timing) : null;
    summary.readBack = !!readBack;
    // The total only feeds progress: counting costs a pass over the channel's index range.
    const total = opts.progress ? await this.tx.read((em) => em.getRepository(ListingEntity).countBy({ channelId, fulfilment: 'merchant' })) : 0;
    const itemLimit = opts.dryRunItemLimit ?? 1000;
    const messageKeys = new Set<string>();
    let complete = true;
    // One pass: each page stores its share of the read-back, then is recomputed and compared.
    for await (const rows of this.channelPages(channelId, opts.pageSize ?? 5000, readBack, opts.timing)) {
      if (signal.aborted) {
        complete = false;
        break;
      }
      const merchant = rows.filter((r) => r.fulfilment === 'merchant');
      const onHand = await this.pageOnHand([...new Set(merchant.map((r) => r.product_id))], channel.onHandWarehouseIds, opts);
      const differing: string[] = [];
      for (const r of merchant) {
        summary.listings++;
        if (!isTrue(r.sync_enabled) || !channel.syncEnabled || r.status === 'conflict') {
          summary.skipped++;
          continue;
        }
        const q = desiredQuantity(onHand.get(r.product_id) ?? 0, channel.rules, r.overrides).quantity;
        // Without read-back, the channel's quantity is unknown: send it again.
        // A listing missing from this read counts as unknown (and is sent).
        const channelQuantity = readBack?.read.match(r.sku_key, r.marketplace_id)?.quantity ?? null;
        if (channelQuantity === q) {
          summary.unchanged++;
          continue;
        }
        summary.changed++;
        differing.push(r.id);
        const key = `${r.quantity_pool}\u0000${r.sku_key}`;
        if (!messageKeys.has(key)) {
          messageKeys.add(key);
          if (summary.items && summary.items.length < itemLimit) summary.items.push({ listingId: r.id, sku: r.sku, marketplaceId: r.marketplace_id, quantity: q, channelQuantity });
        }
      }
      if (!opts.dryRun && differing.length) {
        await this.tx.run(async (em) => {
          await this.claims.markListings(em, differing, nowIso(), { force: true, immediate: true });
          this.tx.changed('listings');
        });
      }
      opts.progress?.(summary.listings, total);
    }
    // Only a pass over every listing has found the ones the read lacks: only then is the read complete.
    if (readBack && complete) await this.stampChannel(channelId, readBack.readAt);
    summary.messages = messageKeys.size;
    return summary;
  }

  /** On hand for one page: through the run's memo when given. */
  private async pageOnHand(productIds: string[], warehouseIds: string[], opts: ReconcileOptions): Promise<Map<string, number>> {
    const t0 = performance.now();
    const onHand = opts.onHandMemo ? await opts.onHandMemo.onHand(this.onHand, productIds, warehouseIds) : await this.onHand.onHand(productIds, warehouseIds);
    if (opts.timing) opts.timing.onHandMs += performance.now() - t0;
    return onHand;
  }

  /**
   * Stores one complete read of what the channel shows on the channel's listings, matched by SKU (and
   * marketplace when given), and stamps the channel with the read's time. Only listings whose stored
   * read-back changes are written (see `remoteWrite`): on a quiet night a few percent of a million.
   * The read is held in memory until it is complete, then compared with the stored values in one
   * keyset pass over the channel's (channel_id, sku_key) index; a listing the read lacks is found in
   * the same pass.
   */
  async storeRemoteQuantities(channelId: string, pages: AsyncIterable<RemoteQuantity[]>, opts: { pageSize?: number } = {}): Promise<StoredRead> {
    const readBack = await this.readChannel(channelId, pages);
    for await (const _rows of this.channelPages(channelId, opts.pageSize ?? STORE_PAGE, readBack)) {
      // Storing happens page by page inside channelPages.
    }
    await this.stampChannel(channelId, readBack.readAt);
    return { stored: readBack.read.entries, written: readBack.written, readAt: readBack.readAt };
  }

  /** Takes in a whole read (its time is when it started) with the channel's previous read time. */
  private async readChannel(channelId: string, pages: AsyncIterable<RemoteQuantity[]>, timing?: ReconcileTiming): Promise<ReadBack> {
    const t0 = performance.now();
    const readAt = nowIso();
    const read = await RemoteRead.collect(pages);
    const previous = await this.tx.read((em) => em.getRepository(ChannelEntity).findOne({ where: { id: channelId }, select: { id: true, remoteReadAt: true } }));
    if (timing) timing.readBackMs += performance.now() - t0;
    return { read, readAt, previousReadAt: previous?.remoteReadAt ?? null, written: 0 };
  }

  /**
   * Keyset pages (on the (channel_id, sku_key) unique index: each page one index range, never a sort)
   * of every listing of the channel, reading only the columns used. With a read-back, each page's
   * changed read-back is written in the transaction that read the page, before the page is handed on.
   */
  private async *channelPages(channelId: string, pageSize: number, readBack: ReadBack | null, timing?: ReconcileTiming): AsyncIterable<PageRow[]> {
    const size = readBack ? Math.min(pageSize, STORE_PAGE) : pageSize;
    let after = '';
    for (;;) {
      const page = (em: EntityManager) =>
        queryNamed<PageRow>(
          em,
          `SELECT id, sku, sku_key, marketplace_id, quantity_pool, product_id, fulfilment, overrides, sync_enabled, status, remote_quantity, remote_details, remote_read_at
             FROM ${tableRef(em, ListingEntity)}
            WHERE channel_id = :channelId AND sku_key > :after
            ORDER BY sku_key LIMIT :size`,
          { channelId, after, size },
        );
      const { rows, written } = readBack
        ? await this.tx.run(async (em) => {
            const rows = await page(em);
            const t0 = performance.now();
            const writes = rows.map((r) => remoteWrite(r, readBack.read, readBack.previousReadAt)).filter((w): w is RemoteWrite => w !== null);
            if (writes.length) await writeRemote(em, writes);
            if (timing) timing.readBackMs += performance.now() - t0;
            return { rows, written: writes.length };
          })
        : { rows: await this.tx.read(page), written: 0 };
      if (readBack) readBack.written += written;
      if (!rows.length) return;
      yield rows;
      if (rows.length < size) return;
      after = rows[rows.length - 1].sku_key;
    }
  }

  private async stampChannel(channelId: string, readAt: string): Promise<void> {
    await this.tx.run((em) => em.getRepository(ChannelEntity).update({ id: channelId }, { remoteReadAt: readAt }));
  }
}

/** A complete read of a channel, being stored. */
interface ReadBack {
  read: RemoteRead;
  readAt: string;
  /** The channel's previous complete read: when listings missing from this one were last seen. */
  previousReadAt: string | null;
  written: number;
}

/** Filled in when given (benchmarks): time spent taking in and storing the channel's read-back, and computing on hand. */
export interface ReconcileTiming {
  readBackMs: number;
  onHandMs: number;
}

export interface StoredRead {
  /** Entries the read held (matched or not). */
  stored: number;
  /** Listings whose stored read-back was written (changed, reappeared, went missing). */
  written: number;
  /** The read's time, now the channel's `remote_read_at`. */
  readAt: string;
}

/** Listings per store page; its writes (4 parameters each) fit one statement. */
const STORE_PAGE = Math.min(5000, Math.floor(MAX_SQL_PARAMS / 4));

/** One UPDATE ... FROM (VALUES ...) for a page's changed listings, by id. */
async function writeRemote(em: EntityManager, writes: RemoteWrite[]): Promise<void> {
  const params: Record<string, unknown> = {};
  const values = writes.map((w, i) => {
    params[`i${i}`] = w.id;
    params[`q${i}`] = w.quantity === null ? null : String(w.quantity);
    params[`d${i}`] = w.details;
    params[`r${i}`] = w.readAt;
    return `(:i${i}, :q${i}, :d${i}, :r${i})`;
  });
  await queryNamed(
    em,
    `WITH v(i, q, d, r) AS (VALUES ${values.join(', ')})
     UPDATE ${tableRef(em, ListingEntity)} AS l SET remote_quantity = CAST(v.q AS INTEGER), remote_details = v.d, remote_read_at = v.r
       FROM v WHERE l.id = v.i`,
    params,
  );
}

/** The listing columns a reconciliation page reads (raw: booleans are 0/1 on SQLite, numbers may be strings). */
interface PageRow extends StoredRemoteRow {
  sku: string;
  quantity_pool: string;
  product_id: string;
  fulfilment: string;
  overrides: string;
  sync_enabled: boolean | number;
  status: string;
}

const isTrue = (v: boolean | number) => v === true || v === 1;
