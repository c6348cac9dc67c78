/**
 * The inventory-sync part of the contract: how a channel plugin is told what to send and how it
 * reports what happened, per listing.
 */

/** One configured channel: a channel type on one marketplace of one account. */
export interface ChannelInstance<S extends object = object> {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /**
   * The plugin's own settings (those its `settingsSchema` declares), validated, secrets decrypted.
   * The host's settings (`HOST_SETTING_KEYS`) are not included. Never log them.
   */
  readonly settings: S;
}

/**
 * How the channel identifies a quantity, so the host can group and check listings.
 * Listings in the same `quantityPool` with the same SKU share ONE quantity on the channel
 * (Amazon EU: one quantity per seller + SKU across all EU marketplaces). The host refuses
 * listings in one pool and SKU whose quantities could differ, and sends one update for them.
 */
export interface ChannelIdentity {
  /** The marketplace a listing connected on this channel belongs to. */
  marketplaceId: string;
  /** Opaque key; e.g. `seller:marketplace` where quantities are per marketplace, `seller:EU` in the EU. */
  quantityPool: string;
  /** The account (seller) the channel acts for; used for display and throttling isolation. */
  accountId: string;
}

/** One quantity to send. Several listings may share it (same pool and SKU). */
export interface QuantityUpdate {
  /** The host's id for this message; results are matched back by it. */
  updateId: string;
  sku: string;
  /** Every marketplace of the listings this update covers (one entry outside shared pools). */
  marketplaceIds: string[];
  /** Absolute quantity, never a delta: re-sending is harmless. Always >= 0. */
  quantity: number;
  /**
   * What the channel should show now if every sale on it were already recorded by the host: the
   * quantity the channel last accepted for these listings, minus the units of their orders recorded
   * since. Null or absent when unknown (never sent). A channel that takes sold units off its
   * quantity itself (Amazon) shows less than this when it sold units the host has not recorded yet:
   * the plugin withholds that drop (since 1.3).
   */
  lastAccepted?: number | null;
  /**
   * `decrease`: the update lowers what the channel shows (a sale, an allocation, a correction down, a
   * zero): every second the channel keeps offering those units is a chance to oversell. Send it
   * before the other updates waiting for the same rate budget (the host puts them first in a batch
   * too). Absent: `normal` (since 1.4; a plugin ignoring it stays correct, only slower).
   */
  priority?: 'decrease' | 'normal';
}

export interface QuantityBatch {
  channel: ChannelInstance<object>;
  updates: QuantityUpdate[];
  /** Aborted when the host shuts down. */
  signal: AbortSignal;
}

/**
 * What happened to one update.
 * - `synced`: the channel confirmed it applied the quantity.
 * - `accepted`: the channel took it but has not confirmed it (e.g. Amazon's ACCEPTED, a feed in
 *   progress). Give a `receipt` if the plugin declares `confirmDeliveries` and the host will ask later.
 * - `rejected`: the channel refused this update for a reason re-sending will not fix (bad SKU ...).
 * - `retry`: a temporary failure (throttled, server error): the host retries with backoff.
 */
export type DeliveryStatus = 'synced' | 'accepted' | 'rejected' | 'retry';

export interface QuantityResult {
  updateId: string;
  status: DeliveryStatus;
  /** The channel's message for `rejected` and `retry`, shown to the merchant. */
  message?: string;
  /** Opaque token for `confirmDeliveries` (e.g. a feed id). */
  receipt?: string;
  /** Earliest retry for `retry`, when the channel said so. */
  retryAfterMs?: number;
  /**
   * With a receipt: a newer send could be applied BEFORE this one (e.g. an asynchronous feed
   * processed after a later patch), so the host sends nothing newer for the listing until this one
   * is confirmed or times out. Leave unset when the channel applies sends in order (since 1.1).
   */
  holdUntilConfirmed?: boolean;
  /**
   * Units the channel sold that the host has not recorded yet (how far the channel's quantity had
   * dropped below `lastAccepted`): the channel was given `max(0, quantity - withheld)`. The host
   * stores them (they are part of the next update's `lastAccepted`) and shows them; they stop being
   * withheld once their order is recorded (since 1.3).
   */
  withheld?: number;
}

export interface DeliveryConfirmation {
  receipt: string;
  updateId: string;
  /** `accepted` again means "still in progress, ask later". */
  status: DeliveryStatus;
  message?: string;
}

/** A quantity as the channel currently shows it. */
export interface RemoteQuantity {
  sku: string;
  marketplaceId?: string;
  quantity: number;
  /** Channel-controlled stock (FBA): the parts of the quantity the channel reports. */
  details?: { reserved?: number; inbound?: number; unfulfillable?: number };
  fulfilment?: 'merchant' | 'channel';
}

export interface RemoteListing {
  sku: string;
  marketplaceId?: string;
  fulfilment: 'merchant' | 'channel';
  title?: string;
  quantity?: number;
}

export interface HealthResult {
  ok: boolean;
  message?: string;
}

/**
 * The connector for one channel: the host creates one per channel (and may recreate it when the
 * settings change). Only the methods whose capability the manifest declares are called.
 */
export interface ChannelConnector {
  pushQuantities?(batch: QuantityBatch): Promise<QuantityResult[]>;
  confirmDeliveries?(receipts: { receipt: string; updateId: string }[], signal: AbortSignal): Promise<DeliveryConfirmation[]>;
  /** Pages of what the channel shows now (all listings of the channel). */
  pullQuantities?(signal: AbortSignal): AsyncIterable<RemoteQuantity[]>;
  listRemoteListings?(signal: AbortSignal): AsyncIterable<RemoteListing[]>;
  checkHealth?(signal: AbortSignal): Promise<HealthResult>;
  /** Called when the channel is removed or its settings change, and on deactivation. */
  dispose?(): void | Promise<void>;
}

/** Registered by a plugin for each channel type it contributes. */
export interface ChannelProvider<S extends object = object> {
  /** Pure function of the settings: where listings of the channel live and which share a quantity. */
  identify(settings: S): ChannelIdentity;
  /** Checks beyond the JSON schema (return messages; empty when valid). */
  validateSettings?(settings: S): string[];
  createConnector(channel: ChannelInstance<S>): ChannelConnector;
}
