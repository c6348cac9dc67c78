import axios, { type AxiosInstance, type AxiosResponse, type RawAxiosRequestConfig } from 'axios';
import type { SpApiClientOptions } from '../client-options';
import { ServerError, type SpApiError, UnauthorizedError } from '../errors';
import { LwaTokenProvider } from '../lwa-token.provider';
import { noopLogger, redactingLogger, type SpApiLogger } from '../logger';
import { endpointOfRegion, DEFAULT_LWA_ENDPOINT, type AmazonRegion } from '../marketplaces';
import { DEFAULT_RATE_LIMITS, type SpApiOperation } from '../operations';
import { type CallPriority, RateLimiter, sharedRateLimiter, type RateLimit } from '../rate-limiter';
import { SecretRedactor } from '../redactor';
import { DEFAULT_RETRY_POLICY, backoffDelay, sleep, type RetryPolicy } from '../retry-policy';
import { errorFromResponse, normalizeError, rateFromHeader } from './error-mapping';

/** The shape of the generated `@sp-api-sdk/*` API classes' constructors. */
export type SdkApiClass<T> = new (configuration: undefined, basePath: string, axios: AxiosInstance) => T;

/** The limiter key of an operation: Amazon's buckets are per seller, region and operation. */
export function rateLimitKey(sellerId: string, region: AmazonRegion, operation: SpApiOperation): string {
  return `${sellerId}|${region}|${operation}`;
}

/**
 * The way to SP-API for one seller in one region: LWA tokens, a token bucket per (seller, region,
 * operation), retries with backoff and jitter, and typed errors. The API wrappers in `apis/` go
 * through it; calls of different sellers never wait for each other.
 */
export class SpApiTransport {
  readonly sellerId: string;
  readonly region: AmazonRegion;
  readonly endpoint: string;
  /** Redacts the credentials and every access token. */
  readonly logger: SpApiLogger;
  private readonly http: AxiosInstance;
  private readonly plain: AxiosInstance;
  private readonly tokens: LwaTokenProvider;
  private readonly limiter: RateLimiter;
  private readonly limits: Record<SpApiOperation, RateLimit>;
  private readonly retry: RetryPolicy;
  private readonly redactor: SecretRedactor;

  constructor(private readonly options: SpApiClientOptions) {
    this.sellerId = options.sellerId;
    this.region = options.region;
    this.endpoint = (options.spApiEndpoint ?? endpointOfRegion(options.region)).replace(/\/+$/, '');
    this.redactor = new SecretRedactor([options.credentials.clientSecret, options.credentials.refreshToken]);
    this.logger = redactingLogger(options.logger ?? noopLogger, this.redactor);
    this.limiter = options.rateLimiter ?? sharedRateLimiter;
    this.limits = { ...DEFAULT_RATE_LIMITS, ...(options.rateLimits ?? {}) };
    this.retry = { ...DEFAULT_RETRY_POLICY, ...(options.retry ?? {}) };
    const timeout = options.timeoutMs ?? 30_000;
    this.tokens =
      options.tokenProvider ??
      new LwaTokenProvider({
        credentials: options.credentials,
        endpoint: options.lwaEndpoint ?? DEFAULT_LWA_ENDPOINT,
        timeoutMs: timeout,
        redactor: this.redactor,
      });
    const userAgent = options.userAgent ?? 'invsync-amazon-spapi/1.0 (Language=TypeScript)';
    this.http = axios.create({ timeout, validateStatus: () => true, headers: { 'user-agent': userAgent } });
    this.http.interceptors.request.use(async (config) => {
      const token = await this.tokens.getAccessToken();
      config.headers.set('x-amz-access-token', token);
      return config;
    });
    // Presigned document URLs: no SP-API token.
    this.plain = axios.create({ timeout: Math.max(timeout, 120_000), validateStatus: () => true, maxBodyLength: Infinity, maxContentLength: Infinity });
  }

  /** A generated SDK API class pointed at this endpoint, sending through the token-adding axios instance. */
  sdk<T>(Api: SdkApiClass<T>): T {
    return new Api(undefined, this.endpoint, this.http);
  }

  /** A GET of an SP-API path without a typed SDK class (pass to `call`). */
  get<T>(path: string): (options: RawAxiosRequestConfig) => Promise<AxiosResponse<T>> {
    return (o) => this.http.get<T>(`${this.endpoint}${path}`, o);
  }

  /**
   * Takes a token of an operation's bucket now, for a `call` made with `reserved` soon after: a caller
   * that must read before it writes (a quantity patch) reserves the write first, so no queue sits
   * between the read and the write (a sale landing there would be overwritten).
   */
  async reserve(operation: SpApiOperation, signal?: AbortSignal, priority: CallPriority = 'normal'): Promise<void> {
    await this.tokens.getAccessToken();
    await this.limiter.acquire(rateLimitKey(this.sellerId, this.region, operation), this.limits[operation], signal, priority);
  }

  /**
   * Runs an SP-API operation through the rate limiter with retries; answers 2xx or throws a typed
   * error. `reserved`: the first attempt uses a token taken with `reserve`.
   */
  async call<T>(
    operation: SpApiOperation,
    run: (options: RawAxiosRequestConfig) => Promise<AxiosResponse<T>>,
    signal?: AbortSignal,
    priority: CallPriority = 'normal',
    reserved = false,
  ): Promise<AxiosResponse<T>> {
    const key = rateLimitKey(this.sellerId, this.region, operation);
    let reauthorized = false;
    return this.withRetries(
      operation,
      async (attempt) => {
        // Token first: a slow token exchange must not bunch up calls the limiter already released.
        await this.tokens.getAccessToken();
        if (!(reserved && attempt === 1)) await this.limiter.acquire(key, this.limits[operation], signal, priority);
        const res = await run({ signal });
        this.retuneFrom(res, key, operation);
        if (res.status >= 200 && res.status < 300) return res;
        const error = errorFromResponse(operation, res, attempt, this.redactor);
        if (error instanceof UnauthorizedError && !reauthorized) {
          // An access token refused before its expiry (revoked, clock skew): one fresh token, one retry.
          reauthorized = true;
          this.tokens.invalidate();
          throw Object.assign(new ServerError(error.message, { operation, status: res.status, amazonErrors: error.amazonErrors }), { reauth: true });
        }
        throw error;
      },
      signal,
    );
  }

  /** A request to a presigned document URL (no token, no rate limit), retried like an operation. */
  async presigned<T>(label: string, run: (plain: AxiosInstance) => Promise<AxiosResponse<T>>, signal?: AbortSignal): Promise<AxiosResponse<T>> {
    return this.withRetries(
      label,
      async () => {
        const res = await run(this.plain);
        if (res.status >= 200 && res.status < 300) return res;
        throw errorFromResponse(label, res, 1, this.redactor);
      },
      signal,
    );
  }

  private async withRetries<T>(label: string, attemptFn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let error: SpApiError;
      try {
        return await attemptFn(attempt);
      } catch (err) {
        if (signal?.aborted) throw err;
        error = normalizeError(label, err, attempt, this.redactor);
      }
      const reauth = (error as { reauth?: boolean }).reauth === true;
      if (!error.retryable || attempt >= this.retry.maxAttempts) throw error;
      const delayMs = reauth ? 0 : backoffDelay(attempt, this.retry, this.options.random);
      this.logger.warn(`SP-API ${label} failed (${error.name}${error.status ? ` ${error.status}` : ''}), retrying`, {
        sellerId: this.sellerId,
        region: this.region,
        operation: label,
        attempt,
        delayMs,
        status: error.status,
        code: error.code,
      });
      this.options.onRetry?.({ operation: label, attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }

  private retuneFrom(res: AxiosResponse, key: string, operation: SpApiOperation): void {
    const rate = rateFromHeader(res);
    if (rate !== undefined && this.limiter.retune(key, rate)) {
      this.logger.debug('SP-API rate limit retuned from x-amzn-RateLimit-Limit', { sellerId: this.sellerId, operation, rate });
    }
  }
}
