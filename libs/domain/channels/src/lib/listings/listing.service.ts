import { checkSku, ProductEntity, skuKey } from '@invsync/domain-catalog';
import {
  DomainError,
  type RowProblem,
  RowsRejectedError,
  decodeCursor,
  encodeCursor,
  InvalidInputError,
  isUniqueViolation,
  newId,
  NotFoundError,
  nowIso,
  type Page,
  pageSize,
  RuleViolationError,
  startsWith,
  type TransactionRunner,
} from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { ChannelEntity } from '../persistence/channel.entity';
import { ListingEntity, type ListingStatus } from '../persistence/listing.entity';
import type { Fulfilment } from '../persistence/channel.entity';
import { checkRules, effectiveRules, type QuantityRules, RULE_KEYS } from '../rules/quantity-rules';
import { ClaimStore } from '../listing-state/claim-store';
import { toChannelView } from '../channels/channel-view';
import { listingReadAt } from '../listing-state/remote-read';
import { findSharedQuantityConflicts } from './eu-conflicts';
import { displayStatus, type ListingView, liveStatusAlternatives, toListingView } from './listing-views';
import { type ListingRowInput, resolveListingRows } from './listing-rows';
import { rareStatusInSkuOrder } from './rare-status-sku-order';

export interface ConnectListingInput extends QuantityRules {
  sku: string;
  productId: string;
  syncEnabled?: boolean;
}

export interface UpdateListingInput extends QuantityRules {
  sku?: string;
  syncEnabled?: boolean;
}

export interface LiveListingItem {
  listingId: string;
  sku: string;
  marketplaceId: string;
  productId: string;
  /** Who fulfils the listing's orders: the merchant (we send its quantity) or the channel (it reports its stock). */
  fulfilment: Fulfilment;
  quantity: number | null;
  status: ListingStatus;
  lastSentAt: string | null;
  lastError: string | null;
  /** Merchant-fulfilled: the quantity last computed from on hand; channel-fulfilled: the channel's detail quantities. */
  computedQuantity?: number | null;
  reserved?: number | null;
  inbound?: number | null;
  unfulfillable?: number | null;
  readAt?: string | null;
  /** Merchant-fulfilled: units held back at the last accepted send (the channel sold them; their order was not recorded yet). */
  withheld?: number;
}

function pickRules(input: QuantityRules): QuantityRules {
  const out: QuantityRules = {};
  for (const k of RULE_KEYS) if (input[k] !== undefined) out[k] = input[k];
  return out;
}

/**
 * Listings: connect (with the shared-quantity rule), change overrides, disconnect, and the views
 * (Live Listings). A connection on a channel with sync on is sent right away.
 */
export class ListingService {
  private readonly claims = new ClaimStore();

  constructor(private readonly tx: TransactionRunner) {}

  async connect(channelId: string, input: ConnectListingInput): Promise<ListingView> {
    const sku = checkSku(input.sku);
    const rules = pickRules(input);
    const problems = [...('problems' in sku ? sku.problems : []), ...checkRules(rules)];
    if (problems.length) throw new InvalidInputError(problems);
    const { sku: cleanSku, key } = sku as { sku: string; key: string };
    return this.tx.run(async (em) => {
      const channelRow = await em.getRepository(ChannelEntity).findOneBy({ id: channelId });
      if (!channelRow) throw new NotFoundError(`No channel with id "${channelId}".`);
      const channel = toChannelView(channelRow);
      const product = await em.getRepository(ProductEntity).findOneBy({ id: input.productId });
      if (!product) throw new NotFoundError(`No product with id "${input.productId}".`);
      if (product.kind === 'parent') {
        throw new RuleViolationError(
          `Product "${product.sku}" is a parent: it only groups variants and has no stock. Connect each variant to its own listing.`,
          'parent-not-listable',
        );
      }
      const existing = await em.getRepository(ListingEntity).findOneBy({ channelId, skuKey: key });
      if (existing) {
        throw new RuleViolationError(
          `SKU "${cleanSku}" is already connected on this channel (listing ${existing.id}). Disconnect it first, or change that listing.`,
          'listing-unique',
          { listingId: existing.id },
        );
      }
      if (channel.fulfilment === 'merchant') {
        const conflicts = await findSharedQuantityConflicts(em, [
          {
            channelId,
            channelName: channel.name,
            sku: cleanSku,
            skuKey: key,
            quantityPool: channel.quantityPool,
            productId: product.id,
            warehouseIds: channel.onHandWarehouseIds,
            rules: effectiveRules(channel.rules, rules),
          },
        ]);
        if (conflicts.length) {
          throw new RuleViolationError(conflicts[0].message, 'shared-quantity', { otherListingId: conflicts[0].other.id, otherChannelId: conflicts[0].other.channelId });
        }
      }
      // A listing sharing its quantity with one already on the channel (e.g. one seller's SKU across a
      // region's marketplaces) already shows that quantity: it starts from the mate's state instead of forcing a send.
      const mates = channel.fulfilment === 'merchant' ? await em.getRepository(ListingEntity).findBy({ quantityPool: channel.quantityPool, skuKey: key, fulfilment: 'merchant' }) : [];
      const mate = mates.find((m) => m.acceptedQuantity !== null && (m.status === 'synced' || m.status === 'sent'));
      const now = nowIso();
      const row: ListingEntity = {
        id: newId(),
        channelId,
        sku: cleanSku,
        skuKey: key,
        marketplaceId: channel.marketplaceId,
        quantityPool: channel.quantityPool,
        productId: product.id,
        fulfilment: channel.fulfilment,
        overrides: JSON.stringify(rules),
        syncEnabled: input.syncEnabled ?? true,
        createdAt: now,
        // Connection overwrites the channel's quantity with ours: sent at once, whatever it was.
        ...this.claims.initialState({ merchant: channel.fulfilment === 'merchant', joinsSharedQuantity: mates.length > 0 }),
        computedQuantity: null,
        lastSentQuantity: null,
        lastSentAt: null,
        acceptedQuantity: mate?.acceptedQuantity ?? null,
        acceptedAt: mate?.acceptedAt ?? null,
        soldBasis: mate?.soldBasis ?? null,
        soldBasisAt: mate?.soldBasisAt ?? null,
        withheldQuantity: mate?.withheldQuantity ?? 0,
        withheldSince: mate?.withheldSince ?? null,
        status: mate ? mate.status : 'pending',
        lastError: null,
        attempts: 0,
        nextAttemptAt: null,
        remoteQuantity: null,
        remoteDetails: null,
        remoteReadAt: null,
      };
      try {
        await em.getRepository(ListingEntity).insert(row);
        this.tx.changed('listings');
      } catch (e) {
        if (isUniqueViolation(e)) throw new RuleViolationError(`SKU "${cleanSku}" is already connected on this channel.`, 'listing-unique');
        throw e;
      }
      return toListingView(row, channel);
    });
  }

  /**
   * Connects many channel SKUs to products by SKU, all or nothing (in `em`'s transaction when given),
   * each with the rules of `connect`. Rows already connected as given are left alone; every problem of
   * every row is thrown together as RowsRejectedError.
   */
  async connectMany(inputs: readonly ListingRowInput[], em?: EntityManager): Promise<{ connected: number; unchanged: number }> {
    return this.tx.run(async (m) => {
      const problems: RowProblem[] = [];
      const { rows, unchanged } = await resolveListingRows(m, inputs, problems);
      for (const r of rows) {
        try {
          await this.connect(r.channelId, { sku: r.sku, productId: r.productId });
        } catch (err) {
          // Rule checks throw before writing, so the transaction stays usable for the other rows.
          if (!(err instanceof DomainError)) throw err;
          problems.push({ row: r.row, field: err instanceof RuleViolationError && err.rule === 'parent-not-listable' ? 'productSku' : 'sku', message: err.message });
        }
      }
      if (problems.length) throw new RowsRejectedError(problems.sort((a, b) => a.row - b.row));
      return { connected: rows.length, unchanged };
    }, { em });
  }

  async update(listingId: string, input: UpdateListingInput): Promise<ListingView> {
    const rulesPatch = pickRules(input);
    const problems = checkRules(rulesPatch);
    if (problems.length) throw new InvalidInputError(problems);
    return this.tx.run(async (em) => {
      const row = await this.mustGet(em, listingId);
      if (input.sku !== undefined && checkSkuKey(input.sku) !== row.skuKey) {
        throw new RuleViolationError(
          `A listing's SKU cannot change (marketplaces cannot rename a SKU without relisting and losing its history).`,
          'sku-immutable',
        ).withRemedy({ action: 'relist', params: { listingId: row.id } });
      }
      const channel = toChannelView((await em.getRepository(ChannelEntity).findOneBy({ id: row.channelId }))!);
      const overrides = { ...(JSON.parse(row.overrides) as QuantityRules), ...rulesPatch };
      for (const k of RULE_KEYS) if (overrides[k] === null) delete overrides[k];
      if (row.fulfilment === 'merchant') {
        const conflicts = await findSharedQuantityConflicts(em, [
          {
            id: row.id,
            channelId: row.channelId,
            channelName: channel.name,
            sku: row.sku,
            skuKey: row.skuKey,
            quantityPool: row.quantityPool,
            productId: row.productId,
            warehouseIds: channel.onHandWarehouseIds,
            rules: effectiveRules(channel.rules, overrides),
          },
        ]);
        if (conflicts.length) throw new RuleViolationError(conflicts[0].message, 'shared-quantity', { otherListingId: conflicts[0].other.id });
      }
      const reenabled = input.syncEnabled === true && !row.syncEnabled;
      await em.getRepository(ListingEntity).update({ id: row.id }, { overrides: JSON.stringify(overrides), syncEnabled: input.syncEnabled ?? row.syncEnabled });
      await this.claims.markListings(em, [row.id], nowIso(), { force: reenabled, immediate: reenabled });
      this.tx.changed('listings');
      return toListingView((await this.mustGet(em, row.id))!, channel);
    });
  }

  /** Disconnects: nothing more is sent for it. Listings that shared its quantity are re-evaluated. */
  async disconnect(listingId: string): Promise<void> {
    await this.tx.run(async (em) => {
      const row = await this.mustGet(em, listingId);
      await em.getRepository(ListingEntity).delete({ id: row.id });
      this.tx.changed('listings');
      const mates = await em.getRepository(ListingEntity).findBy({ quantityPool: row.quantityPool, skuKey: row.skuKey });
      if (mates.length) await this.claims.markListings(em, mates.map((m) => m.id), nowIso());
    });
  }

  async get(listingId: string): Promise<ListingView> {
    return this.tx.read(async (em) => {
      const row = await this.mustGet(em, listingId);
      const channel = toChannelView((await em.getRepository(ChannelEntity).findOneBy({ id: row.channelId }))!);
      return toListingView(row, channel);
    });
  }

  async row(listingId: string): Promise<ListingEntity> {
    return this.tx.read((em) => this.mustGet(em, listingId));
  }

  async listByChannel(channelId: string, limit?: number, cursor?: string): Promise<Page<ListingView>> {
    return this.tx.read(async (em) => {
      const channelRow = await em.getRepository(ChannelEntity).findOneBy({ id: channelId });
      if (!channelRow) throw new NotFoundError(`No channel with id "${channelId}".`);
      const channel = toChannelView(channelRow);
      const size = pageSize(limit);
      const qb = em.getRepository(ListingEntity).createQueryBuilder('l').where('l.channel_id = :channelId', { channelId }).orderBy('l.id').take(size + 1);
      if (cursor) qb.andWhere('l.id > :after', { after: decodeCursor(cursor, ['string'])[0] });
      const rows = await qb.getMany();
      const items = rows.slice(0, size).map((r) => toListingView(r, channel));
      return { items, nextCursor: rows.length > size ? encodeCursor([items[items.length - 1].id]) : null };
    });
  }

  /**
   * Live Listings: what the channel shows (merchant-fulfilled: what it was given; channel-fulfilled:
   * the channel's quantities), a page at a time. In id order, or in SKU order with `skuPrefix` (the
   * listings whose SKU starts with it, case-insensitive, as SKUs match). A status filter is answered
   * in SQL for merchant listings (`merchantStatusWhere`); channel-fulfilled ones, whose status
   * depends on when the channel was read, are checked here. Every query is an index range, however
   * many listings the channel has.
   */
  async live(channelId: string, opts: { status?: ListingStatus; skuPrefix?: string; limit?: number; cursor?: string }): Promise<Page<LiveListingItem>> {
    return this.tx.read(async (em) => {
      const channelRow = await em.getRepository(ChannelEntity).findOneBy({ id: channelId });
      if (!channelRow) throw new NotFoundError(`No channel with id "${channelId}".`);
      const channel = toChannelView(channelRow);
      const size = pageSize(opts.limit);
      const bySku = opts.skuPrefix !== undefined && opts.skuPrefix !== '';
      const [column, property] = bySku ? ['l.sku_key', 'l.skuKey'] : ['l.id', 'l.id'];
      const keyOf = (r: ListingEntity) => (bySku ? r.skuKey : r.id);
      // Each alternative is read in key order; their union, in key order, is the listings asked for.
      const wanted = opts.status ? liveStatusAlternatives(opts.status, channel) : ['true'];
      // Ids (UUIDs) order alike everywhere, so alternatives read by id merge here; SKU keys order by
      // the database's collation, so in SKU order they are one query (the prefix range keeps it small).
      const alternatives = bySku ? [wanted.map((w) => `(${w})`).join(' OR ')] : wanted;
      const rare = bySku && opts.status ? await rareStatusInSkuOrder(em, channelId, wanted, skuKey(opts.skuPrefix!)) : undefined;
      const read = (where: string, after: string) => {
        if (rare) {
          // The page's ids come from the status ranges; the outer query only fetches and orders them.
          const page = rare(after, size + 1);
          return em.getRepository(ListingEntity).createQueryBuilder('o').where(`o.${page.where}`, page.params).orderBy('+o.sku_key').getMany();
        }
        const qb = em.getRepository(ListingEntity).createQueryBuilder('l').where('l.channel_id = :channelId', { channelId }).andWhere(`(${where})`).orderBy(property).take(size + 1);
        if (after) qb.andWhere(`${column} > :after`, { after });
        if (bySku) {
          const prefix = startsWith(em, 'l.sku_key', skuKey(opts.skuPrefix!));
          qb.andWhere(prefix.where, prefix.params);
        }
        return qb.getMany();
      };
      const items: { item: LiveListingItem; key: string }[] = [];
      let after = opts.cursor ? (decodeCursor(opts.cursor, ['string'])[0] as string) : '';
      for (let more = true; items.length <= size && more; ) {
        const reads: ListingEntity[][] = [];
        for (const w of alternatives) reads.push(await read(w, after));
        // Up to the first key where an alternative may have more rows, the merged rows are complete.
        const bound = reads.filter((rows) => rows.length === size + 1).map((rows) => keyOf(rows[rows.length - 1])).sort()[0];
        more = bound !== undefined;
        const rows = reads.length === 1 ? reads[0] : reads.flat().filter((r) => bound === undefined || keyOf(r) <= bound);
        if (reads.length > 1) rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        for (const r of rows) {
          after = keyOf(r);
          const item = this.liveItem(r, channel, channelRow.remoteReadAt);
          if (opts.status && item.status !== opts.status) continue;
          items.push({ item, key: after });
          if (items.length > size) break;
        }
      }
      const page = items.slice(0, size);
      return { items: page.map((i) => i.item), nextCursor: items.length > size ? encodeCursor([page[page.length - 1].key]) : null };
    });
  }

  private liveItem(r: ListingEntity, channel: { syncEnabled: boolean }, channelReadAt: string | null): LiveListingItem {
    if (r.fulfilment === 'channel') {
      const readAt = listingReadAt(r, channelReadAt);
      const d = r.remoteDetails ? (JSON.parse(r.remoteDetails) as { reserved?: number; inbound?: number; unfulfillable?: number }) : {};
      return {
        listingId: r.id,
        sku: r.sku,
        marketplaceId: r.marketplaceId,
        productId: r.productId,
        fulfilment: 'channel',
        quantity: r.remoteQuantity,
        status: readAt ? 'synced' : 'pending',
        lastSentAt: null,
        lastError: r.lastError,
        reserved: d.reserved ?? null,
        inbound: d.inbound ?? null,
        unfulfillable: d.unfulfillable ?? null,
        readAt,
      };
    }
    return {
      listingId: r.id,
      sku: r.sku,
      marketplaceId: r.marketplaceId,
      productId: r.productId,
      fulfilment: 'merchant',
      // What the channel was given: the accepted quantity less the units withheld from it.
      quantity: r.acceptedQuantity === null ? null : Math.max(0, r.acceptedQuantity - r.withheldQuantity),
      status: displayStatus(r, channel),
      lastSentAt: r.lastSentAt,
      lastError: r.lastError,
      computedQuantity: r.computedQuantity,
      withheld: r.withheldQuantity,
    };
  }

  private async mustGet(em: EntityManager, id: string): Promise<ListingEntity> {
    const row = await em.getRepository(ListingEntity).findOneBy({ id });
    if (!row) throw new NotFoundError(`No listing with id "${id}".`);
    return row;
  }
}

function checkSkuKey(sku: string): string {
  const r = checkSku(sku);
  return 'key' in r ? r.key : `\u0000invalid:${sku}`;
}
