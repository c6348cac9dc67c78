import { type ChannelInstance, definePlugin, type PluginContext, type PluginModule, type PluginPackage, toDisposable } from '@invsync/plugin-api';
import type { SpApiClient } from '@invsync/amazon-spapi';
import { type AmazonMfnPluginOptions, clientFingerprint, createClient } from './client-factory';
import { AMAZON_MFN_MANIFEST } from './manifest';
import { AmazonMfnConnector } from './mfn-connector';
import { DOWNLOAD_ORDERS_JOB, downloadOrders } from './order-download.job';
import { CHANNEL_TYPE, identify, validateSettings, type AmazonMfnSettings } from './settings';

/** The plugin's code: registers the amazon-mfn channel type and the order download job. */
export function amazonMfnModule(options: AmazonMfnPluginOptions = {}): PluginModule {
  return {
    activate(ctx: PluginContext) {
      // The job's clients, one per channel, kept between runs (tokens last an hour); a settings change makes a new one.
      const jobClients = new Map<string, { fingerprint: string; client: SpApiClient }>();
      const clientFor = (channel: ChannelInstance<AmazonMfnSettings>) => {
        const fingerprint = clientFingerprint(channel.settings);
        const cached = jobClients.get(channel.id);
        if (cached?.fingerprint === fingerprint) return cached.client;
        const client = createClient(channel.settings, ctx.logger, options);
        jobClients.set(channel.id, { fingerprint, client });
        return client;
      };
      ctx.subscriptions.push(
        ctx.channelTypes.register<AmazonMfnSettings>(CHANNEL_TYPE, {
          identify,
          validateSettings,
          createConnector: (channel) => new AmazonMfnConnector(channel, ctx.logger, options),
        }),
        ctx.jobs.register(DOWNLOAD_ORDERS_JOB, (run) => downloadOrders(run, { orders: ctx.orders, state: ctx.state, logger: run.logger, clientFor })),
        toDisposable(() => jobClients.clear()),
      );
    },
  };
}

/** The package the host loads: manifest as data, code on the first activation event. */
export function createAmazonMfnPlugin(options: AmazonMfnPluginOptions = {}): PluginPackage {
  return definePlugin({ manifest: AMAZON_MFN_MANIFEST, load: async () => amazonMfnModule(options) });
}
