import axios, { type AxiosInstance } from 'axios';
import { TimeoutError, UnauthorizedError, ServerError, SpApiError } from './errors';
import type { SecretRedactor } from './redactor';
import { DEFAULT_LWA_ENDPOINT } from './marketplaces';

export interface LwaCredentials {
  clientId: string;
  /** Secret. */
  clientSecret: string;
  /** Secret. */
  refreshToken: string;
}

export interface LwaTokenProviderOptions {
  credentials: LwaCredentials;
  /** Token endpoint; default `https://api.amazon.com/auth/o2/token`. */
  endpoint?: string;
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 60 s. */
  refreshMarginMs?: number;
  timeoutMs?: number;
  now?: () => number;
  redactor?: SecretRedactor;
  axios?: AxiosInstance;
}

/**
 * Login with Amazon: exchanges a refresh token for access tokens (form-encoded POST), caches the
 * token and refreshes it before it expires. Concurrent callers share one exchange.
 *
 * (`@sp-api-sdk/auth` has a fixed token endpoint and only refreshes after expiry, so this small
 * client stands in for it.)
 */
export class LwaTokenProvider {
  private token?: string;
  private refreshAt = 0;
  private pending?: Promise<string>;
  private readonly endpoint: string;
  private readonly marginMs: number;
  private readonly now: () => number;
  private readonly http: AxiosInstance;
  /** Number of token exchanges made (for metrics and tests). */
  exchanges = 0;

  constructor(private readonly options: LwaTokenProviderOptions) {
    this.endpoint = options.endpoint ?? DEFAULT_LWA_ENDPOINT;
    this.marginMs = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.http = options.axios ?? axios.create({ timeout: options.timeoutMs ?? 30_000 });
    options.redactor?.add(options.credentials.clientSecret);
    options.redactor?.add(options.credentials.refreshToken);
  }

  /** A valid access token: the cached one, or a fresh one when it is about to expire. */
  async getAccessToken(): Promise<string> {
    if (this.token && this.now() < this.refreshAt) return this.token;
    if (!this.pending) {
      this.pending = this.exchange().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  /** Forgets the cached token (after SP-API refused it). */
  invalidate(token?: string): void {
    if (token === undefined || token === this.token) {
      this.token = undefined;
      this.refreshAt = 0;
    }
  }

  private async exchange(): Promise<string> {
    const { clientId, clientSecret, refreshToken } = this.options.credentials;
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    }).toString();
    const started = this.now();
    let res;
    try {
      res = await this.http.post(this.endpoint, body, {
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        validateStatus: () => true,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      throw new TimeoutError(`LWA token request failed: ${timedOut ? 'timed out' : (code ?? 'network error')}`, {
        operation: 'lwaToken',
      });
    }
    this.exchanges++;
    const data = (res.data ?? {}) as Record<string, unknown>;
    if (res.status >= 200 && res.status < 300 && typeof data['access_token'] === 'string') {
      const lifetimeMs = Number(data['expires_in'] ?? 3600) * 1000;
      const token = data['access_token'] as string;
      this.options.redactor?.add(token);
      this.token = token;
      this.refreshAt = started + lifetimeMs - Math.min(this.marginMs, lifetimeMs / 2);
      return token;
    }
    const reason = [data['error'], data['error_description']].filter((x) => typeof x === 'string').join(': ');
    const message = this.redact(`LWA refused the token request (HTTP ${res.status}${reason ? `, ${reason}` : ''})`);
    const amazonErrors = reason ? [{ code: String(data['error'] ?? ''), message: this.redact(String(data['error_description'] ?? '')) }] : [];
    const init = { operation: 'lwaToken', status: res.status, amazonErrors };
    if (res.status >= 500) throw new ServerError(message, init);
    if (res.status === 400 || res.status === 401 || res.status === 403) throw new UnauthorizedError(message, init);
    throw new SpApiError(message, init);
  }

  private redact(text: string): string {
    return this.options.redactor ? this.options.redactor.redact(text) : text;
  }
}
