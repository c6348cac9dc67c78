import type { ChannelInstance, JobHandler, ListingReporter } from '@invsync/plugin-api';
import { readFbaInventory } from './fba-inventory.reader';
import { AMAZON_FBA_CHANNEL_TYPE } from './manifest';
import type { AmazonFbaSettings } from './settings';
import type { SpApiClientCache } from './sp-api-clients';

export interface PullInventorySummary {
  channels: number;
  /** SKUs Amazon reported, over all channels. */
  skus: number;
  /** Listings' quantities stored by the host. */
  stored: number;
  pages: number;
  restarts: number;
  failed: { channelId: string; error: string }[];
}

/**
 * The `pull-inventory` job: for every amazon-fba channel, one complete read of the marketplace's FBA
 * inventory, stored on the channel's listings with the time it was read. One channel's failure (its
 * credentials, Amazon) does not stop the others; the run fails only when every channel failed.
 */
export function pullInventoryJob(listings: ListingReporter, clients: SpApiClientCache): JobHandler {
  return async (ctx) => {
    const channels = (await ctx.channels()).filter((c) => c.type === AMAZON_FBA_CHANNEL_TYPE) as ChannelInstance<AmazonFbaSettings>[];
    const summary: PullInventorySummary = { channels: channels.length, skus: 0, stored: 0, pages: 0, restarts: 0, failed: [] };
    let done = 0;
    ctx.progress(0, channels.length);
    for (const channel of channels) {
      if (ctx.signal.aborted) break;
      try {
        const client = clients.get(channel.id, channel.settings);
        const read = await readFbaInventory(client, channel.settings.marketplaceId, { signal: ctx.signal, logger: ctx.logger });
        const r = await listings.recordRemoteQuantities(channel.id, read.quantities);
        summary.skus += read.quantities.length;
        summary.stored += r.stored;
        summary.pages += read.pages;
        summary.restarts += read.restarts;
        ctx.logger.info('FBA inventory read', { channelId: channel.id, skus: read.quantities.length, pages: read.pages, restarts: read.restarts, readAt: r.readAt });
      } catch (e) {
        summary.failed.push({ channelId: channel.id, error: (e as Error).message });
        ctx.logger.error('FBA inventory read failed', { channelId: channel.id, error: (e as Error).message });
      }
      ctx.progress(++done, channels.length);
    }
    if (channels.length && summary.failed.length === channels.length) {
      throw new Error(`every amazon-fba channel failed; first: ${summary.failed[0].error}`);
    }
    return { ...summary };
  };
}
