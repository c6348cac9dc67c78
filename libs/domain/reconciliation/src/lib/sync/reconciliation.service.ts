import type { RemoteQuantity } from '@invsync/plugin-api';
import { chunk, MAX_SQL_PARAMS, newId, nowIso, queryNamed, tableRef, type TransactionRunner } from '@invsync/domain-shared';
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
      const rows = await this.tx.read((em) => {
        const qb = em.getRepository(ListingEntity).createQueryBuilder('l').where('l.channel_id = :channelId', { channelId }).andWhere("l.fulfilment = 'merchant'").orderBy('l.id').take(size);
        if (after) qb.andWhere('l.id > :after', { after });
        return qb.getMany();
      });
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      const onHand = await this.onHand.onHand([...new Set(rows.map((r) => r.productId))], channel.onHandWarehouseIds);
      const differing: string[] = [];
      for (const r of rows) {
        summary.listings++;
        if (!r.syncEnabled || !channel.syncEnabled || r.status === 'conflict') {
          summary.skipped++;
          continue;
        }
        const q = applyQuantityRules(onHand.get(r.productId) ?? 0, effectiveRules(channel.rules, JSON.parse(r.overrides) as QuantityRules)).quantity;
        // Without read-back, the channel's quantity is unknown: send it again.
        // A listing missing from this read counts as unknown (and is sent).
        const channelQuantity = readAt && r.remoteReadAt && r.remoteReadAt >= readAt ? r.remoteQuantity : null;
        if (channelQuantity === q) {
          summary.unchanged++;
          continue;
        }
        summary.changed++;
        differing.push(r.id);
        const key = `${r.quantityPool}\u0000${r.skuKey}`;
        if (!messageKeys.has(key)) {
          messageKeys.add(key);
          if (summary.items && summary.items.length < itemLimit) summary.items.push({ listingId: r.id, sku: r.sku, marketplaceId: r.marketplaceId, quantity: q, channelQuantity });
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
        for (const part of chunk(page, Math.floor(MAX_SQL_PARAMS / 8))) {
          for (const q of part) {
            const details = q.details ? JSON.stringify(q.details) : null;
            await queryNamed(
              em,
              `UPDATE ${t} SET remote_quantity = :quantity, remote_details = :details, remote_read_at = :readAt
                WHERE channel_id = :channelId AND sku_key = :key${q.marketplaceId ? ' AND marketplace_id = :marketplaceId' : ''}`,
              { quantity: q.quantity, details, readAt, channelId, key: skuKey(q.sku), marketplaceId: q.marketplaceId ?? null },
            );
            stored++;
          }
        }
      });
    }
    return { stored, readAt };
  }
}
