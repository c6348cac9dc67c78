import type { ChannelConnector, ChannelInstance, PluginContext, PluginLogger, QuantityBatch, QuantityResult } from '@invsync/plugin-api';

/** A webhook channel's settings, as declared by the manifest's settings schema (secrets decrypted). */
export interface WebhookSettings {
  account: string;
  apiKey: string;
}

/** Called by the host on the first activation event; everything registered goes into `context.subscriptions`. */
export function activate(context: PluginContext): void {
  context.subscriptions.push(
    context.channelTypes.register<WebhookSettings>('webhook', {
      // Pure function of the settings. Listings with the same quantityPool and SKU share ONE quantity
      // on the channel; here each account holds one quantity per SKU.
      identify: (s) => ({ marketplaceId: s.account, quantityPool: `webhook:${s.account}`, accountId: s.account }),
      createConnector: (channel) => createWebhookConnector(channel, context.logger),
    }),
  );
}

/** Called on shutdown, before the host disposes `context.subscriptions`. */
export function deactivate(): void {
  // Nothing to release beyond the subscriptions.
}

/** One connector per channel; the host recreates it when the channel's settings change. */
export function createWebhookConnector(channel: ChannelInstance<WebhookSettings>, logger: PluginLogger): ChannelConnector {
  return {
    async pushQuantities(batch: QuantityBatch): Promise<QuantityResult[]> {
      // TODO: send batch.updates ({ updateId, sku, marketplaceIds, quantity }) to Webhook as
      // channel.settings.account with channel.settings.apiKey, honour batch.signal, and return one
      // result per update: 'synced' (applied), 'accepted' (taken, not confirmed), 'rejected'
      // (re-sending will not help) or 'retry' (temporary: the host retries with backoff).
      // Until then every update is refused, visibly, rather than pretending it was sent.
      logger.warn('pushQuantities is not implemented', { channelId: channel.id, updates: batch.updates.length });
      return batch.updates.map((u) => ({
        updateId: u.updateId,
        status: 'rejected' as const,
        message: 'webhook: sending quantities is not implemented yet (libs/channels/webhook/src/lib/activate.ts)',
      }));
    },
  };
}
