import { definePlugin } from '@invsync/plugin-api';

/**
 * The Webhook channel plugin. The manifest is plain data: the host checks it before any
 * of the plugin's code is loaded, and loads the code (`load`) on the first activation event.
 */
export const webhookPlugin = definePlugin({
  manifest: {
    id: 'webhook',
    displayName: 'Webhook',
    version: '0.1.0',
    description: 'Sends listing quantities to Webhook.',
    // The contract this plugin was built against; the host refuses it when its contract does not satisfy the range.
    engines: { 'inventory-sync': '^1.0.0' },
    // Lazy: the code is loaded when the first webhook channel exists or is created.
    activationEvents: ['onChannelType:webhook'],
    contributes: {
      channelTypes: [
        {
          id: 'webhook',
          displayName: 'Webhook',
          // merchant: the host computes quantities and asks this plugin to send them.
          fulfilment: 'merchant',
          // The host calls only what is declared here; add pullQuantities, listRemoteListings,
          // healthCheck ... when the connector implements them.
          capabilities: { pushQuantities: true },
          // The host splits bigger batches; set it to what one request to the channel takes.
          maxBatchSize: 100,
          // The plugin's part of a channel's settings (the host adds its own: syncInventory,
          // onHandWarehouseIds, reserve ...). Unknown properties are refused.
          settingsSchema: {
            type: 'object',
            properties: {
              account: { type: 'string', minLength: 1, maxLength: 200, description: 'The account (shop) on Webhook' },
              // x-secret: encrypted at rest, never returned by the API, redacted from logs.
              apiKey: { type: 'string', minLength: 8, maxLength: 4096, 'x-secret': true, description: 'API key of the account' },
            },
            required: ['account', 'apiKey'],
          },
        },
      ],
    },
  },
  load: () => import('./lib/activate').then((m) => ({ activate: m.activate, deactivate: m.deactivate })),
});
