import type { QuantityUpdate } from '@invsync/plugin-api';
import { type ChannelView, type ClaimLane, desiredQuantity, lastAcceptedOf, type ListingEntity, quantitySignature, type QuantityRules, type Settlement } from '@invsync/domain-channels';
import { groupBy } from './group-by';

/** The listing columns a plan reads. */
export type PlannedListing = Pick<
  ListingEntity,
  | 'id'
  | 'sku'
  | 'productId'
  | 'marketplaceId'
  | 'quantityPool'
  | 'skuKey'
  | 'overrides'
  | 'syncEnabled'
  | 'dirty'
  | 'forceSend'
  | 'acceptedQuantity'
  | 'status'
  | 'attempts'
  | 'soldBasis'
  | 'soldBasisAt'
  | 'withheldQuantity'
  | 'withheldSince'
>;

/** A claimed listing with its channel and its on hand over the channel's warehouses. */
export interface ClaimedListing {
  row: PlannedListing;
  channel: ChannelView;
  onHand: number;
  /** Units of orders recorded for the listing since its sold basis was read (see `RecordedSalesSource`). */
  recordedSince?: number;
}

export interface PlanOptions {
  /**
   * The claim's lane (default `due`). `lead`: only groups whose quantity goes down are sent; the
   * others are deferred to their window (see `lowersShown`).
   */
  lane?: ClaimLane;
  /** The pass's time, for the age of withheld units (without it they never age out). */
  now?: Date;
  withheldMaxAgeMs?: number;
}

/** One update to send: the listings sharing one channel quantity, sent through one of their channels. */
export interface PlannedSend {
  channelId: string;
  listingIds: string[];
  quantity: number;
  /** The most attempts any member has had (the retry backoff's step). */
  attempts: number;
  update: QuantityUpdate;
}

export interface PassPlan {
  /** Claims ended without a send (disabled, conflict, unchanged, deferred to the window). */
  settle: Settlement[];
  /** Decreases first (they go first in the channel's rate budget too). */
  send: PlannedSend[];
  disabled: number;
  conflicts: number;
  unchanged: number;
  /** Listings of the lead lane left to their window (their quantity does not go down). */
  deferred: number;
}

interface Computed extends ClaimedListing {
  rules: QuantityRules;
  quantity: number;
}

/**
 * What a pass does with its claimed listings (pure: no database, no clock). Listings sharing one
 * channel quantity (same pool and SKU) form a group. Disabled members are settled as disabled; a
 * group whose members could compute different quantities is refused as a conflict; a group whose
 * channel already shows the quantity (a member's last accepted value, unless forced) sends nothing;
 * every other group becomes one update, sent through a dirty member's channel.
 */
export function planPass(claimed: readonly ClaimedListing[], opts: PlanOptions = {}): PassPlan {
  const plan: PassPlan = { settle: [], send: [], disabled: 0, conflicts: 0, unchanged: 0, deferred: 0 };
  const computed = claimed.map((c): Computed => ({ ...c, ...desiredQuantity(c.onHand, c.channel.rules, c.row.overrides) }));
  const groups = groupBy(computed, (c) => `${c.row.quantityPool}\u0000${c.row.skuKey}`);
  for (const members of groups.values()) planGroup(members, plan, opts);
  // Stable: decreases first, in claim order otherwise.
  const rank = (s: PlannedSend) => (s.update.priority === 'decrease' ? 0 : 1);
  plan.send = plan.send.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
  return plan;
}

function planGroup(members: Computed[], plan: PassPlan, opts: PlanOptions): void {
  const active = members.filter((m) => m.channel.syncEnabled && m.row.syncEnabled);
  const inactive = members.filter((m) => !(m.channel.syncEnabled && m.row.syncEnabled));
  if (inactive.length) {
    plan.settle.push({ ids: inactive.map((m) => m.row.id), status: 'disabled', error: null });
    plan.disabled += inactive.length;
  }
  if (!active.length) return;
  const signatures = new Set(active.map((m) => quantitySignature(m.row.productId, m.channel.onHandWarehouseIds, m.rules)));
  if (signatures.size > 1) {
    const names = active.map((m) => `${m.channel.name}/${m.row.sku} (listing ${m.row.id})`).join(', ');
    plan.settle.push({
      ids: active.map((m) => m.row.id),
      status: 'conflict',
      error: `These listings share one quantity on the channel (same account and SKU) but their quantities could differ: ${names}. Connect them to the same product with the same warehouses and rules, or use different SKUs.`,
    });
    plan.conflicts += active.length;
    return;
  }
  const quantity = active[0].quantity;
  const force = active.some((m) => m.row.forceSend);
  // One channel quantity per group: if any member's last accepted value is the quantity and nothing
  // was sold since, the channel already shows it for all of them (a listing joining a shared quantity
  // sends nothing). Units withheld, or orders recorded since the send (the channel may have taken
  // their units off: the accepted value is no longer what it shows), mean it is sent again.
  const holder = force ? undefined : active.find((m) => m.row.acceptedQuantity === quantity && !soldSinceSend(m) && (m.row.status === 'synced' || m.row.status === 'sent'));
  if (holder) {
    plan.settle.push({ ids: active.map((m) => m.row.id), computed: quantity, accepted: { quantity, status: holder.row.status as 'synced' | 'sent' } });
    plan.unchanged += active.length;
    return;
  }
  const lastAccepted = lastAcceptedOfGroup(active, opts);
  const decrease = lowersShown(quantity, lastAccepted, active);
  if (opts.lane === 'lead' && !decrease) {
    plan.settle.push({ ids: active.map((m) => m.row.id), defer: true });
    plan.deferred += active.length;
    return;
  }
  const sender = active.find((m) => m.row.dirty)?.channel ?? active[0].channel;
  const marketplaceIds = [...new Set(active.map((m) => m.row.marketplaceId))].sort();
  plan.send.push({
    channelId: sender.id,
    listingIds: active.map((m) => m.row.id),
    quantity,
    attempts: Math.max(...active.map((m) => m.row.attempts)),
    update: {
      updateId: active[0].row.id,
      sku: active[0].row.sku,
      marketplaceIds,
      quantity,
      ...(lastAccepted !== null ? { lastAccepted } : {}),
      ...(decrease ? { priority: 'decrease' as const } : {}),
    },
  });
}

/**
 * Whether sending `quantity` lowers what the channel shows (a sale, an allocation, a correction
 * down, a zero): below what it should show if every sale were recorded (`lastAccepted`), or, when
 * that is unknown, below the quantity a member last had accepted. Never sent or nothing accepted: not
 * a decrease (the window sends it; a new listing is sent at once anyway).
 */
export function lowersShown(quantity: number, lastAccepted: number | null, active: readonly Pick<ClaimedListing, 'row'>[]): boolean {
  if (lastAccepted !== null) return quantity < lastAccepted;
  const accepted = active.map((m) => m.row.acceptedQuantity).filter((q): q is number => q !== null && q !== undefined);
  return accepted.length > 0 && quantity < Math.max(...accepted);
}

/** Units sold since the last accepted send: withheld in it, or in orders recorded since. */
function soldSinceSend(m: Computed): boolean {
  return (m.row.withheldQuantity ?? 0) > 0 || (m.recordedSince ?? 0) > 0;
}

/** The group's one channel quantity was last set by its latest accepted send. */
function lastAcceptedOfGroup(active: Computed[], opts: PlanOptions): number | null {
  const latest = active.filter((m) => m.row.soldBasis !== null && m.row.soldBasis !== undefined).sort((a, b) => (b.row.soldBasisAt ?? '').localeCompare(a.row.soldBasisAt ?? ''))[0];
  if (!latest) return null;
  return lastAcceptedOf(latest.row, latest.recordedSince ?? 0, opts.now, opts.withheldMaxAgeMs);
}
