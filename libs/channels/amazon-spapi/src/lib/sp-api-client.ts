import axios, { type AxiosInstance, type AxiosResponse, type RawAxiosRequestConfig } from 'axios';
import { gunzipSync } from 'node:zlib';
import { ListingsItemsApi, type Item, type Issue } from '@sp-api-sdk/listings-items-api-2021-08-01';
import { FeedsApi, type Feed, type FeedDocument } from '@sp-api-sdk/feeds-api-2021-06-30';
import { FbaInventoryApi, type InventorySummary, type Granularity } from '@sp-api-sdk/fba-inventory-api-v1';
import { OrdersApi, type Order, type OrderItem } from '@sp-api-sdk/orders-api-v0';
import { ReportsApi, type Report, type ReportDocument } from '@sp-api-sdk/reports-api-2021-06-30';
import {
  InvalidInputError,
  NextTokenExpiredError,
  NotFoundError,
  ProcessingError,
  ServerError,
  SpApiError,
  ThrottledError,
  TimeoutError,
  UnauthorizedError,
  describeAmazonErrors,
  readAmazonErrors,
  type SpApiErrorInit,
} from './errors';
import {
  LISTINGS_FEED_CONTENT_TYPE,
  LISTINGS_FEED_TYPE,
  parseProcessingReport,
  quantityPatch,
  splitQuantityFeed,
  type ListingsFeedBatch,
  type ParsedProcessingReport,
  type PatchOp,
  type QuantityFeedEntry,
  type SplitOptions,
} from './listings-feed';
import { LwaTokenProvider, type LwaCredentials } from './lwa-token.provider';
import { noopLogger, redactingLogger, type SpApiLogger } from './logger';
import { endpointOfRegion, DEFAULT_LWA_ENDPOINT, type AmazonRegion } from './marketplaces';
import { DEFAULT_RATE_LIMITS, type SpApiOperation } from './operations';
import { type CallPriority, RateLimiter, sharedRateLimiter, type RateLimit } from './rate-limiter';
import { SecretRedactor } from './redactor';
import { DEFAULT_RETRY_POLICY, backoffDelay, sleep, type RetryPolicy } from './retry-policy';
import { parseTsv } from './tsv';

export type { Item as ListingsItem, Issue as ListingsIssue } from '@sp-api-sdk/listings-items-api-2021-08-01';
export type { Feed, FeedDocument } from '@sp-api-sdk/feeds-api-2021-06-30';
export type { InventorySummary } from '@sp-api-sdk/fba-inventory-api-v1';
export type { Order, OrderItem } from '@sp-api-sdk/orders-api-v0';
export type { Report, ReportDocument } from '@sp-api-sdk/reports-api-2021-06-30';

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

export interface PatchResult {
  sku: string;
  /** ACCEPTED = queued (not yet applied); VALID/INVALID in VALIDATION_PREVIEW mode; INVALID = refused. */
  status: 'ACCEPTED' | 'INVALID' | 'VALID';
  submissionId: string;
  issues: Issue[];
  identifiers?: Array<{ marketplaceId?: string; asin?: string }>;
}

export interface SearchListingsQuery {
  marketplaceIds: string[];
  identifiers?: string[];
  identifiersType?: 'ASIN' | 'EAN' | 'GTIN' | 'ISBN' | 'JAN' | 'MINSAN' | 'SKU' | 'UPC';
  includedData?: Array<'summaries' | 'attributes' | 'issues' | 'offers' | 'fulfillmentAvailability' | 'procurement' | 'relationships' | 'productTypes'>;
  pageSize?: number;
  pageToken?: string;
}

export interface SearchListingsPage {
  numberOfResults: number;
  items: Item[];
  nextToken?: string;
}

export interface InventorySummariesQuery {
  marketplaceId: string;
  /** Up to 50 SKUs. */
  sellerSkus?: string[];
  startDateTime?: string;
  /** Default true. */
  details?: boolean;
  nextToken?: string;
}

export interface InventorySummariesPage {
  granularity?: Granularity;
  summaries: InventorySummary[];
  nextToken?: string;
}

export interface OrdersQuery {
  marketplaceIds: string[];
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  orderStatuses?: string[];
  fulfillmentChannels?: Array<'MFN' | 'AFN'>;
  maxResultsPerPage?: number;
  nextToken?: string;
}

export interface OrdersPage {
  orders: Order[];
  nextToken?: string;
  lastUpdatedBefore?: string;
  createdBefore?: string;
}

export interface OrderItemsPage {
  amazonOrderId: string;
  items: OrderItem[];
  nextToken?: string;
}

export interface PollOptions {
  pollIntervalMs?: number;
  /** First wait between polls, doubled after each poll up to `pollIntervalMs` (see the client option). */
  initialPollIntervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A listings feed submitted to Amazon: keep `feedId` and the entries to match results later. */
export interface SubmittedListingsFeed {
  feedId: string;
  feedDocumentId: string;
  messageCount: number;
  byteLength: number;
  /** `entries[messageId - 1]`. */
  entries: QuantityFeedEntry[];
}

export interface ListingsFeedOutcome {
  feedId: string;
  processingStatus: string;
  /** Present when Amazon produced a processing report. */
  report?: ParsedProcessingReport;
}

export interface MarketplaceParticipation {
  marketplace: { id: string; countryCode?: string; name?: string; defaultCurrencyCode?: string; defaultLanguageCode?: string; domainName?: string };
  storeName?: string;
  participation: { isParticipating: boolean; hasSuspendedListings: boolean };
}

const TERMINAL = new Set(['DONE', 'CANCELLED', 'FATAL']);

/**
 * SP-API for one seller in one region: typed `@sp-api-sdk/*` classes pointed at `spApiEndpoint`,
 * with LWA tokens, a token bucket per (seller, region, operation), retries with backoff and jitter,
 * and typed errors. Safe to share; calls of different sellers never wait for each other.
 */
export class SpApiClient {
  readonly sellerId: string;
  readonly region: AmazonRegion;
  readonly endpoint: string;
  private readonly http: AxiosInstance;
  private readonly plain: AxiosInstance;
  private readonly tokens: LwaTokenProvider;
  private readonly limiter: RateLimiter;
  private readonly limits: Record<SpApiOperation, RateLimit>;
  private readonly retry: RetryPolicy;
  private readonly logger: SpApiLogger;
  private readonly redactor: SecretRedactor;
  private readonly listings: ListingsItemsApi;
  private readonly feeds: FeedsApi;
  private readonly fba: FbaInventoryApi;
  private readonly orders: OrdersApi;
  private readonly reports: ReportsApi;

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
    this.listings = new ListingsItemsApi(undefined, this.endpoint, this.http);
    this.feeds = new FeedsApi(undefined, this.endpoint, this.http);
    this.fba = new FbaInventoryApi(undefined, this.endpoint, this.http);
    this.orders = new OrdersApi(undefined, this.endpoint, this.http);
    this.reports = new ReportsApi(undefined, this.endpoint, this.http);
  }

  // ---------------------------------------------------------------- Listings Items API 2021-08-01

  async getListingsItem(
    sku: string,
    marketplaceIds: string[],
    includedData: SearchListingsQuery['includedData'] = ['summaries', 'attributes', 'fulfillmentAvailability', 'issues'],
    signal?: AbortSignal,
    /** `background` for reads nothing waits on (confirmations): they yield to sends' reads. */
    priority: CallPriority = 'normal',
  ): Promise<Item> {
    const res = await this.call('getListingsItem', (o) => this.listings.getListingsItem({ sellerId: this.sellerId, sku, marketplaceIds, includedData }, o), signal, priority);
    return res.data;
  }

  /** Sets the merchant-fulfilled quantity of one SKU (merge keeps handling time and restock date). */
  async patchListingsItemQuantity(
    sku: string,
    marketplaceIds: string[],
    quantity: number,
    options: {
      productType?: string;
      op?: PatchOp;
      /** `VALIDATION_PREVIEW` checks the patch without applying it (answer VALID / INVALID). */
      mode?: 'VALIDATION_PREVIEW';
      includedData?: Array<'identifiers' | 'issues'>;
      signal?: AbortSignal;
    } = {},
  ): Promise<PatchResult> {
    const patch = quantityPatch(quantity, options.op ?? 'merge');
    const res = await this.call(
      'patchListingsItem',
      (o) =>
        this.listings.patchListingsItem(
          {
            sellerId: this.sellerId,
            sku,
            marketplaceIds,
            body: { productType: options.productType ?? 'PRODUCT', patches: [patch] },
            mode: options.mode,
            includedData: options.includedData,
          },
          o,
        ),
      options.signal,
    );
    return toPatchResult(res.data, sku);
  }

  async searchListingsItems(query: SearchListingsQuery, signal?: AbortSignal): Promise<SearchListingsPage> {
    const res = await this.call(
      'searchListingsItems',
      (o) =>
        this.listings.searchListingsItems(
          {
            sellerId: this.sellerId,
            marketplaceIds: query.marketplaceIds,
            identifiers: query.identifiers,
            identifiersType: query.identifiersType,
            includedData: query.includedData,
            pageSize: query.pageSize,
            pageToken: query.pageToken,
          },
          o,
        ),
      signal,
    );
    return { numberOfResults: res.data.numberOfResults ?? 0, items: res.data.items ?? [], nextToken: res.data.pagination?.nextToken };
  }

  // ---------------------------------------------------------------- Feeds API 2021-06-30

  async createFeedDocument(contentType: string, signal?: AbortSignal): Promise<{ feedDocumentId: string; url: string }> {
    const res = await this.call('createFeedDocument', (o) => this.feeds.createFeedDocument({ body: { contentType } }, o), signal);
    return { feedDocumentId: res.data.feedDocumentId, url: res.data.url };
  }

  /** PUT the feed content to the presigned URL createFeedDocument returned. */
  async uploadFeedDocument(url: string, content: string | Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
    await this.withRetries('uploadFeedDocument', async () => {
      const res = await this.plain.put(url, content, { headers: { 'content-type': contentType }, signal, transformRequest: [(d) => d] });
      if (res.status >= 200 && res.status < 300) return res;
      throw this.errorFrom('uploadFeedDocument', res, 1);
    }, signal);
  }

  async createFeed(spec: { feedType: string; marketplaceIds: string[]; inputFeedDocumentId: string }, signal?: AbortSignal): Promise<string> {
    const res = await this.call('createFeed', (o) => this.feeds.createFeed({ body: spec }, o), signal);
    return res.data.feedId;
  }

  async getFeed(feedId: string, signal?: AbortSignal): Promise<Feed> {
    const res = await this.call('getFeed', (o) => this.feeds.getFeed({ feedId }, o), signal);
    return res.data;
  }

  async getFeedDocument(feedDocumentId: string, signal?: AbortSignal): Promise<FeedDocument> {
    const res = await this.call('getFeedDocument', (o) => this.feeds.getFeedDocument({ feedDocumentId }, o), signal);
    return res.data;
  }

  /** Polls getFeed until DONE, CANCELLED or FATAL. */
  async waitForFeed(feedId: string, poll: PollOptions = {}): Promise<Feed> {
    return this.pollUntilTerminal('getFeed', () => this.getFeed(feedId, poll.signal), poll);
  }

  /** Splits quantity updates into JSON_LISTINGS_FEED documents, uploads each and creates the feeds. */
  async submitQuantityFeed(
    entries: QuantityFeedEntry[],
    options: { marketplaceIds: string[]; signal?: AbortSignal } & SplitOptions,
  ): Promise<SubmittedListingsFeed[]> {
    const batches = splitQuantityFeed(this.sellerId, entries, options);
    const out: SubmittedListingsFeed[] = [];
    for (const batch of batches) out.push(await this.submitListingsFeedBatch(batch, options.marketplaceIds, options.signal));
    return out;
  }

  async submitListingsFeedBatch(batch: ListingsFeedBatch, marketplaceIds: string[], signal?: AbortSignal): Promise<SubmittedListingsFeed> {
    const doc = await this.createFeedDocument(LISTINGS_FEED_CONTENT_TYPE, signal);
    await this.uploadFeedDocument(doc.url, batch.body, LISTINGS_FEED_CONTENT_TYPE, signal);
    const feedId = await this.createFeed({ feedType: LISTINGS_FEED_TYPE, marketplaceIds, inputFeedDocumentId: doc.feedDocumentId }, signal);
    this.logger.info('Listings feed submitted', { sellerId: this.sellerId, feedId, messages: batch.entries.length, bytes: batch.byteLength });
    return { feedId, feedDocumentId: doc.feedDocumentId, messageCount: batch.entries.length, byteLength: batch.byteLength, entries: batch.entries };
  }

  /**
   * The state of a listings feed now: when it is terminal and has a result document, the parsed
   * processing report (per messageId: accepted / rejected with issues).
   */
  async getListingsFeedOutcome(feedId: string, messageCount?: number, signal?: AbortSignal): Promise<ListingsFeedOutcome> {
    const feed = await this.getFeed(feedId, signal);
    return this.outcomeOf(feed, messageCount, signal);
  }

  /** Waits for a listings feed to finish and parses its processing report. */
  async waitForListingsFeed(feedId: string, messageCount?: number, poll: PollOptions = {}): Promise<ListingsFeedOutcome> {
    const feed = await this.waitForFeed(feedId, poll);
    return this.outcomeOf(feed, messageCount, poll.signal);
  }

  private async outcomeOf(feed: Feed, messageCount: number | undefined, signal?: AbortSignal): Promise<ListingsFeedOutcome> {
    const outcome: ListingsFeedOutcome = { feedId: feed.feedId, processingStatus: feed.processingStatus };
    if (!TERMINAL.has(feed.processingStatus) || !feed.resultFeedDocumentId) return outcome;
    const doc = await this.getFeedDocument(feed.resultFeedDocumentId, signal);
    const text = await this.downloadDocument(doc, signal);
    const ids = messageCount ? Array.from({ length: messageCount }, (_, i) => i + 1) : [];
    outcome.report = parseProcessingReport(text, feed.processingStatus === 'DONE' ? ids : []);
    return outcome;
  }

  /** Downloads a feed/report document, gunzipping it when `compressionAlgorithm` is GZIP. */
  async downloadDocument(doc: { url: string; compressionAlgorithm?: string }, signal?: AbortSignal): Promise<string> {
    const res = await this.withRetries('downloadDocument', async () => {
      const r = await this.plain.get<ArrayBuffer>(doc.url, { responseType: 'arraybuffer', signal, decompress: true });
      if (r.status >= 200 && r.status < 300) return r;
      throw this.errorFrom('downloadDocument', r, 1);
    }, signal);
    let bytes = Buffer.from(res.data);
    if (doc.compressionAlgorithm === 'GZIP' || (bytes[0] === 0x1f && bytes[1] === 0x8b)) bytes = gunzipSync(bytes);
    const contentType = String(res.headers['content-type'] ?? '');
    const charset = /charset=([^;]+)/i.exec(contentType)?.[1]?.trim().toLowerCase();
    const encoding = charset && !['utf-8', 'utf8'].includes(charset) ? charset : 'utf-8';
    try {
      return new TextDecoder(encoding).decode(bytes);
    } catch {
      return bytes.toString('utf8');
    }
  }

  // ---------------------------------------------------------------- FBA Inventory API v1

  /** One page of inventory summaries. An expired `nextToken` throws `NextTokenExpiredError`: start again. */
  async getInventorySummaries(query: InventorySummariesQuery, signal?: AbortSignal): Promise<InventorySummariesPage> {
    try {
      const res = await this.call(
        'getInventorySummaries',
        (o) =>
          this.fba.getInventorySummaries(
            {
              granularityType: 'Marketplace',
              granularityId: query.marketplaceId,
              marketplaceIds: [query.marketplaceId],
              details: query.details ?? true,
              sellerSkus: query.sellerSkus,
              startDateTime: query.startDateTime,
              nextToken: query.nextToken,
            },
            o,
          ),
        signal,
      );
      return {
        granularity: res.data.payload?.granularity,
        summaries: res.data.payload?.inventorySummaries ?? [],
        nextToken: res.data.pagination?.nextToken || undefined,
      };
    } catch (err) {
      if (query.nextToken && err instanceof InvalidInputError && !(err instanceof NextTokenExpiredError) && /token/i.test(err.message)) {
        throw new NextTokenExpiredError(err.message, { operation: err.operation, status: err.status, amazonErrors: err.amazonErrors, requestId: err.requestId });
      }
      throw err;
    }
  }

  /** All pages of inventory summaries, one page at a time. Restart on `NextTokenExpiredError`. */
  async *inventorySummaryPages(query: Omit<InventorySummariesQuery, 'nextToken'>, signal?: AbortSignal): AsyncGenerator<InventorySummariesPage> {
    let nextToken: string | undefined;
    do {
      const page = await this.getInventorySummaries({ ...query, nextToken }, signal);
      yield page;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  // ---------------------------------------------------------------- Orders API v0

  async getOrders(query: OrdersQuery, signal?: AbortSignal): Promise<OrdersPage> {
    const res = await this.call(
      'getOrders',
      (o) =>
        this.orders.getOrders(
          {
            marketplaceIds: query.marketplaceIds,
            createdAfter: query.createdAfter,
            createdBefore: query.createdBefore,
            lastUpdatedAfter: query.lastUpdatedAfter,
            lastUpdatedBefore: query.lastUpdatedBefore,
            orderStatuses: query.orderStatuses,
            fulfillmentChannels: query.fulfillmentChannels,
            maxResultsPerPage: query.maxResultsPerPage,
            nextToken: query.nextToken,
          },
          o,
        ),
      signal,
    );
    const p = res.data.payload;
    return {
      orders: p?.Orders ?? [],
      nextToken: p?.NextToken || undefined,
      lastUpdatedBefore: p?.LastUpdatedBefore,
      createdBefore: p?.CreatedBefore,
    };
  }

  async *orderPages(query: Omit<OrdersQuery, 'nextToken'>, signal?: AbortSignal): AsyncGenerator<OrdersPage> {
    let nextToken: string | undefined;
    do {
      const page = await this.getOrders({ ...query, nextToken }, signal);
      yield page;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async getOrderItemsPage(orderId: string, nextToken?: string, signal?: AbortSignal): Promise<OrderItemsPage> {
    const res = await this.call('getOrderItems', (o) => this.orders.getOrderItems({ orderId, nextToken }, o), signal);
    const p = res.data.payload;
    return { amazonOrderId: p?.AmazonOrderId ?? orderId, items: p?.OrderItems ?? [], nextToken: p?.NextToken || undefined };
  }

  /** Every item of an order (all pages). */
  async getOrderItems(orderId: string, signal?: AbortSignal): Promise<OrderItem[]> {
    const items: OrderItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.getOrderItemsPage(orderId, nextToken, signal);
      items.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return items;
  }

  // ---------------------------------------------------------------- Reports API 2021-06-30

  async createReport(spec: { reportType: string; marketplaceIds: string[]; dataStartTime?: string; dataEndTime?: string }, signal?: AbortSignal): Promise<string> {
    const res = await this.call('createReport', (o) => this.reports.createReport({ body: spec }, o), signal);
    return res.data.reportId;
  }

  async getReport(reportId: string, signal?: AbortSignal): Promise<Report> {
    const res = await this.call('getReport', (o) => this.reports.getReport({ reportId }, o), signal);
    return res.data;
  }

  async getReportDocument(reportDocumentId: string, signal?: AbortSignal): Promise<ReportDocument> {
    const res = await this.call('getReportDocument', (o) => this.reports.getReportDocument({ reportDocumentId }, o), signal);
    return res.data;
  }

  async waitForReport(reportId: string, poll: PollOptions = {}): Promise<Report> {
    return this.pollUntilTerminal('getReport', () => this.getReport(reportId, poll.signal), poll);
  }

  /**
   * Requests a tab-separated report, waits for it, downloads and parses it into rows keyed by the
   * header. A CANCELLED report (Amazon's answer when there is no data) gives no rows.
   */
  async fetchTabularReport(
    spec: { reportType: string; marketplaceIds: string[]; dataStartTime?: string },
    poll: PollOptions = {},
  ): Promise<Record<string, string>[]> {
    const reportId = await this.createReport(spec, poll.signal);
    const report = await this.waitForReport(reportId, poll);
    if (report.processingStatus === 'CANCELLED') return [];
    if (report.processingStatus !== 'DONE' || !report.reportDocumentId) {
      throw new ProcessingError(`Report ${reportId} (${spec.reportType}) ended ${report.processingStatus}`, {
        operation: 'getReport',
        processingStatus: report.processingStatus,
      });
    }
    const doc = await this.getReportDocument(report.reportDocumentId, poll.signal);
    return parseTsv(await this.downloadDocument(doc, poll.signal));
  }

  // ---------------------------------------------------------------- Sellers API v1

  /** The marketplaces the seller participates in (no typed SDK package: plain call). */
  async getMarketplaceParticipations(signal?: AbortSignal): Promise<MarketplaceParticipation[]> {
    const res = await this.call(
      'getMarketplaceParticipations',
      (o) => this.http.get<{ payload?: MarketplaceParticipation[] }>(`${this.endpoint}/sellers/v1/marketplaceParticipations`, o),
      signal,
    );
    return res.data.payload ?? [];
  }

  // ---------------------------------------------------------------- machinery

  /** The limiter key of an operation for this client. */
  rateLimitKey(operation: SpApiOperation): string {
    return `${this.sellerId}|${this.region}|${operation}`;
  }

  private async pollUntilTerminal<T extends { processingStatus: string }>(label: string, fetch: () => Promise<T>, poll: PollOptions): Promise<T> {
    const interval = poll.pollIntervalMs ?? this.options.pollIntervalMs ?? 30_000;
    const timeout = poll.timeoutMs ?? this.options.pollTimeoutMs ?? 4 * 3600_000;
    let wait = Math.min(interval, poll.initialPollIntervalMs ?? this.options.initialPollIntervalMs ?? interval);
    const started = Date.now();
    for (;;) {
      const current = await fetch();
      if (TERMINAL.has(current.processingStatus)) return current;
      if (Date.now() - started + wait > timeout) {
        throw new ProcessingError(`${label}: still ${current.processingStatus} after ${Date.now() - started} ms`, {
          operation: label,
          processingStatus: current.processingStatus,
        });
      }
      await sleep(wait, poll.signal);
      wait = Math.min(interval, wait * 2);
    }
  }

  /** Runs an SP-API operation through the rate limiter with retries; answers 2xx or throws a typed error. */
  private async call<T>(
    operation: SpApiOperation,
    run: (options: RawAxiosRequestConfig) => Promise<AxiosResponse<T>>,
    signal?: AbortSignal,
    priority: CallPriority = 'normal',
  ): Promise<AxiosResponse<T>> {
    const key = this.rateLimitKey(operation);
    let reauthorized = false;
    return this.withRetries(
      operation,
      async (attempt) => {
        // Token first: a slow token exchange must not bunch up calls the limiter already released.
        await this.tokens.getAccessToken();
        await this.limiter.acquire(key, this.limits[operation], signal, priority);
        const res = await run({ signal });
        this.retuneFrom(res, key, operation);
        if (res.status >= 200 && res.status < 300) return res;
        const error = this.errorFrom(operation, res, attempt);
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

  private async withRetries<T>(label: string, attemptFn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let error: SpApiError;
      try {
        return await attemptFn(attempt);
      } catch (err) {
        if (signal?.aborted) throw err;
        error = this.normalize(label, err, attempt);
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

  private normalize(label: string, err: unknown, attempt: number): SpApiError {
    if (err instanceof SpApiError) {
      if (err.attempts === attempt) return err;
      return rebuild(err, attempt);
    }
    if (err instanceof Error && err.name === 'RequiredError') {
      // The generated SDK refuses a call without a required parameter before sending it.
      return new InvalidInputError(`SP-API ${label}: ${err.message}`, { operation: label, attempts: attempt });
    }
    const code = (err as { code?: string }).code;
    if (axios.isAxiosError(err) || code) {
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      return new TimeoutError(`SP-API ${label}: ${timedOut ? 'no answer in time' : `connection failed (${code ?? 'network error'})`}`, {
        operation: label,
        attempts: attempt,
      });
    }
    const message = err instanceof Error ? err.message : String(err);
    return new SpApiError(this.redactor.redact(`SP-API ${label}: ${message}`), { operation: label, attempts: attempt });
  }

  private errorFrom(operation: string, res: AxiosResponse, attempt: number): SpApiError {
    let body: unknown = res.data;
    if (body instanceof ArrayBuffer || Buffer.isBuffer(body)) {
      try {
        body = JSON.parse(Buffer.from(body as ArrayBuffer).toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    const amazonErrors = readAmazonErrors(body).map((e) => ({
      code: this.redactor.redact(e.code),
      message: this.redactor.redact(e.message),
      ...(e.details !== undefined ? { details: this.redactor.redact(e.details) } : {}),
    }));
    const status = res.status;
    const text = describeAmazonErrors(amazonErrors);
    const message = `SP-API ${operation} answered ${status}${text ? `: ${text}` : ''}`;
    const init: SpApiErrorInit = {
      operation,
      status,
      amazonErrors,
      requestId: headerValue(res, 'x-amzn-requestid'),
      attempts: attempt,
    };
    if (status === 429) return new ThrottledError(message, { ...init, rateLimit: rateFromHeader(res) });
    if (status === 401 || status === 403) return new UnauthorizedError(message, init);
    if (status === 404) return new NotFoundError(message, init);
    if (status >= 500) return new ServerError(message, init);
    if (status >= 400) return new InvalidInputError(message, init);
    return new SpApiError(message, init);
  }

  private retuneFrom(res: AxiosResponse, key: string, operation: SpApiOperation): void {
    const rate = rateFromHeader(res);
    if (rate !== undefined && this.limiter.retune(key, rate)) {
      this.logger.debug('SP-API rate limit retuned from x-amzn-RateLimit-Limit', { sellerId: this.sellerId, operation, rate });
    }
  }
}

function headerValue(res: AxiosResponse, name: string): string | undefined {
  const v = res.headers?.[name];
  return v === undefined || v === null ? undefined : String(v);
}

function rateFromHeader(res: AxiosResponse): number | undefined {
  const v = headerValue(res, 'x-amzn-ratelimit-limit');
  if (v === undefined) return undefined;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function rebuild(err: SpApiError, attempts: number): SpApiError {
  const Ctor = err.constructor as new (message: string, init: SpApiErrorInit & Record<string, unknown>) => SpApiError;
  return new Ctor(err.message, {
    operation: err.operation,
    status: err.status,
    amazonErrors: err.amazonErrors,
    requestId: err.requestId,
    attempts,
    ...(err instanceof ThrottledError ? { rateLimit: err.rateLimit } : {}),
    ...(err instanceof ProcessingError ? { processingStatus: err.processingStatus } : {}),
  });
}

function toPatchResult(
  data: { sku?: string; status?: string; submissionId?: string; issues?: Issue[]; identifiers?: Array<{ marketplaceId?: string; asin?: string }> },
  sku: string,
): PatchResult {
  return {
    sku: data.sku ?? sku,
    status: (data.status as PatchResult['status']) ?? 'INVALID',
    submissionId: data.submissionId ?? '',
    issues: data.issues ?? [],
    ...(data.identifiers ? { identifiers: data.identifiers } : {}),
  };
}
