import { jitteredBackoffMs, type QuantityResult } from '@invsync/plugin-api';
import type { TransactionRunner } from '@invsync/domain-shared';
import type { ClaimStore, PendingDelivery, SendOutcome } from '@invsync/domain-channels';
import { groupBy } from './group-by';
import type { PlannedSend } from './pass-planner';
import type { ChannelGateway } from './ports';

export interface DeliveryOptions {
  /** How long an accepted delivery waits for its confirmation before it is sent again. */
  confirmTimeoutMs: number;
  /** Listings read per page of a confirmation round. */
  confirmPageSize: number;
  retryBaseMs: number;
  retryCapMs: number;
  now: () => Date;
}

export interface ConfirmSummary {
  confirmed: number;
  rejected: number;
  expired: number;
}

/**
 * What a channel's answer to a send means for its listings (pure). Accepted with a receipt the
 * channel can confirm: kept for confirmation, and held (nothing newer sent until confirmed) when the
 * channel might apply it after a later send. Retry: sent again after the jittered backoff or the
 * channel's Retry-After, whichever is longer.
 */
export function sendOutcome(
  r: QuantityResult,
  send: Pick<PlannedSend, 'quantity' | 'attempts'>,
  ctx: { canConfirm: boolean; now: Date; confirmTimeoutMs: number; retryBaseMs: number; retryCapMs: number; random?: () => number },
): SendOutcome {
  const quantity = send.quantity;
  if (r.status === 'synced') return { kind: 'synced', quantity };
  if (r.status === 'accepted') {
    const waiting = ctx.canConfirm && !!r.receipt;
    const hold = waiting && !!r.holdUntilConfirmed;
    return { kind: 'accepted', quantity, receipt: waiting ? r.receipt! : null, holdUntil: hold ? new Date(ctx.now.getTime() + ctx.confirmTimeoutMs).toISOString() : null };
  }
  if (r.status === 'rejected') return { kind: 'rejected', quantity, message: r.message ?? 'rejected by the channel' };
  const delay = Math.max(r.retryAfterMs ?? 0, Math.round(jitteredBackoffMs(send.attempts + 1, ctx.retryBaseMs, ctx.retryCapMs, ctx.random)));
  return { kind: 'retry', quantity, message: `will retry: ${r.message ?? 'temporary failure'}`, nextAttemptAt: new Date(ctx.now.getTime() + delay).toISOString() };
}

/**
 * An applied send's sold basis: the channel was given `max(0, quantity - withheld)`, and would show
 * that plus the withheld units if every sale were recorded.
 */
export function withUnrecordedSales(outcome: SendOutcome, r: QuantityResult, asOf: Date): SendOutcome {
  if (outcome.kind !== 'synced' && outcome.kind !== 'accepted') return outcome;
  // A plugin's number: anything but a non-negative integer (within a quantity's range) counts as none.
  const withheld = Number.isSafeInteger(r.withheld) && r.withheld! > 0 ? Math.min(r.withheld!, 2_000_000_000) : 0;
  return { ...outcome, sold: { withheld, basis: Math.max(0, outcome.quantity - withheld) + withheld, asOf: asOf.toISOString() } };
}

/**
 * The delivery side of the listing state machine: records what a channel answered to a send, and
 * later asks the channel about accepted deliveries that carry a receipt (confirmed ones become
 * `synced`, refused ones `error`; ones past the confirmation timeout are sent again).
 */
export class DeliveryConfirmer {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly gateway: ChannelGateway,
    private readonly claims: ClaimStore,
    private readonly opts: DeliveryOptions,
  ) {}

  /**
   * Records the channel's answer for each listing of each update, only where the claim is still
   * `token`'s. `asOf`: when the on hand behind the sends was read (orders recorded after it are
   * subtracted from the sold basis at the next send).
   */
  async record(token: string, batch: PlannedSend[], results: Map<string, QuantityResult>, canConfirm: boolean, asOf: Date): Promise<void> {
    const now = this.opts.now();
    const ctx = { canConfirm, now, confirmTimeoutMs: this.opts.confirmTimeoutMs, retryBaseMs: this.opts.retryBaseMs, retryCapMs: this.opts.retryCapMs };
    await this.tx.run(async (em) => {
      for (const s of batch) {
        const r = results.get(s.update.updateId)!;
        await this.claims.recordSend(em, token, s.listingIds, withUnrecordedSales(sendOutcome(r, s, ctx), r, asOf), now.toISOString());
      }
    });
  }

  /** One confirmation round, a page of pending deliveries at a time. */
  async confirmPending(signal: AbortSignal = new AbortController().signal): Promise<ConfirmSummary> {
    const out: ConfirmSummary = { confirmed: 0, rejected: 0, expired: 0 };
    let after = '';
    while (!signal.aborted) {
      const page = await this.tx.read((em) => this.claims.pendingDeliveries(em, after, this.opts.confirmPageSize));
      if (page.length) await this.confirmPage(page, signal, out);
      if (page.length < this.opts.confirmPageSize) break;
      after = page[page.length - 1].id;
    }
    return out;
  }

  private async confirmPage(pending: PendingDelivery[], signal: AbortSignal, out: ConfirmSummary): Promise<void> {
    const now = this.opts.now();
    const nowIso = now.toISOString();
    const oldestAccepted = new Date(now.getTime() - this.opts.confirmTimeoutMs).toISOString();
    // Held deliveries expire with their hold, others some time after they were accepted.
    const isExpired = (r: PendingDelivery) => (r.inflightToken ? !!r.inflightUntil && r.inflightUntil < nowIso : !!r.acceptedAt && r.acceptedAt < oldestAccepted);
    const expired = pending.filter(isExpired);
    if (expired.length) {
      out.expired += expired.length;
      await this.tx.run(async (em) => {
        for (const r of expired) await this.claims.expireDelivery(em, r, nowIso);
      });
    }
    const byChannel = groupBy(
      pending.filter((r) => !isExpired(r)),
      (r) => r.channelId,
    );
    for (const [channelId, rows] of byChannel) {
      if (signal.aborted) break;
      // A group is sent under its first member's id; every member carries the same receipt.
      const byUpdate = groupBy(rows, (r) => `${r.inflightToken}\u0000${r.receipt}\u0000${r.acceptedAt}\u0000${r.quantityPool}\u0000${r.skuKey}`);
      const requests = [...byUpdate.values()].map((members) => ({ receipt: members[0].receipt!, updateId: members[0].id, members }));
      let answers: { updateId: string; status: string; message?: string }[];
      try {
        answers = await this.gateway.confirm(channelId, requests.map(({ receipt, updateId }) => ({ receipt, updateId })), signal);
      } catch {
        continue; // asked again on the next round; the timeout bounds the wait
      }
      const byId = new Map(answers.map((a) => [a.updateId, a]));
      await this.tx.run(async (em) => {
        for (const req of requests) {
          const a = byId.get(req.updateId);
          if (!a || a.status === 'accepted') continue;
          const first = req.members[0];
          const key = { ids: req.members.map((m) => m.id), receipt: first.receipt!, acceptedAt: first.acceptedAt, heldBy: first.inflightToken };
          if (a.status === 'synced') {
            out.confirmed += key.ids.length;
            await this.claims.confirmDelivery(em, key, { pool: first.quantityPool, sku: first.skuKey, quantity: first.acceptedQuantity });
          } else {
            out.rejected += key.ids.length;
            const message = a.message ?? 'the channel did not apply the update';
            const retry = a.status === 'retry';
            await this.claims.failDelivery(em, key, { retry, message: retry ? `will retry: ${message}` : message });
          }
        }
      });
    }
  }
}
