import type { PluginContext, PluginModule } from '@invsync/plugin-api';
import { createFbaConnector } from './fba-connector';
import { AMAZON_FBA_CHANNEL_TYPE, PULL_INVENTORY_JOB } from './manifest';
import { pullInventoryJob } from './pull-inventory.job';
import { type AmazonFbaSettings, identifyFba, validateFbaSettings } from './settings';
import { type ClientFactory, defaultClientFactory, SpApiClientCache } from './sp-api-clients';

/** The plugin's code, loaded on its first activation event. `clientFactory` lets tests observe the client. */
export function createAmazonFbaModule(clientFactory: ClientFactory = defaultClientFactory): PluginModule {
  return {
    activate(ctx: PluginContext) {
      const clients = new SpApiClientCache(clientFactory, ctx.logger);
      ctx.subscriptions.push(
        ctx.channelTypes.register<AmazonFbaSettings>(AMAZON_FBA_CHANNEL_TYPE, {
          identify: identifyFba,
          validateSettings: validateFbaSettings,
          createConnector: (channel) => createFbaConnector(channel, clients, ctx.logger),
        }),
        ctx.jobs.register(PULL_INVENTORY_JOB, pullInventoryJob(ctx.listings, clients)),
        { dispose: () => clients.clear() },
      );
    },
  };
}

export const amazonFbaModule = createAmazonFbaModule();
