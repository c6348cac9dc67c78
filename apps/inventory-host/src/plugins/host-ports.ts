import type { ChannelInstance, InventoryReader, ListingReporter, OrderRecorder, RemoteQuantity } from '@invsync/plugin-api';

/**
 * What the plugin host needs from the rest of the host to serve a plugin's context. Implemented by
 * the inventory and channel modules; abstract classes so they are typed injection tokens.
 */
export abstract class InventoryPort implements InventoryReader {
  abstract onHand(query: { productIds: string[]; warehouseIds: string[] }): Promise<Map<string, number>>;
  abstract findProductsBySku(skus: string[]): Promise<Map<string, { productId: string; kind: string }>>;
}

export abstract class OrderPort implements OrderRecorder {
  abstract record(order: Parameters<OrderRecorder['record']>[0]): ReturnType<OrderRecorder['record']>;
}

export abstract class ChannelDirectoryPort {
  /** Enabled channels of the given types, secrets decrypted. */
  abstract channelsOfTypes(types: string[]): Promise<ChannelInstance<object>[]>;
  /** Channel types that have at least one channel (to fire `onChannelType` at start). */
  abstract typesInUse(): Promise<string[]>;
}

export abstract class ListingReporterPort implements ListingReporter {
  abstract recordRemoteQuantities(channelId: string, pages: AsyncIterable<RemoteQuantity[]> | RemoteQuantity[]): Promise<{ stored: number; readAt: string }>;
}
