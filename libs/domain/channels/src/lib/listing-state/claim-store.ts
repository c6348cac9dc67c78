import { chunk, MAX_SQL_PARAMS, queryNamed, tableRef } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { ListingEntity } from '../persistence/listing.entity';
import { CLAIM, FORCED_AFTER_ABANDON, MARK_FORCED, RELEASED, SETTLED } from './listing-state-sql';

const EPOCH = '1970-01-01T00:00:00.000Z';

export interface MarkOptions {
  /** Send even if the quantity equals what the channel last accepted. */
  force?: boolean;
  /** Skip the coalescing window and any retry backoff. */
  immediate?: boolean;
}

/** The dispatch columns a new listing starts with. */
export type InitialListingState = Pick<
  ListingEntity,
  'dirty' | 'dirtySince' | 'forceSend' | 'forceSeq' | 'changeSeq' | 'laneSeq' | 'leadAt' | 'inflightToken' | 'inflightSeq' | 'inflightUntil' | 'inflightQuantity' | 'receipt'
>;

/**
 * Which dirty listings a claim takes (docs/reliability.md, "Priority lanes"):
 * - `due`: those whose coalescing window has passed (dirty since at most `cutoff`);
 * - `lead`: the leading edge, whatever their window: those without a leading send since `cutoff` (at
 *   most one leading send per listing per window, so a burst costs at most two sends: the leading one
 *   and the window's) and not yet looked at by this lane at their current change. The planner sends those whose quantity goes down and
 *   defers the others (`Settlement.defer`) to the window.
 */
export type ClaimLane = 'due' | 'lead';

export interface ClaimRequest {
  token: string;
  now: string;
  /** `due`: dirty since at most this (the window has passed); `lead`: no leading send since this. */
  cutoff: string;
  /** Default `due`. */
  lane?: ClaimLane;
  /** The claim's lease. */
  until: string;
  limit: number;
  /** Lock the rows claimed (PostgreSQL, where several dispatchers share a database). */
  lock: boolean;
}

/** The end of a claim that needs no send (unchanged, disabled, conflict). */
export interface Settlement {
  ids: string[];
  status?: 'disabled' | 'conflict';
  error?: string | null;
  computed?: number;
  /** The group's channel quantity is already this (shown by another member). */
  accepted?: { quantity: number; status: 'synced' | 'sent' };
  /**
   * Leading-edge lane only: nothing to send at once (the quantity does not go down). The claim ends,
   * the listing stays dirty for its window, and this lane skips it until its next change.
   */
  defer?: true;
}

/** What a send's answer does to the listings of one update (see the delivery confirmer). */
/**
 * Units the channel sold and the host had not recorded, withheld from a send, and the basis the next
 * send compares the channel's quantity with (the quantity given plus those units, as of `asOf`).
 */
export interface UnrecordedSales {
  withheld: number;
  basis: number;
  asOf: string;
}

export type SendOutcome =
  | { kind: 'synced'; quantity: number; sold?: UnrecordedSales }
  | { kind: 'accepted'; quantity: number; receipt: string | null; holdUntil: string | null; sold?: UnrecordedSales }
  | { kind: 'rejected'; quantity: number; message: string }
  | { kind: 'retry'; quantity: number; message: string; nextAttemptAt: string };

/** A delivery a confirmation answers for: the receipt, acceptance time and hold it was recorded with. */
export interface DeliveryKey {
  ids: string[];
  receipt: string;
  acceptedAt: string | null;
  /** The hold's token when the delivery holds its listings, else null. */
  heldBy: string | null;
}

/** The listing columns a confirmation round reads. */
export type PendingDelivery = Pick<
  ListingEntity,
  'id' | 'channelId' | 'receipt' | 'acceptedAt' | 'acceptedQuantity' | 'inflightToken' | 'inflightUntil' | 'quantityPool' | 'skuKey'
>;

/**
 * The listing state machine's store: the only code writing its dirty marks, claims, forces and
 * holds. Every method runs in the caller's transaction, so a mark commits with the change that
 * caused it. `change_seq` versions the desired value; `dirty_since` starts the coalescing window
 * only when a listing goes from clean to dirty; a claim (`inflight_*`) is versioned and leased, so a
 * slow send of an older value never overwrites a newer one.
 */
export class ClaimStore {
  /** A new listing: a merchant one is sent at once, forced unless it joins a quantity already shown. */
  initialState(opts: { merchant: boolean; joinsSharedQuantity: boolean }): InitialListingState {
    const forced = opts.merchant && !opts.joinsSharedQuantity;
    return {
      dirty: opts.merchant,
      dirtySince: opts.merchant ? EPOCH : null,
      forceSend: forced,
      forceSeq: forced ? 1 : null,
      changeSeq: 1,
      laneSeq: null,
      leadAt: null,
      inflightToken: null,
      inflightSeq: null,
      inflightUntil: null,
      inflightQuantity: null,
      receipt: null,
    };
  }

  /** Every merchant-fulfilled listing of these products (the stock change signal). */
  async markProducts(em: EntityManager, productIds: string[], now: string): Promise<void> {
    const t = tableRef(em, ListingEntity);
    for (const ids of chunk([...new Set(productIds)], MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET ${markClause({})} WHERE product_id IN (:...ids) AND fulfilment = 'merchant'`, { ids, now, epoch: EPOCH });
    }
  }

  /** Every merchant-fulfilled listing of a channel (settings changed, sync re-activated, nightly). */
  async markChannel(em: EntityManager, channelId: string, now: string, opts: MarkOptions = {}): Promise<void> {
    const t = tableRef(em, ListingEntity);
    // The whole channel starts one window together: a listing still dirty from its connection (sent
    // at once, `dirty_since` at the epoch) would otherwise leave in a batch of its own ahead of the
    // rest, and a bulk change split in two can fall below a channel's bulk threshold on one side.
    await queryNamed(em, `UPDATE ${t} SET ${markClause({ ...opts, together: true })} WHERE channel_id = :channelId AND fulfilment = 'merchant'`, { channelId, now, epoch: EPOCH });
  }

  /** Specific listings (connection, override change, nightly differences). */
  async markListings(em: EntityManager, listingIds: string[], now: string, opts: MarkOptions = {}): Promise<void> {
    const t = tableRef(em, ListingEntity);
    for (const ids of chunk([...new Set(listingIds)], MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET ${markClause(opts)} WHERE id IN (:...ids) AND fulfilment = 'merchant'`, { ids, now, epoch: EPOCH });
    }
  }

  /**
   * Releases every claim (not the holds awaiting a confirmation), each forced: for the only
   * dispatcher on its database, claims found at start were left by a crashed run.
   */
  async releaseAbandoned(em: EntityManager): Promise<void> {
    await queryNamed(em, `UPDATE ${tableRef(em, ListingEntity)} SET ${RELEASED}, ${FORCED_AFTER_ABANDON} WHERE inflight_token IS NOT NULL AND inflight_quantity IS NULL`, {});
  }

  /**
   * Claims dirty listings whose window and backoff have passed, with every listing sharing their
   * channel quantity (sent or refused together); a group with a member claimed elsewhere waits.
   * Returns the claimed rows as claimed (a lapsed claim taken over is forced).
   */
  async claim(em: EntityManager, req: ClaimRequest): Promise<ListingEntity[]> {
    const t = tableRef(em, ListingEntity);
    const lane = req.lane === 'lead' ? '(lane_seq IS NULL OR lane_seq < change_seq) AND (lead_at IS NULL OR lead_at <= :cutoff)' : 'dirty_since <= :cutoff';
    const seeds = await queryNamed<{ quantity_pool: string; sku_key: string }>(
      em,
      `SELECT quantity_pool, sku_key FROM ${t}
        WHERE dirty = true AND fulfilment = 'merchant' AND ${lane}
          AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
          AND (inflight_until IS NULL OR inflight_until < :now)
        ORDER BY dirty_since${req.lane === 'lead' ? ' DESC' : ''} LIMIT :limit${req.lock ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      { cutoff: req.cutoff, now: req.now, limit: req.limit },
    );
    if (!seeds.length) return [];
    const pools = [...new Set(seeds.map((s) => s.quantity_pool))];
    const keys = new Set(seeds.map((s) => `${s.quantity_pool}\u0000${s.sku_key}`));
    const skuKeys = [...new Set(seeds.map((s) => s.sku_key))];
    const rows: ListingEntity[] = [];
    for (const skuChunk of chunk(skuKeys, MAX_SQL_PARAMS - pools.length - 10)) {
      const qb = em
        .getRepository(ListingEntity)
        .createQueryBuilder('l')
        .where('l.fulfilment = :f', { f: 'merchant' })
        .andWhere('l.quantity_pool IN (:...pools)', { pools })
        .andWhere('l.sku_key IN (:...skus)', { skus: skuChunk })
        .orderBy('l.id');
      // Waits for (rather than skips) a mate being claimed elsewhere, then sees its claim below.
      if (req.lock) qb.setLock('pessimistic_write');
      const found = await qb.getMany();
      rows.push(...found.filter((r) => keys.has(`${r.quantityPool}\u0000${r.skuKey}`)));
    }
    const busy = new Set(rows.filter((r) => r.inflightUntil && r.inflightUntil >= req.now).map((r) => `${r.quantityPool}\u0000${r.skuKey}`));
    const mine = rows.filter((r) => !busy.has(`${r.quantityPool}\u0000${r.skuKey}`));
    if (!mine.length) return [];
    // Claims that lapsed (holds awaiting a confirmation have their own timeout).
    const abandoned = mine.filter((r) => r.inflightToken !== null && r.inflightQuantity === null);
    for (const ids of chunk(abandoned.map((r) => r.id), MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET ${FORCED_AFTER_ABANDON} WHERE id IN (:...ids)`, { ids });
    }
    for (const r of abandoned) Object.assign(r, { forceSend: true, forceSeq: r.changeSeq, soldBasis: null, soldBasisAt: null, withheldQuantity: 0, withheldSince: null });
    for (const ids of chunk(mine.map((r) => r.id), MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET ${CLAIM} WHERE id IN (:...ids)`, { token: req.token, until: req.until, ids });
    }
    return mine;
  }

  /** Notes a leading send of these claimed listings (the lead lane sends them now). */
  async markLeading(em: EntityManager, token: string, listingIds: string[], now: string): Promise<void> {
    const t = tableRef(em, ListingEntity);
    for (const ids of chunk(listingIds, MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET lead_at = :now WHERE id IN (:...ids) AND inflight_token = :token`, { ids, token, now });
    }
  }

  /** Ends the claim on listings that need no send, where the claim is still `token`'s. */
  async settle(em: EntityManager, token: string, settlements: Settlement[], now: string): Promise<void> {
    const t = tableRef(em, ListingEntity);
    for (const f of settlements) {
      for (const ids of chunk(f.ids, MAX_SQL_PARAMS - 20)) {
        if (f.defer) {
          // Still dirty, still forced if it was: only the claim ends, and the lead lane's look is noted.
          await queryNamed(em, `UPDATE ${t} SET lane_seq = inflight_seq, ${RELEASED} WHERE id IN (:...ids) AND inflight_token = :token`, { ids, token });
          continue;
        }
        await queryNamed(
          em,
          `UPDATE ${t} SET
             ${SETTLED},
             ${f.status ? 'status = :status, last_error = :error,' : ''}
             ${f.computed !== undefined ? 'computed_quantity = :computed,' : ''}
             ${f.accepted ? "accepted_quantity = :acceptedQ, accepted_at = COALESCE(accepted_at, :now), status = CASE WHEN status IN ('synced', 'sent') THEN status ELSE :acceptedStatus END, last_error = NULL," : ''}
             ${RELEASED}
           WHERE id IN (:...ids) AND inflight_token = :token`,
          {
            ids,
            token,
            status: f.status ?? null,
            error: f.error ?? null,
            computed: f.computed ?? null,
            acceptedQ: f.accepted?.quantity ?? null,
            acceptedStatus: f.accepted?.status ?? null,
            now,
          },
        );
      }
    }
  }

  /**
   * Extends `token`'s claims, never shortening one: a listing held for its confirmation keeps its
   * longer hold. (Matching only rows without a receipt missed claimed listings still carrying the
   * previous send's receipt: their claim lapsed during a slow send and another instance sent a newer
   * value, which the slow send then overwrote.)
   */
  async renew(em: EntityManager, token: string, until: string): Promise<void> {
    await queryNamed(em, `UPDATE ${tableRef(em, ListingEntity)} SET inflight_until = :until WHERE inflight_token = :token AND inflight_until < :until`, { until, token });
  }

  /** Releases `token`'s claims on these listings (not sent: a shutdown stopped the pass). */
  async release(em: EntityManager, token: string, listingIds: string[]): Promise<void> {
    const t = tableRef(em, ListingEntity);
    for (const ids of chunk(listingIds, MAX_SQL_PARAMS - 10)) {
      await queryNamed(em, `UPDATE ${t} SET ${RELEASED} WHERE id IN (:...ids) AND inflight_token = :token`, { ids, token });
    }
  }

  /** Records a send's outcome on the listings of one update, only where the claim is still `token`'s. */
  async recordSend(em: EntityManager, token: string, ids: string[], outcome: SendOutcome, now: string): Promise<void> {
    const t = tableRef(em, ListingEntity);
    const base = { ids, token, q: outcome.quantity, now };
    const sent = 'computed_quantity = :q, last_sent_quantity = :q, last_sent_at = :now';
    // A rejected or failed send changed nothing on the channel: the basis stays.
    const sold = 'sold' in outcome && outcome.sold ? outcome.sold : { withheld: 0, basis: outcome.quantity, asOf: now };
    const soldParams = { w: sold.withheld, basis: sold.basis, asOf: sold.asOf };
    const soldSet = `sold_basis = :basis, sold_basis_at = :asOf, withheld_quantity = :w,
           withheld_since = ${sold.withheld > 0 ? 'COALESCE(withheld_since, :now)' : 'NULL'}`;
    const mine = 'WHERE id IN (:...ids) AND inflight_token = :token';
    if (outcome.kind === 'synced') {
      await queryNamed(
        em,
        `UPDATE ${t} SET ${SETTLED}, ${sent}, accepted_quantity = :q, accepted_at = :now, status = 'synced', last_error = NULL,
           attempts = 0, next_attempt_at = NULL, receipt = NULL, ${soldSet}, ${RELEASED} ${mine}`,
        { ...base, ...soldParams },
      );
    } else if (outcome.kind === 'accepted') {
      // Held: nothing newer is sent until this is confirmed. Otherwise the listing is free.
      await queryNamed(
        em,
        `UPDATE ${t} SET ${SETTLED}, ${sent}, accepted_quantity = :q, accepted_at = :now, status = 'sent', last_error = NULL,
           attempts = 0, next_attempt_at = NULL, ${soldSet},
           receipt = :receipt, ${outcome.holdUntil ? 'inflight_until = :until, inflight_quantity = :q' : RELEASED} ${mine}`,
        { ...base, ...soldParams, receipt: outcome.receipt, until: outcome.holdUntil },
      );
    } else if (outcome.kind === 'rejected') {
      await queryNamed(
        em,
        `UPDATE ${t} SET ${SETTLED}, ${sent}, status = 'error', last_error = :message, attempts = attempts + 1, next_attempt_at = NULL,
           receipt = NULL, ${RELEASED} ${mine}`,
        { ...base, message: outcome.message },
      );
    } else {
      await queryNamed(
        em,
        `UPDATE ${t} SET dirty = true, ${sent}, status = 'error', last_error = :message, attempts = attempts + 1,
           next_attempt_at = :next, receipt = NULL, ${RELEASED} ${mine}`,
        { ...base, message: outcome.message, next: outcome.nextAttemptAt },
      );
    }
  }

  /**
   * A page (by id) of accepted deliveries carrying a receipt, through the partial index on listings
   * with a receipt: a round costs what is pending, not the size of the listing table. Only the
   * columns used: hydrating whole rows took the host's CPU away from requests.
   */
  async pendingDeliveries(em: EntityManager, after: string, limit: number): Promise<PendingDelivery[]> {
    return em
      .getRepository(ListingEntity)
      .createQueryBuilder('l')
      .select(['l.id', 'l.channelId', 'l.receipt', 'l.acceptedAt', 'l.acceptedQuantity', 'l.inflightToken', 'l.inflightUntil', 'l.quantityPool', 'l.skuKey'])
      .where('l.receipt IS NOT NULL')
      .andWhere('l.id > :after', { after })
      // Not a listing a pass has claimed to send a newer value (it may still carry the older receipt).
      .andWhere('(l.inflight_token IS NULL OR l.inflight_quantity IS NOT NULL)')
      .orderBy('l.id')
      .limit(limit)
      .getMany();
  }

  /** A delivery not confirmed in time: forced to be sent again (its hold, if any, released). */
  async expireDelivery(em: EntityManager, d: PendingDelivery, now: string): Promise<void> {
    await queryNamed(
      em,
      `UPDATE ${tableRef(em, ListingEntity)} SET dirty = true, dirty_since = :now, ${MARK_FORCED}, last_error = 'no confirmation from the channel in time: sending again',
         receipt = NULL${d.inflightToken ? `, ${RELEASED}` : ''}
       WHERE id = :id AND receipt = :receipt AND ${d.inflightToken ? 'inflight_token = :token' : 'inflight_token IS NULL'}`,
      { id: d.id, now, receipt: d.receipt, token: d.inflightToken },
    );
  }

  /**
   * The channel shows the delivery: synced, with the listings that joined this shared quantity
   * without a send of their own.
   */
  async confirmDelivery(em: EntityManager, key: DeliveryKey, shared: { pool: string; sku: string; quantity: number | null }): Promise<void> {
    const t = tableRef(em, ListingEntity);
    const { where, params, release } = deliveryMatch(key);
    await queryNamed(em, `UPDATE ${t} SET status = 'synced', last_error = NULL, receipt = NULL${release} WHERE ${where}`, params);
    await queryNamed(
      em,
      `UPDATE ${t} SET status = 'synced' WHERE quantity_pool = :pool AND sku_key = :sku AND status = 'sent' AND receipt IS NULL AND accepted_quantity = :q`,
      { pool: shared.pool, sku: shared.sku, q: shared.quantity },
    );
  }

  /**
   * The channel refused or lost the delivery: what we believed accepted is not. A retry is sent
   * again; a refusal waits for the next change or the nightly run.
   */
  async failDelivery(em: EntityManager, key: DeliveryKey, failure: { retry: boolean; message: string }): Promise<void> {
    const { where, params, release } = deliveryMatch(key);
    await queryNamed(
      em,
      // What the channel shows is no longer known: the next send withholds nothing (docs/reliability.md).
      `UPDATE ${tableRef(em, ListingEntity)} SET status = 'error', last_error = :message, accepted_quantity = NULL,
         sold_basis = NULL, sold_basis_at = NULL, withheld_quantity = 0, withheld_since = NULL,
         dirty = ${failure.retry ? 'true' : 'dirty'}, receipt = NULL${release}
       WHERE ${where}`,
      { ...params, message: failure.message },
    );
  }
}

function markClause(opts: MarkOptions & { together?: boolean }): string {
  return `dirty = true,
    dirty_since = ${opts.immediate ? ':epoch' : opts.together ? ':now' : 'CASE WHEN dirty = true AND dirty_since IS NOT NULL THEN dirty_since ELSE :now END'},
    change_seq = change_seq + 1,
    ${opts.force ? 'force_send = true, force_seq = change_seq + 1,' : ''}
    next_attempt_at = ${opts.immediate ? 'NULL' : 'next_attempt_at'}`;
}

/** Only the delivery an answer is about: a newer send has another receipt or acceptance time. */
function deliveryMatch(key: DeliveryKey) {
  const held = !!key.heldBy;
  return {
    where: `id IN (:...ids) AND receipt = :receipt AND accepted_at = :acceptedAt AND ${held ? 'inflight_token = :token' : 'inflight_token IS NULL'}`,
    params: { ids: key.ids, receipt: key.receipt, acceptedAt: key.acceptedAt, token: key.heldBy },
    release: held ? `, ${RELEASED}` : '',
  };
}
