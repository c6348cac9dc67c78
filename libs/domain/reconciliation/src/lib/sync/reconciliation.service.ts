import type { RemoteQuantity } from '@invsync/plugin-api';
import { MAX_SQL_PARAMS, newId, nowIso, queryNamed, tableRef, type TransactionRunner } from '@invsync/domain-shared';
import { skuKey } from '@invsync/domain-catalog';
import { ChannelEntity } from '../persistence/channel.entity';
import { ListingEntity } from '../persistence/listing.entity';
import { applyQuantityRules, effectiveRules, type QuantityRules } from '../rules/quantity-rules';
import { ChangeTracker } from './change-tracker';
import { toChannelView } from './channel-view';
import type { ChannelGateway, OnHandSource } from './ports';

export interface ReconcileOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Called after each page with listings done and total. */
  progress?: (done: number, total: number) => void;
  /** Listings per page (bounded memory for a million listings). */
  pageSize?: number;
  /** How many would-be messages a dry run lists. */
  dryRunItemLimit?: number;
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
  /** Updates that will be (or would be) sent: one per shared quantity (Amazon EU: seller + SKU). */
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
  private readonly tracker = new ChangeTracker();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly onHand: OnHandSource,
    private readonly gateway: ChannelGateway,
  ) {}

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

    let readAt: string | null = null;
    if (await this.gateway.canPull(channelId)) {
      readAt = (await this.storeRemoteQuantities(channelId, this.gateway.pull(channelId, signal))).readAt;
      summary.readBack = true;
    }
    const total = await this.tx.read((em) => em.getRepository(ListingEntity).countBy({ channelId, fulfilment: 'merchant' }));
    const size = opts.pageSize ?? 5000;
    const itemLimit = opts.dryRunItemLimit ?? 1000;
    const messageKeys = new Set<string>();
    let after = '';
    for (;;) {
      if (signal.aborted) break;
      // Keyset paging on the (channel_id, sku_key) unique index: each page is one index range, never a
      // sort of the channel's listings (paging by id sorted the whole channel for every page). Only the
      // columns used here are read.
      const rows = await this.tx.read((em) =>
        queryNamed<PageRow>(
          em,
          `SELECT id, sku, sku_key, marketplace_id, quantity_pool, product_id, overrides, sync_enabled, status, remote_quantity, remote_read_at
             FROM ${tableRef(em, ListingEntity)}
            WHERE channel_id = :channelId AND sku_key > :after AND fulfilment = 'merchant'
            ORDER BY sku_key LIMIT :size`,
          { channelId, after, size },
        ),
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].sku_key;
      const onHand = await this.onHand.onHand([...new Set(rows.map((r) => r.product_id))], channel.onHandWarehouseIds);
      const differing: string[] = [];
      for (const r of rows) {
        summary.listings++;
        if (!isTrue(r.sync_enabled) || !channel.syncEnabled || r.status === 'conflict') {
          summary.skipped++;
          continue;
        }
        const q = applyQuantityRules(onHand.get(r.product_id) ?? 0, effectiveRules(channel.rules, parseOverrides(r.overrides))).quantity;
        // Without read-back, the channel's quantity is unknown: send it again.
        // A listing missing from this read counts as unknown (and is sent).
        const remote = r.remote_quantity === null || r.remote_quantity === undefined ? null : Number(r.remote_quantity);
        const channelQuantity = readAt && r.remote_read_at && r.remote_read_at >= readAt ? remote : null;
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
        await this.tx.run((em) => this.tracker.markListings(em, differing, nowIso(), { force: true, immediate: true }));
      }
      opts.progress?.(summary.listings, total);
      if (rows.length < size) break;
    }
    summary.messages = messageKeys.size;
    return summary;
  }

  /** Stores what the channel shows now on the channel's listings, matched by SKU (and marketplace when given). */
  async storeRemoteQuantities(channelId: string, pages: AsyncIterable<RemoteQuantity[]>): Promise<{ stored: number; readAt: string }> {
    const readAt = nowIso();
    let stored = 0;
    for await (const page of pages) {
      if (!page.length) continue;
      await this.tx.run(async (em) => {
        const t = tableRef(em, ListingEntity);
        // One UPDATE ... FROM (VALUES ...) per part instead of one statement per SKU (a million round
        // trips for a million listings). A part never repeats a SKU, so a later entry for the same SKU
        // still overwrites an earlier one, as sequential updates did.
        for (const part of distinctParts(page, Math.floor(MAX_SQL_PARAMS / 5))) {
          const params: Record<string, unknown> = { readAt, channelId };
          const values = part.map((q, i) => {
            params[`k${i}`] = skuKey(q.sku);
            params[`q${i}`] = String(q.quantity);
            params[`d${i}`] = q.details ? JSON.stringify(q.details) : null;
            params[`m${i}`] = q.marketplaceId ?? null;
            return `(:k${i}, :q${i}, :d${i}, :m${i})`;
          });
          await queryNamed(
            em,
            `WITH v(k, q, d, m) AS (VALUES ${values.join(', ')})
             UPDATE ${t} AS l SET remote_quantity = CAST(v.q AS INTEGER), remote_details = v.d, remote_read_at = :readAt
               FROM v WHERE l.channel_id = :channelId AND l.sku_key = v.k AND (v.m IS NULL OR l.marketplace_id = v.m)`,
            params,
          );
          stored += part.length;
        }
      });
    }
    return { stored, readAt };
  }
}

/** The listing columns a reconciliation page reads (raw: booleans are 0/1 on SQLite, numbers may be strings). */
interface PageRow {
  id: string;
  sku: string;
  sku_key: string;
  marketplace_id: string;
  quantity_pool: string;
  product_id: string;
  overrides: string;
  sync_enabled: boolean | number;
  status: string;
  remote_quantity: number | string | null;
  remote_read_at: string | null;
}

const isTrue = (v: boolean | number) => v === true || v === 1;

/** Most listings have no overrides: skip the JSON parse for the common "{}". */
function parseOverrides(raw: string): QuantityRules {
  return raw === '{}' ? {} : (JSON.parse(raw) as QuantityRules);
}

/** Splits remote quantities into parts of at most `size` where no SKU key occurs twice. */
function distinctParts(page: RemoteQuantity[], size: number): RemoteQuantity[][] {
  const parts: RemoteQuantity[][] = [];
  let part: RemoteQuantity[] = [];
  let keys = new Set<string>();
  for (const q of page) {
    const k = skuKey(q.sku);
    if (part.length >= size || keys.has(k)) {
      parts.push(part);
      part = [];
      keys = new Set();
    }
    part.push(q);
    keys.add(k);
  }
  if (part.length) parts.push(part);
  return parts;
}
