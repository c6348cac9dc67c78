import type { QuantityResult } from '@invsync/plugin-api';
import { chunk, newId, type TransactionRunner } from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import { ChannelEntity, type ClaimLane, ClaimStore, type ListingEntity, type RecordedSalesSource, toChannelView } from '@invsync/domain-channels';
import { type ConfirmSummary, DeliveryConfirmer } from './delivery-confirmer';
import { groupBy } from './group-by';
import { type ClaimedListing, planPass, type PlannedSend } from './pass-planner';
import type { ChangeSource, ChannelGateway, OnHandSource } from './ports';

export interface DispatcherOptions {
  /** Coalescing window: a dirty listing waits this long for more changes before it is sent. */
  windowMs: number;
  /** Most listings claimed per pass. */
  maxListingsPerPass: number;
  /** Most listings the lead lane (decreases at once) claims per pass. */
  maxLeadPerPass: number;
  /** How long a claim protects a listing being sent; an instance that dies loses its claims after this. */
  leaseMs: number;
  /** How long an accepted delivery waits for its confirmation before it is sent again. */
  confirmTimeoutMs: number;
  /** Listings read per page of a confirmation round. */
  confirmPageSize: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** Units of orders recorded since a listing's last send, so units the channel sold are not offered again (none: nothing withheld). */
  recordedSales?: RecordedSalesSource;
  /** Withheld units no recorded order explains after this long are released. */
  withheldMaxAgeMs?: number;
  now?: () => Date;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  windowMs: 1000,
  maxListingsPerPass: 25_000,
  maxLeadPerPass: 2_000,
  leaseMs: 60_000,
  confirmTimeoutMs: 6 * 3600_000,
  confirmPageSize: 5000,
  retryBaseMs: 2000,
  retryCapMs: 15 * 60_000,
};

/** Which lanes a pass claims from: the leading edge (decreases at once), the window (`due`), or both in turn. */
export type PassLane = ClaimLane | 'both';

export interface PassSummary {
  changesConsumed: number;
  claimed: number;
  sent: number;
  unchanged: number;
  /** Lead-lane listings left to their window (their quantity does not go down). */
  deferred: number;
  disabled: number;
  conflicts: number;
  results: Record<string, number>;
}

/**
 * The level-triggered dispatcher. Each pass: turn stock change signals into dirty marks; claim dirty
 * listings whose window has passed (the claim store); read their on hand from current state
 * (set-based); plan (the pass planner: unchanged, disabled and conflicting groups settled, the others
 * one update per shared channel quantity); hand batches to the channels; record each answer (the
 * delivery confirmer), only where the claim is still ours.
 */
export class SyncDispatcher {
  private readonly claims = new ClaimStore();
  private readonly opts: DispatcherOptions;
  private readonly deliveries: DeliveryConfirmer;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly onHand: OnHandSource,
    private readonly changes: ChangeSource,
    private readonly gateway: ChannelGateway,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.opts = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
    this.deliveries = new DeliveryConfirmer(tx, gateway, this.claims, { ...this.opts, now: () => this.now() });
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /**
   * Releases every claim (not the holds awaiting a confirmation): for a host that is the only
   * dispatcher on its database (SQLite), claims found at start are left by a crashed run, whose
   * sends may have reached the channel, so each is sent again.
   */
  async releaseAbandonedClaims(): Promise<void> {
    await this.tx.run((em) => this.claims.releaseAbandoned(em));
  }

  /** Turns pending stock change signals into dirty marks (each batch in the transaction that consumes it). */
  async consumeChanges(maxRows = 100_000): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows: n } = await this.changes.consume(10_000, (ids, em) => this.claims.markProducts(em, ids, this.now().toISOString()));
      total += n;
      if (n < 10_000 || total >= maxRows) return total;
    }
  }

  /**
   * One pass; returns what it did. `lane` (default `both`): `lead` sends at once the dirty listings
   * whose quantity goes down (at most one leading send per listing per window) and leaves the others
   * to their window; `due` sends those whose window has passed; `both` does the lead lane, then the
   * due one. The host runs the two lanes in loops of their own, so a decrease never waits behind a
   * long send of the window's work (and goes first in the channel's rate budget).
   */
  async pass(signal: AbortSignal = new AbortController().signal, lane: PassLane = 'both'): Promise<PassSummary> {
    if (lane === 'both') {
      const lead = await this.pass(signal, 'lead');
      const due = await this.pass(signal, 'due');
      const results = { ...lead.results };
      for (const [k, v] of Object.entries(due.results)) results[k] = (results[k] ?? 0) + v;
      return {
        changesConsumed: lead.changesConsumed + due.changesConsumed,
        claimed: lead.claimed + due.claimed,
        sent: lead.sent + due.sent,
        unchanged: lead.unchanged + due.unchanged,
        deferred: lead.deferred + due.deferred,
        disabled: lead.disabled + due.disabled,
        conflicts: lead.conflicts + due.conflicts,
        results,
      };
    }
    const summary: PassSummary = { changesConsumed: 0, claimed: 0, sent: 0, unchanged: 0, deferred: 0, disabled: 0, conflicts: 0, results: {} };
    summary.changesConsumed = await this.consumeChanges();
    const token = newId();
    const claimedAt = this.now();
    const claimed = await this.claim(token, claimedAt, lane);
    summary.claimed = claimed.length;
    if (!claimed.length) return summary;

    const plan = planPass(claimed, { now: claimedAt, withheldMaxAgeMs: this.opts.withheldMaxAgeMs, lane });
    Object.assign(summary, { unchanged: plan.unchanged, disabled: plan.disabled, conflicts: plan.conflicts, deferred: plan.deferred });
    const leading = lane === 'lead' ? plan.send.flatMap((s) => s.listingIds) : [];
    if (plan.settle.length || leading.length) {
      await this.tx.run(async (em) => {
        if (plan.settle.length) await this.claims.settle(em, token, plan.settle, this.now().toISOString());
        if (leading.length) await this.claims.markLeading(em, token, leading, claimedAt.toISOString());
      });
    }
    // Claimed listings not yet answered for: released at the end if a shutdown stops their send.
    const outstanding = new Set(plan.send.flatMap((s) => s.listingIds));

    // The claim is renewed while sends are in flight, so a long send keeps it and a dead
    // instance's claims expire one lease after it stopped renewing them.
    const renew = setInterval(() => void this.renew(token).catch(() => undefined), Math.max(250, Math.floor(this.opts.leaseMs / 3)));
    renew.unref?.();
    // Channels are independent: a slow channel (a feed taking minutes) does not hold up the others.
    try {
      await Promise.all(
        [...groupBy(plan.send, (s) => s.channelId)].map(async ([channelId, list]) => {
          const size = Math.max(1, await this.gateway.maxBatchSize(channelId).catch(() => 1000));
          const canConfirm = await this.gateway.canConfirm(channelId).catch(() => false);
          for (const batch of chunk(list, size)) {
            if (signal.aborted) break;
            const results = await this.send(channelId, batch, signal);
            summary.sent += batch.length;
            for (const r of results.values()) summary.results[r.status] = (summary.results[r.status] ?? 0) + 1;
            await this.deliveries.record(token, batch, results, canConfirm, claimedAt);
            for (const s of batch) for (const id of s.listingIds) outstanding.delete(id);
          }
        }),
      );
    } finally {
      clearInterval(renew);
    }
    // Claims of groups not sent (shutdown) are released so the next pass takes them.
    if (outstanding.size) await this.tx.run((em) => this.claims.release(em, token, [...outstanding]));
    return summary;
  }

  /** Asks channels about accepted deliveries that carry a receipt (see `DeliveryConfirmer`). */
  confirmPending(signal: AbortSignal = new AbortController().signal): Promise<ConfirmSummary> {
    return this.deliveries.confirmPending(signal);
  }

  /** A result for every update: a throwing send or a missing result is a retry. */
  private async send(channelId: string, batch: PlannedSend[], signal: AbortSignal): Promise<Map<string, QuantityResult>> {
    const out = new Map<string, QuantityResult>();
    let results: QuantityResult[] = [];
    try {
      results = await this.gateway.send(channelId, batch.map((s) => s.update), signal);
    } catch (e) {
      const message = `sending failed: ${(e as Error)?.message ?? String(e)}`;
      for (const s of batch) out.set(s.update.updateId, { updateId: s.update.updateId, status: 'retry', message });
      return out;
    }
    for (const r of results) out.set(r.updateId, r);
    for (const s of batch) {
      if (!out.has(s.update.updateId)) out.set(s.update.updateId, { updateId: s.update.updateId, status: 'retry', message: 'the channel returned no result for this update' });
    }
    return out;
  }

  /** Claims dirty listings (and the listings sharing their channel quantity) with their on hand, in one transaction. */
  private async claim(token: string, now: Date, lane: ClaimLane): Promise<ClaimedListing[]> {
    const req = {
      token,
      now: now.toISOString(),
      cutoff: new Date(now.getTime() - this.opts.windowMs).toISOString(),
      lane,
      until: new Date(now.getTime() + this.opts.leaseMs).toISOString(),
      // The lead lane looks at each change once; a bulk change is looked at over several passes.
      limit: lane === 'lead' ? Math.min(this.opts.maxListingsPerPass, this.opts.maxLeadPerPass) : this.opts.maxListingsPerPass,
      lock: this.tx.engine === 'postgres',
    };
    return this.tx.run(async (em) => {
      const rows = await this.claims.claim(em, req);
      return rows.length ? this.withOnHand(em, rows) : [];
    });
  }

  /** Each row's channel and on hand over the channel's warehouses: one on-hand query per distinct warehouse set. */
  private async withOnHand(em: EntityManager, rows: ListingEntity[]): Promise<ClaimedListing[]> {
    const channelIds = [...new Set(rows.map((r) => r.channelId))];
    const channels = new Map((await em.getRepository(ChannelEntity).findBy({ id: In(channelIds) })).map((c) => [c.id, toChannelView(c)]));
    const setKey = (warehouseIds: string[]) => [...warehouseIds].sort().join(',');
    const bySet = new Map<string, { warehouses: string[]; products: Set<string> }>();
    for (const r of rows) {
      const ch = channels.get(r.channelId)!;
      const key = setKey(ch.onHandWarehouseIds);
      const entry = bySet.get(key) ?? { warehouses: ch.onHandWarehouseIds, products: new Set<string>() };
      entry.products.add(r.productId);
      bySet.set(key, entry);
    }
    const onHand = new Map<string, Map<string, number>>();
    for (const [key, { warehouses, products }] of bySet) {
      onHand.set(key, warehouses.length ? await this.onHand.onHand([...products], warehouses, em) : new Map());
    }
    const recorded = this.opts.recordedSales ? await this.opts.recordedSales.unitsSinceBasis(em, rows.map((r) => r.id)) : new Map<string, number>();
    return rows.map((row) => {
      const channel = channels.get(row.channelId)!;
      return { row, channel, onHand: onHand.get(setKey(channel.onHandWarehouseIds))?.get(row.productId) ?? 0, recordedSince: recorded.get(row.id) ?? 0 };
    });
  }

  private async renew(token: string): Promise<void> {
    const until = new Date(this.now().getTime() + this.opts.leaseMs).toISOString();
    await this.tx.run((em) => this.claims.renew(em, token, until));
  }
}
