import { FeedsApi, type Feed, type FeedDocument } from '@sp-api-sdk/feeds-api-2021-06-30';
import { TERMINAL_PROCESSING_STATUSES, type SpApiDocuments } from '../documents';
import {
  LISTINGS_FEED_CONTENT_TYPE,
  LISTINGS_FEED_TYPE,
  parseProcessingReport,
  type ListingsFeedBatch,
  type ParsedProcessingReport,
  type QuantityFeedEntry,
} from '../listings-feed';
import type { SpApiTransport } from '../transport/sp-api-transport';

export type { Feed, FeedDocument } from '@sp-api-sdk/feeds-api-2021-06-30';

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

/** Feeds API 2021-06-30, and JSON_LISTINGS_FEED submission and results on top of it. */
export class FeedsClient {
  private readonly api: FeedsApi;

  constructor(
    private readonly transport: SpApiTransport,
    private readonly documents: SpApiDocuments,
  ) {
    this.api = transport.sdk(FeedsApi);
  }

  async createFeedDocument(contentType: string, signal?: AbortSignal): Promise<{ feedDocumentId: string; url: string }> {
    const res = await this.transport.call('createFeedDocument', (o) => this.api.createFeedDocument({ body: { contentType } }, o), signal);
    return { feedDocumentId: res.data.feedDocumentId, url: res.data.url };
  }

  async createFeed(spec: { feedType: string; marketplaceIds: string[]; inputFeedDocumentId: string }, signal?: AbortSignal): Promise<string> {
    const res = await this.transport.call('createFeed', (o) => this.api.createFeed({ body: spec }, o), signal);
    return res.data.feedId;
  }

  async getFeed(feedId: string, signal?: AbortSignal): Promise<Feed> {
    const res = await this.transport.call('getFeed', (o) => this.api.getFeed({ feedId }, o), signal);
    return res.data;
  }

  async getFeedDocument(feedDocumentId: string, signal?: AbortSignal): Promise<FeedDocument> {
    const res = await this.transport.call('getFeedDocument', (o) => this.api.getFeedDocument({ feedDocumentId }, o), signal);
    return res.data;
  }

  /** Uploads one JSON_LISTINGS_FEED document (see `splitQuantityFeed`) and creates its feed. */
  async submitListingsFeedBatch(batch: ListingsFeedBatch, marketplaceIds: string[], signal?: AbortSignal): Promise<SubmittedListingsFeed> {
    const doc = await this.createFeedDocument(LISTINGS_FEED_CONTENT_TYPE, signal);
    await this.documents.upload(doc.url, batch.body, LISTINGS_FEED_CONTENT_TYPE, signal);
    const feedId = await this.createFeed({ feedType: LISTINGS_FEED_TYPE, marketplaceIds, inputFeedDocumentId: doc.feedDocumentId }, signal);
    this.transport.logger.info('Listings feed submitted', { sellerId: this.transport.sellerId, feedId, messages: batch.entries.length, bytes: batch.byteLength });
    return { feedId, feedDocumentId: doc.feedDocumentId, messageCount: batch.entries.length, byteLength: batch.byteLength, entries: batch.entries };
  }

  /**
   * The state of a listings feed now: when it is terminal and has a result document, the parsed
   * processing report (per messageId: accepted / rejected with issues).
   */
  async getListingsFeedOutcome(feedId: string, messageCount?: number, signal?: AbortSignal): Promise<ListingsFeedOutcome> {
    const feed = await this.getFeed(feedId, signal);
    const outcome: ListingsFeedOutcome = { feedId: feed.feedId, processingStatus: feed.processingStatus };
    if (!TERMINAL_PROCESSING_STATUSES.has(feed.processingStatus) || !feed.resultFeedDocumentId) return outcome;
    const doc = await this.getFeedDocument(feed.resultFeedDocumentId, signal);
    const text = await this.documents.download(doc, signal);
    const ids = messageCount ? Array.from({ length: messageCount }, (_, i) => i + 1) : [];
    outcome.report = parseProcessingReport(text, feed.processingStatus === 'DONE' ? ids : []);
    return outcome;
  }
}
