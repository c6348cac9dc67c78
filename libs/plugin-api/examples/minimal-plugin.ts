// A complete channel plugin, written as a plugin lib writes it (importing the published contract).
// test/minimal-plugin.spec.ts type-checks this file and activates it against a fake host context.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { definePlugin } from '@invsync/plugin-api';

/** This plugin's settings of one channel (the host keeps its own settings apart). */
export interface HelloSettings {
  shop: string;
  apiKey: string;
}

export const helloPlugin = definePlugin({
  manifest: {
    id: 'hello-channel',
    displayName: 'Hello channel',
    version: '0.1.0',
    // The lowest contract whose features this plugin uses.
    engines: { 'inventory-sync': '^1.0.0' },
    activationEvents: ['onChannelType:hello'],
    contributes: {
      channelTypes: [
        {
          id: 'hello',
          displayName: 'Hello',
          fulfilment: 'merchant',
          capabilities: { pushQuantities: true },
          // Only the plugin's own keys: the host's (syncInventory, reserve, ...) are refused here.
          settingsSchema: {
            type: 'object',
            properties: { shop: { type: 'string' }, apiKey: { type: 'string', 'x-secret': true } },
            required: ['shop', 'apiKey'],
          },
        },
      ],
    },
  },
  load: async () => ({
    activate(ctx) {
      ctx.subscriptions.push(
        ctx.channelTypes.register<HelloSettings>('hello', {
          identify: (s) => ({ marketplaceId: s.shop, quantityPool: s.shop, accountId: s.shop }),
          createConnector: (channel) => ({
            async pushQuantities(batch) {
              ctx.logger.info('sending quantities', { shop: channel.settings.shop, updates: batch.updates.length });
              // Send batch.updates (sku, absolute quantity) to the shop with channel.settings.apiKey here.
              return batch.updates.map((u) => ({ updateId: u.updateId, status: 'synced' as const }));
            },
          }),
        }),
      );
    },
  }),
});
