import { jitteredBackoffMs, type QuantityResult, type QuantityUpdate } from '@invsync/plugin-api';
import { chunk, MAX_SQL_PARAMS, newId, queryNamed, tableRef, type TransactionRunner } from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import { ChannelEntity } from '@invsync/domain-channels';
import { ListingEntity } from '@invsync/domain-channels';
import { desiredQuantity, type QuantityRules } from '@invsync/domain-channels';
import { ChangeTracker } from '@invsync/domain-channels';
import { type ChannelView, quantitySignature, toChannelView } from '@invsync/domain-channels';
import type { ChangeSource, ChannelGateway, OnHandSource } from './ports';

/**
 * A force ends with the claim that covered it: the change it was requested at (`force_seq`) is at
 * most the claimed one. A change arriving during the send (`change_seq` moved on) keeps the listing
 * dirty, but it is sent again only if its quantity differs from what the channel accepted.
 */
const FORCE_DONE = 'CASE WHEN change_seq = inflight_seq OR force_seq <= inflight_seq THEN false ELSE force_send END';

/** A claim answered for: clean unless a change arrived during it, and the force ended (above). */
const SETTLED = `dirty = CASE WHEN change_seq = inflight_seq THEN false ELSE true END, force_send = ${FORCE_DONE}`;

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Ends a claim or a hold. */
const RELEASED = 'inflight_token = NULL, inflight_seq = NULL, inflight_until = NULL, inflight_quantity = NULL';

/**
 * A claim abandoned by its sender (the instance died or stalled past its lease mid-send) may have
 * reached the channel without being recorded: the channel may show a quantity the database never
 * accepted, so the next send goes even if it equals the last accepted one, and ends the force.
 */
const FORCED_AFTER_ABANDON = 'force_send = true, force_seq = change_seq';

export interface DispatcherOptions {
  /** Coalescing window: a dirty listing waits this long for more changes before it is sent. */
  windowMs: number;
  /** Most listings claimed per pass. */
  maxListingsPerPass: number;
  /** How long a claim protects a listing being sent; an instance that dies loses its claims after this. */
  leaseMs: number;
  /** How long an accepted delivery waits for its confirmation before it is sent again. */
  confirmTimeoutMs: number;
  /** Listings read per page of a confirmation round. */
  confirmPageSize: number;
  retryBaseMs: number;
  retryCapMs: number;
  now?: () => Date;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  windowMs: 1000,
  maxListingsPerPass: 25_000,
  leaseMs: 60_000,
  confirmTimeoutMs: 6 * 3600_000,
  confirmPageSize: 5000,
  retryBaseMs: 2000,
  retryCapMs: 15 * 60_000,
};

export interface PassSummary {
  changesConsumed: number;
  claimed: number;
  sent: number;
  unchanged: number;
  disabled: number;
  conflicts: number;
  results: Record<string, number>;
}

interface Claimed {
  row: ListingEntity;
  channel: ChannelView;
  rules: QuantityRules;
  quantity: number;
}

interface Finished {
  ids: string[];
  status?: 'disabled' | 'conflict';
  error?: string | null;
  computed?: number;
  /** The group's channel quantity is already this (shown by another member). */
  accepted?: { quantity: number; status: 'synced' | 'sent' };
}

interface Group {
  key: string;
  members: Claimed[];
  quantity: number;
  force: boolean;
  sender: ChannelView;
  update?: QuantityUpdate;
}

/**
 * The level-triggered dispatcher. Each pass: turn stock change signals into dirty marks; claim dirty
 * listings whose window has passed; recompute their quantities from current state (set-based);
 * drop those equal to what the channel last accepted; group listings sharing one channel quantity
 * (Amazon EU: seller + SKU) into one update, refusing groups whose quantities could differ; hand
 * batches to the channel; record a result per listing, only if the claim is still ours.
 */
export class SyncDispatcher {
  private readonly tracker = new ChangeTracker();
  private readonly opts: DispatcherOptions;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly onHand: OnHandSource,
    private readonly changes: ChangeSource,
    private readonly gateway: ChannelGateway,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.opts = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /**
   * Releases every claim (not the holds awaiting a confirmation): for a host that is the only
   * dispatcher on its database (SQLite), claims found at start are left by a crashed run, whose
   * sends may have reached the channel, so each is sent again (FORCED_AFTER_ABANDON).
   */
  async releaseAbandonedClaims(): Promise<void> {
    await this.tx.run(async (em) => {
      await queryNamed(em, `UPDATE ${tableRef(em, ListingEntity)} SET ${RELEASED}, ${FORCED_AFTER_ABANDON} WHERE inflight_token IS NOT NULL AND inflight_quantity IS NULL`, {});
    });
  }

  /** Turns pending stock change signals into dirty marks (each batch in the transaction that consumes it). */
  async consumeChanges(maxRows = 100_000): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows: n } = await this.changes.consume(10_000, (ids, em) => this.tracker.markProducts(em, ids, this.now().toISOString()));
      total += n;
      if (n < 10_000 || total >= maxRows) return total;
    }
  }

  /** One full pass; returns what it did. */
  async pass(signal: AbortSignal = new AbortController().signal): Promise<PassSummary> {
    const summary: PassSummary = { changesConsumed: 0, claimed: 0, sent: 0, unchanged: 0, disabled: 0, conflicts: 0, results: {} };
    summary.changesConsumed = await this.consumeChanges();
    const token = newId();
    const claimed = await this.claim(token);
    summary.claimed = claimed.length;
    if (!claimed.length) return summary;

    const groups = this.group(claimed);
    const toSend: Group[] = [];
    const finish: Finished[] = [];
    for (const g of groups) {
      const active = g.members.filter((m) => m.channel.syncEnabled && m.row.syncEnabled);
      const inactive = g.members.filter((m) => !(m.channel.syncEnabled && m.row.syncEnabled));
      if (inactive.length) {
        finish.push({ ids: inactive.map((m) => m.row.id), status: 'disabled', error: null });
        summary.disabled += inactive.length;
      }
      if (!active.length) continue;
      const signatures = new Set(active.map((m) => quantitySignature(m.row.productId, m.channel.onHandWarehouseIds, m.rules)));
      if (signatures.size > 1) {
        const names = active.map((m) => `${m.channel.name}/${m.row.sku} (listing ${m.row.id})`).join(', ');
        finish.push({
          ids: active.map((m) => m.row.id),
          status: 'conflict',
          error: `These listings share one quantity on the channel (same account and SKU) but their quantities could differ: ${names}. Connect them to the same product with the same warehouses and rules, or use different SKUs.`,
        });
        summary.conflicts += active.length;
        continue;
      }
      const quantity = active[0].quantity;
      const force = active.some((m) => m.row.forceSend);
      // One channel quantity per group: if any member's last accepted value is the quantity, the
      // channel already shows it for all of them (a listing joining a shared quantity sends nothing).
      const holder = force ? undefined : active.find((m) => m.row.acceptedQuantity === quantity && (m.row.status === 'synced' || m.row.status === 'sent'));
      if (holder) {
        finish.push({ ids: active.map((m) => m.row.id), computed: quantity, accepted: { quantity, status: holder.row.status as 'synced' | 'sent' } });
        summary.unchanged += active.length;
        continue;
      }
      const sender = active.find((m) => m.row.dirty)?.channel ?? active[0].channel;
      const marketplaceIds = [...new Set(active.map((m) => m.row.marketplaceId))].sort();
      toSend.push({
        ...g,
        members: active,
        quantity,
        force,
        sender,
        update: { updateId: active[0].row.id, sku: active[0].row.sku, marketplaceIds, quantity },
      });
    }

    await this.finishClaims(token, finish);
    // Claimed listings not yet answered for: released at the end if a shutdown stops their send.
    const outstanding = new Set(toSend.flatMap((g) => g.members.map((m) => m.row.id)));

    const byChannel = new Map<string, Group[]>();
    for (const g of toSend) pushTo(byChannel, g.sender.id, g);
    // The claim is renewed while sends are in flight, so a long send keeps it and a dead
    // instance's claims expire one lease after it stopped renewing them.
    const renew = setInterval(() => void this.renew(token).catch(() => undefined), Math.max(250, Math.floor(this.opts.leaseMs / 3)));
    renew.unref?.();
    // Channels are independent: a slow channel (a feed taking minutes) does not hold up the others.
    try {
      await Promise.all(
        [...byChannel].map(async ([channelId, list]) => {
          const size = Math.max(1, await this.gateway.maxBatchSize(channelId).catch(() => 1000));
          const canConfirm = await this.gateway.canConfirm(channelId).catch(() => false);
          for (const batch of chunk(list, size)) {
            if (signal.aborted) break;
            const results = await this.send(channelId, batch, signal);
            summary.sent += batch.length;
            for (const r of results.values()) summary.results[r.status] = (summary.results[r.status] ?? 0) + 1;
            await this.record(token, batch, results, canConfirm);
            for (const g of batch) for (const m of g.members) outstanding.delete(m.row.id);
          }
        }),
      );
    } finally {
      clearInterval(renew);
    }
    // Claims of groups not sent (shutdown) are released so the next pass takes them.
    await this.releaseRemaining(token, [...outstanding]);
    return summary;
  }

  private async send(channelId: string, batch: Group[], signal: AbortSignal): Promise<Map<string, QuantityResult>> {
    const out = new Map<string, QuantityResult>();
    let results: QuantityResult[] = [];
    try {
      results = await this.gateway.send(channelId, batch.map((g) => g.update!), signal);
    } catch (e) {
      const message = `sending failed: ${(e as Error)?.message ?? String(e)}`;
      for (const g of batch) out.set(g.update!.updateId, { updateId: g.update!.updateId, status: 'retry', message });
      return out;
    }
    for (const r of results) out.set(r.updateId, r);
    for (const g of batch) {
      if (!out.has(g.update!.updateId)) out.set(g.update!.updateId, { updateId: g.update!.updateId, status: 'retry', message: 'the channel returned no result for this update' });
    }
    return out;
  }

  /** Claims dirty listings (and the listings sharing their channel quantity) and computes their quantities. */
  private async claim(token: string): Promise<Claimed[]> {
    const now = this.now();
    const nowIso = now.toISOString();
    const cutoff = new Date(now.getTime() - this.opts.windowMs).toISOString();
    const until = new Date(now.getTime() + this.opts.leaseMs).toISOString();
    return this.tx.run(async (em) => {
      const t = tableRef(em, ListingEntity);
      const lock = this.tx.engine === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
      const seeds = await queryNamed<{ quantity_pool: string; sku_key: string }>(
        em,
        `SELECT quantity_pool, sku_key FROM ${t}
          WHERE dirty = true AND fulfilment = 'merchant' AND dirty_since <= :cutoff
            AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
            AND (inflight_until IS NULL OR inflight_until < :now)
          ORDER BY dirty_since LIMIT :limit${lock}`,
        { cutoff, now: nowIso, limit: this.opts.maxListingsPerPass },
      );
      if (!seeds.length) return [];
      // Listings sharing a channel quantity are sent (or refused) together.
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
        if (this.tx.engine === 'postgres') qb.setLock('pessimistic_write');
        const found = await qb.getMany();
        rows.push(...found.filter((r) => keys.has(`${r.quantityPool}\u0000${r.skuKey}`)));
      }
      // A group with a member claimed by someone else waits for the next pass.
      const busy = new Set(rows.filter((r) => r.inflightUntil && r.inflightUntil >= nowIso).map((r) => `${r.quantityPool}\u0000${r.skuKey}`));
      const mine = rows.filter((r) => !busy.has(`${r.quantityPool}\u0000${r.skuKey}`));
      if (!mine.length) return [];
      // Claims that lapsed (holds awaiting a confirmation have their own timeout).
      const abandoned = mine.filter((r) => r.inflightToken !== null && r.inflightQuantity === null);
      for (const ids of chunk(abandoned.map((r) => r.id), MAX_SQL_PARAMS - 10)) {
        await queryNamed(em, `UPDATE ${t} SET ${FORCED_AFTER_ABANDON} WHERE id IN (:...ids)`, { ids });
      }
      for (const r of abandoned) Object.assign(r, { forceSend: true, forceSeq: r.changeSeq });
      for (const ids of chunk(mine.map((r) => r.id), MAX_SQL_PARAMS - 10)) {
        await queryNamed(em, `UPDATE ${t} SET inflight_token = :token, inflight_seq = change_seq, inflight_until = :until, inflight_quantity = NULL WHERE id IN (:...ids)`, {
          token,
          until,
          ids,
        });
      }
      return this.compute(em, mine);
    });
  }

  private async compute(em: EntityManager, rows: ListingEntity[]): Promise<Claimed[]> {
    const channelIds = [...new Set(rows.map((r) => r.channelId))];
    const channels = new Map((await em.getRepository(ChannelEntity).findBy({ id: In(channelIds) })).map((c) => [c.id, toChannelView(c)]));
    // One on-hand query per distinct warehouse set.
    const bySet = new Map<string, { warehouses: string[]; products: Set<string> }>();
    for (const r of rows) {
      const ch = channels.get(r.channelId)!;
      const key = [...ch.onHandWarehouseIds].sort().join(',');
      const entry = bySet.get(key) ?? { warehouses: ch.onHandWarehouseIds, products: new Set<string>() };
      entry.products.add(r.productId);
      bySet.set(key, entry);
    }
    const onHand = new Map<string, Map<string, number>>();
    for (const [key, { warehouses, products }] of bySet) {
      onHand.set(key, warehouses.length ? await this.onHand.onHand([...products], warehouses, em) : new Map());
    }
    return rows.map((row) => {
      const channel = channels.get(row.channelId)!;
      const available = onHand.get([...channel.onHandWarehouseIds].sort().join(','))?.get(row.productId) ?? 0;
      const { rules, quantity } = desiredQuantity(available, channel.rules, row.overrides);
      return { row, channel, rules, quantity };
    });
  }

  private group(claimed: Claimed[]): Group[] {
    const groups = new Map<string, Claimed[]>();
    for (const c of claimed) pushTo(groups, `${c.row.quantityPool}\u0000${c.row.skuKey}`, c);
    return [...groups].map(([key, members]) => ({ key, members, quantity: members[0].quantity, force: false, sender: members[0].channel }));
  }

  /** Ends the claim on listings that need no send (unchanged, disabled, conflict). */
  private async finishClaims(token: string, finished: Finished[]): Promise<void> {
    if (!finished.length) return;
    await this.tx.run(async (em) => {
      const t = tableRef(em, ListingEntity);
      for (const f of finished) {
        for (const ids of chunk(f.ids, MAX_SQL_PARAMS - 20)) {
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
              now: this.now().toISOString(),
            },
          );
        }
      }
    });
  }

  /**
   * Extends this pass's claims, never shortening one: a listing held for its confirmation keeps its
   * longer hold. (Matching only rows without a receipt missed claimed listings still carrying the
   * previous send's receipt: their claim lapsed during a slow send and another instance sent a newer
   * value, which the slow send then overwrote.)
   */
  private async renew(token: string): Promise<void> {
    const until = new Date(this.now().getTime() + this.opts.leaseMs).toISOString();
    await this.tx.run(async (em) => {
      await queryNamed(em, `UPDATE ${tableRef(em, ListingEntity)} SET inflight_until = :until WHERE inflight_token = :token AND inflight_until < :until`, { until, token });
    });
  }

  /** Releases this pass's claims on listings it did not send (a shutdown stopped the pass). */
  private async releaseRemaining(token: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.tx.run(async (em) => {
      const t = tableRef(em, ListingEntity);
      for (const part of chunk(ids, MAX_SQL_PARAMS - 10)) {
        await queryNamed(em, `UPDATE ${t} SET ${RELEASED} WHERE id IN (:...ids) AND inflight_token = :token`, { ids: part, token });
      }
    });
  }

  /** Records the channel's answer for each listing of each group, only where the claim is still ours. */
  private async record(token: string, batch: Group[], results: Map<string, QuantityResult>, canConfirm: boolean): Promise<void> {
    const now = this.now();
    const nowIso = now.toISOString();
    await this.tx.run(async (em) => {
      const t = tableRef(em, ListingEntity);
      for (const g of batch) {
        const r = results.get(g.update!.updateId)!;
        const ids = g.members.map((m) => m.row.id);
        const base = { ids, token, q: g.quantity, now: nowIso };
        const sent = 'computed_quantity = :q, last_sent_quantity = :q, last_sent_at = :now';
        if (r.status === 'synced') {
          await queryNamed(
            em,
            `UPDATE ${t} SET ${SETTLED}, ${sent}, accepted_quantity = :q, accepted_at = :now, status = 'synced', last_error = NULL,
               attempts = 0, next_attempt_at = NULL, receipt = NULL, ${RELEASED}
             WHERE id IN (:...ids) AND inflight_token = :token`,
            base,
          );
        } else if (r.status === 'accepted') {
          const waiting = canConfirm && !!r.receipt;
          // Held: nothing newer is sent until this is confirmed (the channel might apply it after a
          // later send). Otherwise the receipt is kept for confirmation and the listing is free.
          const hold = waiting && !!r.holdUntilConfirmed;
          await queryNamed(
            em,
            `UPDATE ${t} SET ${SETTLED}, ${sent}, accepted_quantity = :q, accepted_at = :now, status = 'sent', last_error = NULL,
               attempts = 0, next_attempt_at = NULL,
               receipt = :receipt, ${hold ? 'inflight_until = :until, inflight_quantity = :q' : RELEASED}
             WHERE id IN (:...ids) AND inflight_token = :token`,
            { ...base, receipt: waiting ? r.receipt! : null, until: new Date(now.getTime() + this.opts.confirmTimeoutMs).toISOString() },
          );
        } else if (r.status === 'rejected') {
          await queryNamed(
            em,
            `UPDATE ${t} SET ${SETTLED}, ${sent}, status = 'error', last_error = :message, attempts = attempts + 1, next_attempt_at = NULL,
               receipt = NULL, ${RELEASED}
             WHERE id IN (:...ids) AND inflight_token = :token`,
            { ...base, message: r.message ?? 'rejected by the channel' },
          );
        } else {
          const attempts = Math.max(...g.members.map((m) => m.row.attempts)) + 1;
          const delay = Math.max(r.retryAfterMs ?? 0, Math.round(jitteredBackoffMs(attempts, this.opts.retryBaseMs, this.opts.retryCapMs)));
          await queryNamed(
            em,
            `UPDATE ${t} SET dirty = true, ${sent}, status = 'error', last_error = :message, attempts = attempts + 1,
               next_attempt_at = :next, receipt = NULL, ${RELEASED}
             WHERE id IN (:...ids) AND inflight_token = :token`,
            { ...base, message: `will retry: ${r.message ?? 'temporary failure'}`, next: new Date(now.getTime() + delay).toISOString() },
          );
        }
      }
    });
  }

  /**
   * Asks channels about accepted deliveries that carry a receipt; confirmed ones become `synced`,
   * refused ones `error`; ones past the confirmation timeout are sent again.
   */
  async confirmPending(signal: AbortSignal = new AbortController().signal): Promise<{ confirmed: number; rejected: number; expired: number }> {
    const out = { confirmed: 0, rejected: 0, expired: 0 };
    // Pages through the partial index on listings with a receipt (idx_listing_receipt): a round
    // costs what is pending, not the size of the listing table, and holds a page at a time.
    let after = '';
    while (!signal.aborted) {
      const page = await this.tx.read((em) =>
        em
          .getRepository(ListingEntity)
          .createQueryBuilder('l')
          // Only the columns used here: hydrating whole rows took the host's CPU away from requests (B4).
          .select(['l.id', 'l.channelId', 'l.receipt', 'l.acceptedAt', 'l.acceptedQuantity', 'l.inflightToken', 'l.inflightUntil', 'l.quantityPool', 'l.skuKey'])
          .where('l.receipt IS NOT NULL')
          .andWhere('l.id > :after', { after })
          // Not a listing a pass has claimed to send a newer value (it may still carry the older receipt).
          .andWhere('(l.inflight_token IS NULL OR l.inflight_quantity IS NOT NULL)')
          .orderBy('l.id')
          .limit(this.opts.confirmPageSize)
          .getMany(),
      );
      if (page.length) await this.confirmPage(page, signal, out);
      if (page.length < this.opts.confirmPageSize) break;
      after = page[page.length - 1].id;
    }
    return out;
  }

  private async confirmPage(pending: ListingEntity[], signal: AbortSignal, out: { confirmed: number; rejected: number; expired: number }): Promise<void> {
    const now = this.now();
    const nowIso = now.toISOString();
    const oldestAccepted = new Date(now.getTime() - this.opts.confirmTimeoutMs).toISOString();
    // Held deliveries expire with their claim, others some time after they were accepted.
    const isExpired = (r: ListingEntity) => (r.inflightToken ? !!r.inflightUntil && r.inflightUntil < nowIso : !!r.acceptedAt && r.acceptedAt < oldestAccepted);
    const expired = pending.filter(isExpired);
    if (expired.length) {
      out.expired += expired.length;
      await this.tx.run(async (em) => {
        const t = tableRef(em, ListingEntity);
        for (const r of expired) {
          await queryNamed(
            em,
            `UPDATE ${t} SET dirty = true, dirty_since = :now, force_send = true, force_seq = change_seq, last_error = 'no confirmation from the channel in time: sending again',
               receipt = NULL${r.inflightToken ? `, ${RELEASED}` : ''}
             WHERE id = :id AND receipt = :receipt AND ${r.inflightToken ? 'inflight_token = :token' : 'inflight_token IS NULL'}`,
            { id: r.id, now: nowIso, receipt: r.receipt, token: r.inflightToken },
          );
        }
      });
    }
    const live = pending.filter((r) => !isExpired(r));
    const byChannel = new Map<string, ListingEntity[]>();
    for (const r of live) pushTo(byChannel, r.channelId, r);
    for (const [channelId, rows] of byChannel) {
      if (signal.aborted) break;
      // A group is sent under its first member's id; every member carries the same receipt.
      const byUpdate = new Map<string, ListingEntity[]>();
      for (const r of rows) {
        const key = `${r.inflightToken}\u0000${r.receipt}\u0000${r.acceptedAt}\u0000${r.quantityPool}\u0000${r.skuKey}`;
        pushTo(byUpdate, key, r);
      }
      const requests = [...byUpdate.values()].map((members) => ({ receipt: members[0].receipt!, updateId: members[0].id, members }));
      let answers: { updateId: string; status: string; message?: string }[];
      try {
        answers = await this.gateway.confirm(channelId, requests.map(({ receipt, updateId }) => ({ receipt, updateId })), signal);
      } catch {
        continue; // asked again on the next pass; the timeout bounds the wait
      }
      const byId = new Map(answers.map((a) => [a.updateId, a]));
      await this.tx.run(async (em) => {
        const t = tableRef(em, ListingEntity);
        for (const req of requests) {
          const a = byId.get(req.updateId);
          if (!a || a.status === 'accepted') continue;
          const ids = req.members.map((m) => m.id);
          const first = req.members[0];
          const held = !!first.inflightToken;
          // Only the delivery this answer is about: a newer send has another receipt or acceptance time.
          const match = `id IN (:...ids) AND receipt = :receipt AND accepted_at = :acceptedAt AND ${held ? 'inflight_token = :token' : 'inflight_token IS NULL'}`;
          const release = held ? `, ${RELEASED}` : '';
          const params = { ids, receipt: first.receipt, acceptedAt: first.acceptedAt, token: first.inflightToken };
          if (a.status === 'synced') {
            out.confirmed += ids.length;
            await queryNamed(em, `UPDATE ${t} SET status = 'synced', last_error = NULL, receipt = NULL${release} WHERE ${match}`, params);
            // Listings that joined this shared quantity without a send of their own are confirmed with it.
            await queryNamed(
              em,
              `UPDATE ${t} SET status = 'synced' WHERE quantity_pool = :pool AND sku_key = :sku AND status = 'sent' AND receipt IS NULL AND accepted_quantity = :q`,
              { pool: first.quantityPool, sku: first.skuKey, q: first.acceptedQuantity },
            );
          } else {
            out.rejected += ids.length;
            // Refused or lost: what we believed accepted is not; a retry is sent again, a refusal waits
            // for the next change or the nightly run.
            const message = a.message ?? 'the channel did not apply the update';
            await queryNamed(
              em,
              `UPDATE ${t} SET status = 'error', last_error = :message, accepted_quantity = NULL,
                 dirty = ${a.status === 'retry' ? 'true' : 'dirty'}, receipt = NULL${release}
               WHERE ${match}`,
              { ...params, message: a.status === 'retry' ? `will retry: ${message}` : message },
            );
          }
        }
      });
    }
  }
}
