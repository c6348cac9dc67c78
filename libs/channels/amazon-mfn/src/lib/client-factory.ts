import type { PluginLogger } from '@invsync/plugin-api';
import { SpApiClient, type SpApiClientOptions } from '@invsync/amazon-spapi';
import type { AmazonMfnSettings } from './settings';

/** Options of the plugin itself (tests tune the client; production uses the defaults). */
export interface AmazonMfnPluginOptions {
  /** Merged into every SpApiClient the plugin creates (retry policy, rate limiter, timeouts...). */
  client?: Partial<Omit<SpApiClientOptions, 'sellerId' | 'region' | 'credentials' | 'spApiEndpoint' | 'lwaEndpoint'>>;
  /** At most this many ACCEPTED patches are read back per `confirmDeliveries` call (the rest: asked later). */
  confirmReadsPerCall?: number;
  /** How long a SKU seen merchant-fulfilled is patched without reading it first (default 15 minutes). */
  merchantCheckTtlMs?: number;
  /**
   * How long after an ACCEPTED patch Amazon may still show another quantity before the patch is
   * taken as lost and sent again (default 15 minutes).
   */
  patchApplyGraceMs?: number;
}

/** Reports are usually ready in seconds to minutes: poll at 0.25 s, 0.5 s, 1 s ... then every 30 s. */
export const REPORT_POLL = { initialPollIntervalMs: 250, pollIntervalMs: 30_000 } as const;

export function createClient(settings: AmazonMfnSettings, logger: PluginLogger, options: AmazonMfnPluginOptions = {}): SpApiClient {
  return new SpApiClient({
    ...REPORT_POLL,
    ...options.client,
    sellerId: settings.sellerId,
    region: settings.region,
    credentials: settings.credentials,
    spApiEndpoint: settings.spApiEndpoint,
    lwaEndpoint: settings.lwaEndpoint,
    logger,
  });
}

/** The settings an SpApiClient depends on: a change means a new client. */
export function clientFingerprint(s: AmazonMfnSettings): string {
  return JSON.stringify([s.sellerId, s.region, s.credentials, s.spApiEndpoint ?? null, s.lwaEndpoint ?? null]);
}
