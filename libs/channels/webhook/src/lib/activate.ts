import type { PluginContext } from '@invsync/plugin-api';
import { createWebhookConnector } from './webhook.connector';
import { identifyWebhook, validateWebhookSettings, type WebhookSettings } from './webhook-settings';

/** Called by the host on the first activation event; everything registered goes into `context.subscriptions`. */
export function activate(context: PluginContext): void {
  context.subscriptions.push(
    context.channelTypes.register<WebhookSettings>('webhook', {
      identify: identifyWebhook,
      validateSettings: validateWebhookSettings,
      createConnector: (channel) => createWebhookConnector(channel, context.logger),
    }),
  );
}

/** Called on shutdown, before the host disposes `context.subscriptions`. */
export function deactivate(): void {
  // Nothing to release beyond the subscriptions: connectors hold no connections between pushes.
}
