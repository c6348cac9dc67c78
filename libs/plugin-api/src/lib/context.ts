import type { Disposable } from './disposable';
import type { ChannelProvider, RemoteQuantity } from './channel';
import type { JobHandler } from './jobs';

/** Structured logger; the host adds the plugin id and redacts anything that looks like a secret. */
export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Registers the implementations of what the manifest contributes. */
export interface ChannelTypeRegistry {
  /** Registers the provider for a channel type the manifest contributes. */
  register<S extends object>(channelType: string, provider: ChannelProvider<S>): Disposable;
}

export interface JobRegistry {
  /** Registers the handler of a job the manifest contributes (by its id, without the plugin prefix). */
  register(jobId: string, handler: JobHandler): Disposable;
}

export interface OnHandQuery {
  productIds: string[];
  warehouseIds: string[];
}

/** Read-only access to the inventory the host keeps. */
export interface InventoryReader {
  /** On hand per product summed over the warehouses (bundles by the per-warehouse rule). */
  onHand(query: OnHandQuery): Promise<Map<string, number>>;
  /** Finds products by SKU (the host's normalisation applies). */
  findProductsBySku(skus: string[]): Promise<Map<string, { productId: string; kind: string }>>;
}

export interface ChannelOrderLine {
  sku: string;
  quantity: number;
}

export interface ChannelOrder {
  channelId: string;
  /** The channel's own order id; recording the same one twice allocates nothing twice. */
  externalId: string;
  /** `cancelled` de-allocates an order recorded earlier. */
  status: 'open' | 'cancelled' | 'shipped';
  /** Orders fulfilled by the channel itself (Amazon AFN) allocate nothing. */
  fulfilledByChannel?: boolean;
  lines: ChannelOrderLine[];
}

export interface RecordedOrder {
  orderId: string;
  created: boolean;
  /**
   * `open`, `shipped`, `cancelled`, or `parked` (1.3): the host keeps the order but cannot allocate it
   * yet (a SKU with neither a listing on the channel nor a product, or no allocation warehouse). It is
   * recorded by the host once that is fixed, so a plugin treats `parked` as recorded.
   */
  status: string;
  /** With `parked` (1.3): which SKUs or setting the order waits for, and what resolves it. */
  parkedReason?: string;
}

/**
 * Records orders downloaded from a channel; allocation happens in the host. A line's SKU is the
 * channel's: it resolves through the listing connected on that channel, then the product SKU (1.3).
 */
export interface OrderRecorder {
  record(order: ChannelOrder): Promise<RecordedOrder>;
}

/** What a plugin reports about its channels' listings. */
export interface ListingReporter {
  /**
   * Stores what the channel shows for a channel's listings (matched by SKU, and marketplace when
   * given), with the time of the read: Live Listings shows it and, for channel-fulfilled stock, the
   * reconciliation tool compares it with the warehouse. Pass the pages of one complete read.
   */
  recordRemoteQuantities(channelId: string, pages: AsyncIterable<RemoteQuantity[]> | RemoteQuantity[]): Promise<{ stored: number; readAt: string }>;
}

/**
 * Small persisted key/value state per plugin (checkpoints, cursors). Plugins keep nothing in
 * memory that must survive a restart.
 */
export interface PluginStateStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
}

/** What the host hands a plugin on activation: narrow, typed services and its subscriptions. */
export interface PluginContext {
  readonly pluginId: string;
  /** The contract version of the host that activated the plugin. */
  readonly apiVersion: string;
  /** Everything pushed here is disposed by the host when the plugin is deactivated. */
  readonly subscriptions: Disposable[];
  readonly logger: PluginLogger;
  readonly channelTypes: ChannelTypeRegistry;
  readonly jobs: JobRegistry;
  readonly inventory: InventoryReader;
  readonly orders: OrderRecorder;
  readonly listings: ListingReporter;
  readonly state: PluginStateStore;
}
