import type { SpApiError } from './errors';
import type { LwaCredentials, LwaTokenProvider } from './lwa-token.provider';
import type { SpApiLogger } from './logger';
import type { AmazonRegion } from './marketplaces';
import type { SpApiOperation } from './operations';
import type { RateLimit, RateLimiter } from './rate-limiter';
import type { RetryPolicy } from './retry-policy';

export interface RetryInfo {
  operation: string;
  /** The attempt that failed (1 = first). */
  attempt: number;
  delayMs: number;
  error: SpApiError;
}

export interface SpApiClientOptions {
  /** The selling partner (merchant) ID. */
  sellerId: string;
  region: AmazonRegion;
  /** Secrets: never logged. */
  credentials: LwaCredentials;
  /** Base URL of SP-API; default the region's production endpoint. */
  spApiEndpoint?: string;
  /** LWA token endpoint; default `https://api.amazon.com/auth/o2/token`. */
  lwaEndpoint?: string;
  logger?: SpApiLogger;
  retry?: Partial<RetryPolicy>;
  /** Shared by default across clients so one seller's clients share Amazon's buckets. */
  rateLimiter?: RateLimiter;
  /** Overrides of Amazon's default usage plans. */
  rateLimits?: Partial<Record<SpApiOperation, RateLimit>>;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Poll interval of feeds and reports. Default 30 s. */
  pollIntervalMs?: number;
  /**
   * First wait between polls; it doubles after each poll up to `pollIntervalMs`. Default: equal to
   * `pollIntervalMs` (a fixed interval). A short start suits fast reports without polling slow ones often.
   */
  initialPollIntervalMs?: number;
  /** Give up waiting for a feed or report after this long. Default 4 h. */
  pollTimeoutMs?: number;
  /** Jitter source (tests make it deterministic). */
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
  tokenProvider?: LwaTokenProvider;
  userAgent?: string;
}
