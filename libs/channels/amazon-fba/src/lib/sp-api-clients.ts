import { SpApiClient, type SpApiLogger } from '@invsync/amazon-spapi';
import type { AmazonFbaSettings } from './settings';

/** Builds the shared SP-API client for one channel's settings (the process-wide rate limiter is shared). */
export type ClientFactory = (settings: AmazonFbaSettings, logger: SpApiLogger) => SpApiClient;

export const defaultClientFactory: ClientFactory = (s, logger) =>
  new SpApiClient({
    sellerId: s.sellerId,
    region: s.region,
    credentials: s.credentials,
    spApiEndpoint: s.spApiEndpoint,
    lwaEndpoint: s.lwaEndpoint,
    logger,
  });

/**
 * One client per channel and settings, so the access token is reused between the job's runs. A cache
 * only: nothing in it must survive a restart.
 */
export class SpApiClientCache {
  private readonly clients = new Map<string, { key: string; client: SpApiClient }>();

  constructor(
    private readonly factory: ClientFactory,
    private readonly logger: SpApiLogger,
  ) {}

  get(channelId: string, s: AmazonFbaSettings): SpApiClient {
    const key = JSON.stringify([s.sellerId, s.region, s.credentials, s.spApiEndpoint ?? null, s.lwaEndpoint ?? null]);
    const hit = this.clients.get(channelId);
    if (hit && hit.key === key) return hit.client;
    const client = this.factory(s, this.logger);
    this.clients.set(channelId, { key, client });
    return client;
  }

  forget(channelId: string): void {
    this.clients.delete(channelId);
  }

  clear(): void {
    this.clients.clear();
  }
}
