import { definePlugin } from '@invsync/plugin-api';

/**
 * The Webhook channel plugin: sends each batch of listing quantities as a signed JSON POST to a URL
 * the merchant configures, so any system can be fed. The manifest is plain data: the host checks it
 * before any of the plugin's code is loaded, and loads the code (`load`) on the first activation event.
 */
export const webhookPlugin = definePlugin({
  manifest: {
    id: 'webhook',
    displayName: 'Webhook',
    version: '1.0.0',
    description: 'Sends listing quantities as signed JSON POSTs (HMAC-SHA256) to a URL of your choice.',
    // The lowest contract whose features the plugin uses; the host refuses it when its contract does not satisfy the range.
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
          capabilities: { pushQuantities: true },
          // One POST carries at most this many updates; the host splits bigger batches.
          maxBatchSize: 1000,
          settingsSchema: {
            type: 'object',
            properties: {
              url: {
                type: 'string',
                minLength: 10,
                maxLength: 2048,
                pattern: '^https?://',
                description: 'Where each batch is POSTed (http or https)',
              },
              // x-secret: encrypted at rest, never returned by the API, redacted from logs.
              secret: {
                type: 'string',
                minLength: 16,
                maxLength: 512,
                'x-secret': true,
                description: 'Signing secret of this channel: the receiver checks X-Invsync-Signature with it',
              },
              account: { type: 'string', minLength: 1, maxLength: 200, description: 'Label of the account the receiver keeps the quantities for' },
              marketplace: { type: 'string', minLength: 1, maxLength: 200, description: 'Label of the marketplace (sent as marketplaceIds)' },
              timeoutMs: { type: 'integer', minimum: 100, maximum: 120000, description: 'Time to wait for each answer (default 10000)' },
              maxAttempts: { type: 'integer', minimum: 1, maximum: 10, description: 'Attempts per batch before the host retries later (default 3)' },
            },
            required: ['url', 'secret'],
          },
        },
      ],
    },
  },
  load: () => import('./lib/activate').then((m) => ({ activate: m.activate, deactivate: m.deactivate })),
});

// Types only: the code stays behind `load`, so nothing runs before the host accepts the manifest.
export type { WebhookBody, WebhookResponse, WebhookResultEntry } from './lib/webhook.connector';
export type { WebhookSettings } from './lib/webhook-settings';
