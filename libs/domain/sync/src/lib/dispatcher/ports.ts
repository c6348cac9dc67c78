import type { DeliveryConfirmation, QuantityResult, QuantityUpdate, RemoteQuantity } from '@invsync/plugin-api';
import type { EntityManager } from 'typeorm';

/** On hand per product over a warehouse set (bundles by the per-warehouse rule), set-based. */
export interface OnHandSource {
  onHand(productIds: string[], warehouseIds: string[], em?: EntityManager): Promise<Map<string, number>>;
}

/** The stock change signal: hands changed product ids to `handler` inside the transaction that consumes them. */
export interface ChangeSource {
  consume(limit: number, handler: (productIds: string[], em: EntityManager) => Promise<void>): Promise<{ rows: number }>;
}

/**
 * The channel side, implemented by the host with the channel's plugin. The engine never knows which
 * marketplace it talks to.
 */
export interface ChannelGateway {
  /** Largest batch the channel takes at once. */
  maxBatchSize(channelId: string): Promise<number>;
  send(channelId: string, updates: QuantityUpdate[], signal: AbortSignal): Promise<QuantityResult[]>;
  /** Whether the channel can confirm accepted deliveries later (receipts). */
  canConfirm(channelId: string): Promise<boolean>;
  confirm(channelId: string, receipts: { receipt: string; updateId: string }[], signal: AbortSignal): Promise<DeliveryConfirmation[]>;
  /** Whether the channel can say what it shows now. */
  canPull(channelId: string): Promise<boolean>;
  pull(channelId: string, signal: AbortSignal): AsyncIterable<RemoteQuantity[]>;
}
