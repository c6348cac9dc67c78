import type { ChannelConnector, ChannelInstance, HealthResult, RemoteListing, RemoteQuantity } from '@invsync/plugin-api';
import type { SpApiLogger } from '@invsync/amazon-spapi';
import { readFbaInventory } from './fba-inventory.reader';
import type { AmazonFbaSettings } from './settings';
import type { SpApiClientCache } from './sp-api-clients';

/** Pages handed to the host (the read itself is complete before the first one). */
const PAGE = 500;

function* pagesOf<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += PAGE) yield items.slice(i, i + PAGE);
}

/**
 * The connector of one amazon-fba channel. It has no `pushQuantities`: Amazon controls FBA
 * quantities and nothing is ever sent. It reads them, lists the account's FBA listings and checks
 * the credentials.
 */
export function createFbaConnector(channel: ChannelInstance<AmazonFbaSettings>, clients: SpApiClientCache, logger: SpApiLogger): ChannelConnector {
  const s = channel.settings;
  const client = () => clients.get(channel.id, s);
  return {
    async *pullQuantities(signal: AbortSignal): AsyncIterable<RemoteQuantity[]> {
      const read = await readFbaInventory(client(), s.marketplaceId, { signal, logger });
      yield* pagesOf(read.quantities);
    },

    async *listRemoteListings(signal: AbortSignal): AsyncIterable<RemoteListing[]> {
      const read = await readFbaInventory(client(), s.marketplaceId, { signal, logger });
      const listings = read.quantities.map<RemoteListing>((q) => ({
        sku: q.sku,
        marketplaceId: s.marketplaceId,
        fulfilment: 'channel',
        title: read.names.get(q.sku),
        quantity: q.quantity,
      }));
      yield* pagesOf(listings);
    },

    async checkHealth(signal: AbortSignal): Promise<HealthResult> {
      try {
        const participations = await client().sellers.getMarketplaceParticipations(signal);
        const p = participations.find((x) => x.marketplace.id === s.marketplaceId);
        if (!p) return { ok: false, message: `seller ${s.sellerId} does not sell in marketplace ${s.marketplaceId}` };
        if (!p.participation.isParticipating) return { ok: false, message: `seller ${s.sellerId} is not participating in marketplace ${s.marketplaceId}` };
        return { ok: true, message: `seller ${s.sellerId} reached; marketplace ${s.marketplaceId} active` };
      } catch (e) {
        return { ok: false, message: (e as Error).message };
      }
    },

    dispose() {
      clients.forget(channel.id);
    },
  };
}
