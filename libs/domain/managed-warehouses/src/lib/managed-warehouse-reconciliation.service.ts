import { ProductEntity } from '@invsync/domain-catalog';
import {
  chunk,
  decodeCursor,
  encodeCursor,
  InvalidInputError,
  MAX_SQL_PARAMS,
  newId,
  NotFoundError,
  pageSize,
  queryNamed,
  RuleViolationError,
  tableRef,
  type TransactionRunner,
} from '@invsync/domain-shared';
import { type LevelView, type MovementView, type StockLedgerService, StockLevelEntity } from '@invsync/domain-stock';
import { type EntityManager, In } from 'typeorm';
import { ChannelEntity } from '@invsync/domain-channels';
import { ListingEntity } from '@invsync/domain-channels';
import { listingReadAt } from '@invsync/domain-channels';
import {
  compareProductStock,
  type StockComparison,
  type StockDiscrepancy,
  type ManagedListingQuantity,
  type NotCompared,
  type StalenessContext,
  toDiscrepancy,
} from './stock-comparison';

/** At most this many products per reconciliation request (domain.md section 5: batches of at most 500). */
export const MAX_CORRECTIONS_PER_REQUEST = 500;
/** The ledger cause type and reason of every correction this tool books. */
export const MANAGED_WAREHOUSE_RECONCILIATION = 'managed-warehouse-reconciliation';

/** Products scanned per query while building a report page. */
const SCAN = 500;

export interface StalenessOptions {
  /** The channel's age limit of a read, in ms. */
  staleAfterMs: number;
  /** Epoch ms of the request (tests). */
  now?: number;
}

export interface DiscrepancyReport {
  channelId: string;
  warehouseId: string;
  /** The channel's latest read of its quantities; null when never read. */
  readAt: string | null;
  /** True when never read or the latest read is older than the limit. */
  stale: boolean;
  staleAfterMinutes: number;
  /** Products whose warehouse level differs from the channel's sellable quantity (matching ones are not listed). */
  items: StockDiscrepancy[];
  /** Products of this page's range that could not be compared, and why. */
  notCompared: NotCompared[];
  nextCursor: string | null;
}

export interface ApplyCorrectionsInput {
  productIds: string[];
  /** Apply even when the channel's quantities of the selected products are stale. */
  allowStale?: boolean;
}

export interface StockCorrection extends StockDiscrepancy {
  /** The product's in-stock level in the managed warehouse after the correction (= channelQuantity). */
  warehouseQuantityAfter: number;
}

export interface StockCorrectionResult {
  /** The reconciliation's id: the movements' cause id. */
  reconciliationId: string;
  channelId: string;
  warehouseId: string;
  /** The ledger batch of the movements; null when nothing needed correcting. */
  batchId: string | null;
  corrections: StockCorrection[];
  /** Selected products that already matched the channel when the request ran: nothing written for them. */
  unchanged: { productId: string; quantity: number }[];
  movements: MovementView[];
  levels: LevelView[];
}

/**
 * The reconciliation tool of a channel-managed warehouse (a marketplace's fulfilment network): lists where
 * the mirror warehouse (in stock) differs from what the channel reports as sellable, per product, and applies the corrections a person selects as ledger
 * `correction` movements, all in one transaction. It never corrects anything by itself.
 */
export class ManagedWarehouseReconciliationService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: StockLedgerService,
  ) {}

  /** One page (by product id) of the discrepancy report. */
  async discrepancies(channelId: string, opts: StalenessOptions & { limit?: number; cursor?: string }): Promise<DiscrepancyReport> {
    const limit = pageSize(opts.limit);
    const after = opts.cursor ? decodeCursor<[string]>(opts.cursor, ['string'])[0] : '';
    return this.tx.read(async (em) => {
      const channel = await managedChannel(em, channelId);
      const warehouseId = channel.managedWarehouseId as string;
      const ctx = await this.staleness(em, channelId, opts);
      const items: StockDiscrepancy[] = [];
      const notCompared: NotCompared[] = [];
      let cursor = after;
      let nextCursor: string | null = null;
      scan: for (;;) {
        const productIds = (
          await queryNamed<{ product_id: string }>(
            em,
            `SELECT DISTINCT product_id FROM ${tableRef(em, ListingEntity)} WHERE channel_id = :channelId AND product_id > :cursor ORDER BY product_id LIMIT ${SCAN}`,
            { channelId, cursor },
          )
        ).map((r) => r.product_id);
        if (!productIds.length) break;
        const compared = await this.compare(em, channelId, warehouseId, productIds, ctx, false);
        for (const id of productIds) {
          const c = compared.get(id);
          if (c?.kind === 'discrepancy') {
            // A full page and one more to show: the next page starts after the last product shown.
            if (items.length === limit) {
              nextCursor = encodeCursor([cursor]);
              break scan;
            }
            items.push(toDiscrepancy(c));
          } else if (c?.kind === 'not-compared') {
            const { kind: _k, ...n } = c;
            notCompared.push(n);
          }
          cursor = id;
        }
        if (productIds.length < SCAN) break;
      }
      return {
        channelId,
        warehouseId,
        readAt: ctx.latestReadAt,
        stale: ctx.latestReadAt === null || ctx.now - Date.parse(ctx.latestReadAt) > ctx.staleAfterMs,
        staleAfterMinutes: Math.round(ctx.staleAfterMs / 60_000),
        items,
        notCompared,
        nextCursor,
      };
    });
  }

  /**
   * Applies the corrections of the selected products, all or nothing, in one transaction: each
   * becomes a `correction` movement of (the channel's quantity - the warehouse's in stock) on the managed
   * warehouse, computed inside the transaction from the current level. Refused with nothing written
   * when an id is unknown (404), not a stock product listed on the channel or not read yet (409),
   * or when the selected data is stale and `allowStale` is not set (409). Products that already match
   * are returned as `unchanged` (so repeating a request is harmless).
   */
  async apply(channelId: string, input: ApplyCorrectionsInput, opts: StalenessOptions & { actor?: string }): Promise<StockCorrectionResult> {
    const productIds = checkProductIds(input.productIds);
    const reconciliationId = newId();
    return this.tx.run(async (em) => {
      const channel = await managedChannel(em, channelId);
      const warehouseId = channel.managedWarehouseId as string;
      const ctx = await this.staleness(em, channelId, opts);
      const known = await existingProducts(em, productIds);
      const unknown = productIds.filter((id) => !known.has(id));
      if (unknown.length) throw new NotFoundError(`No product with id ${unknown.map((id) => `"${id}"`).join(', ')}; nothing was corrected.`, { unknown });
      const compared = await this.compare(em, channelId, warehouseId, productIds, ctx, true);

      const refused: { productId: string; reason: string; message: string }[] = [];
      const stale: StockDiscrepancy[] = [];
      const corrections: StockDiscrepancy[] = [];
      const unchanged: { productId: string; quantity: number }[] = [];
      for (const id of productIds) {
        const c = compared.get(id);
        if (!c) refused.push({ productId: id, reason: 'not-listed', message: 'the product has no listing on this channel' });
        else if (c.kind === 'not-compared') refused.push({ productId: id, reason: c.reason, message: c.message });
        else if (c.kind === 'match') unchanged.push({ productId: id, quantity: c.quantity });
        else (c.stale && !input.allowStale ? stale : corrections).push(toDiscrepancy(c));
      }
      if (refused.length) {
        throw new RuleViolationError(
          `reconciliation-refused: ${refused.length} of the selected products cannot be reconciled (${refused
            .slice(0, 10)
            .map((r) => `${r.productId}: ${r.message}`)
            .join('; ')}${refused.length > 10 ? '; ...' : ''}).`,
          'reconciliation-refused',
          { refused },
        ).withRemedy({ action: 'select-listed-discrepancies', params: { channelId, channelType: channel.type } });
      }
      if (stale.length) {
        throw new RuleViolationError(
          `channel-quantities-stale: the channel's quantities of ${stale.length} selected product(s) are stale (read ${stale[0].readAt}, limit ${Math.round(ctx.staleAfterMs / 60_000)} min, or missing from the latest read). ` +
            `Nothing was corrected: pull the channel's quantities again and review the discrepancies, or send allowStale: true to apply these anyway.`,
          'channel-quantities-stale',
          { stale: stale.map((s) => ({ productId: s.productId, readAt: s.readAt })) },
        );
      }
      if (!corrections.length) {
        return { reconciliationId, channelId, warehouseId, batchId: null, corrections: [], unchanged, movements: [], levels: [] };
      }
      // The ledger declares onHand in this transaction: the sync engine is woken after the commit.
      const applied = await this.ledger.apply(
        corrections.map((c) => ({ productId: c.productId, warehouseId, type: 'correction' as const, quantity: c.difference, reason: MANAGED_WAREHOUSE_RECONCILIATION })),
        { em, batch: true, cause: { type: MANAGED_WAREHOUSE_RECONCILIATION, id: reconciliationId, actor: opts.actor ?? null } },
      );
      const after = new Map(applied.levels.map((l) => [l.productId, l.inStock]));
      for (const c of corrections) {
        // Levels were read (and on PostgreSQL locked) in this transaction, so this holds; if a
        // concurrent writer slipped in anyway, roll back rather than book a wrong correction.
        if (after.get(c.productId) !== c.channelQuantity) {
          throw new RuleViolationError(`concurrent-change: the stock of product ${c.productId} changed during the request; nothing was corrected, retry.`, 'concurrent-change');
        }
      }
      return {
        reconciliationId,
        channelId,
        warehouseId,
        batchId: applied.batchId,
        corrections: corrections.map((c) => ({ ...c, warehouseQuantityAfter: c.channelQuantity })),
        unchanged,
        movements: applied.movements,
        levels: applied.levels,
      };
    });
  }

  /** How fresh the channel's reads are (for flags outside the report, e.g. Live Listings). */
  async stalenessOf(channelId: string, opts: StalenessOptions): Promise<StalenessContext> {
    return this.tx.read((em) => this.staleness(em, channelId, opts));
  }

  private async staleness(em: EntityManager, channelId: string, opts: StalenessOptions): Promise<StalenessContext> {
    const row = await em.getRepository(ChannelEntity).findOne({ where: { id: channelId }, select: { id: true, remoteReadAt: true } });
    return { now: opts.now ?? Date.now(), staleAfterMs: opts.staleAfterMs, latestReadAt: row?.remoteReadAt ?? null };
  }

  /** Compares the given products that have listings on the channel (absent ones have none). */
  private async compare(
    em: EntityManager,
    channelId: string,
    warehouseId: string,
    productIds: string[],
    ctx: StalenessContext,
    lock: boolean,
  ): Promise<Map<string, StockComparison>> {
    const listings: ManagedListingQuantity[] = [];
    const products = new Map<string, { kind: string }>();
    const inStock = new Map<string, number>();
    for (const part of chunk(productIds, Math.floor(MAX_SQL_PARAMS / 2))) {
      const rows = await em.getRepository(ListingEntity).find({ where: { channelId, productId: In(part) }, select: { productId: true, sku: true, remoteQuantity: true, remoteReadAt: true } });
      listings.push(...rows.map((r) => ({ productId: r.productId, sku: r.sku, remoteQuantity: r.remoteQuantity, remoteReadAt: listingReadAt(r, ctx.latestReadAt) })));
      for (const p of await em.getRepository(ProductEntity).find({ where: { id: In(part) }, select: { id: true, kind: true } })) products.set(p.id, { kind: p.kind });
      const qb = em
        .createQueryBuilder(StockLevelEntity, 'l')
        .where('l.productId IN (:...p)', { p: [...part].sort() })
        .andWhere('l.warehouseId = :w', { w: warehouseId })
        .orderBy('l.productId', 'ASC');
      // Before a correction: hold the levels so the difference stays true until the commit.
      if (lock && this.tx.engine === 'postgres') qb.setLock('pessimistic_write');
      for (const l of await qb.getMany()) inStock.set(l.productId, Number(l.inStock));
    }
    const byProduct = new Map<string, ManagedListingQuantity[]>();
    for (const l of listings) byProduct.set(l.productId, [...(byProduct.get(l.productId) ?? []), l]);
    const out = new Map<string, StockComparison>();
    for (const [productId, ls] of byProduct) out.set(productId, compareProductStock(productId, ls, products.get(productId), inStock.get(productId) ?? 0, ctx));
    return out;
  }
}

async function managedChannel(em: EntityManager, channelId: string): Promise<ChannelEntity> {
  const row = await em.getRepository(ChannelEntity).findOneBy({ id: channelId });
  if (!row) throw new NotFoundError(`No channel with id "${channelId}".`);
  if (row.fulfilment !== 'channel') {
    throw new RuleViolationError(
      `Channel "${row.name}" is merchant-fulfilled: we send its quantities, so there is nothing to reconcile. The reconciliation tool works on channels that hold the stock in their own network.`,
      'channel-fulfilled-required',
    );
  }
  if (!row.managedWarehouseId) {
    throw new RuleViolationError(
      `Channel "${row.name}" has no managed warehouse to compare the channel's quantities with.`,
      'managed-warehouse-required',
    ).withRemedy({ action: 'set-managed-warehouse', params: { channelId: row.id, channelType: row.type } });
  }
  return row;
}

function checkProductIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_CORRECTIONS_PER_REQUEST) {
    const n = Array.isArray(ids) ? ids.length : 0;
    throw new InvalidInputError([`productIds must have 1 to ${MAX_CORRECTIONS_PER_REQUEST} entries (got ${n}); send larger selections in several requests`]);
  }
  const problems: string[] = [];
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id.length < 1 || id.length > 36) problems.push(`productIds[${i}] must be a product id`);
  });
  if (!problems.length && new Set(ids).size !== ids.length) problems.push('productIds must not repeat a product');
  if (problems.length) throw new InvalidInputError(problems);
  return ids as string[];
}

async function existingProducts(em: EntityManager, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk(ids, MAX_SQL_PARAMS)) {
    for (const p of await em.getRepository(ProductEntity).find({ where: { id: In(part) }, select: { id: true } })) out.add(p.id);
  }
  return out;
}
