/**
 * JSON_LISTINGS_FEED documents (schemas/listings-feed-schema-v2.json) for quantity updates, their
 * splitting into feeds Amazon accepts, and the processing report (listings-feed-processing-report-schema-v2.json).
 */

export const LISTINGS_FEED_TYPE = 'JSON_LISTINGS_FEED';
export const LISTINGS_FEED_CONTENT_TYPE = 'application/json; charset=UTF-8';
/** Amazon's limit of messages per JSON_LISTINGS_FEED. */
export const MAX_FEED_MESSAGES = 25_000;
/** Amazon asks to keep a feed file under 10 MB; we stay a little below. */
export const MAX_FEED_BYTES = 10 * 1024 * 1024 - 64 * 1024;

export type PatchOp = 'merge' | 'replace';

export interface FulfillmentAvailabilityValue {
  fulfillment_channel_code: 'DEFAULT';
  quantity: number;
  lead_time_to_ship_max_days?: number;
}

export interface ListingsPatch {
  op: PatchOp;
  path: '/attributes/fulfillment_availability';
  value: FulfillmentAvailabilityValue[];
}

export interface ListingsFeedMessage {
  messageId: number;
  sku: string;
  operationType: 'PATCH';
  productType: string;
  patches: ListingsPatch[];
}

export interface ListingsFeedDocument {
  header: { sellerId: string; version: '2.0'; issueLocale?: string };
  messages: ListingsFeedMessage[];
}

/** One quantity to send by feed. `ref` is the caller's id, handed back with the result. */
export interface QuantityFeedEntry {
  sku: string;
  quantity: number;
  ref?: string;
  /** Default `PRODUCT` (Amazon accepts it for offer-only patches of existing listings). */
  productType?: string;
  /** Default `merge`: keeps lead_time_to_ship_max_days and restock_date untouched. */
  op?: PatchOp;
}

/** The patch that sets a listing's merchant-fulfilled quantity. */
export function quantityPatch(quantity: number, op: PatchOp = 'merge'): ListingsPatch {
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`Quantity must be an integer >= 0, got ${quantity}`);
  return {
    op,
    path: '/attributes/fulfillment_availability',
    value: [{ fulfillment_channel_code: 'DEFAULT', quantity }],
  };
}

export function quantityMessage(messageId: number, entry: QuantityFeedEntry): ListingsFeedMessage {
  if (!entry.sku) throw new RangeError('SKU must not be empty');
  return {
    messageId,
    sku: entry.sku,
    operationType: 'PATCH',
    productType: entry.productType ?? 'PRODUCT',
    patches: [quantityPatch(entry.quantity, entry.op ?? 'merge')],
  };
}

export function buildListingsFeedDocument(
  sellerId: string,
  messages: ListingsFeedMessage[],
  options: { issueLocale?: string } = {},
): ListingsFeedDocument {
  return {
    header: { sellerId, version: '2.0', ...(options.issueLocale ? { issueLocale: options.issueLocale } : {}) },
    messages,
  };
}

/** One feed to submit: its document, its serialized form and the entries by messageId. */
export interface ListingsFeedBatch {
  document: ListingsFeedDocument;
  body: string;
  byteLength: number;
  /** `entries[messageId - 1]` is the entry of that message. */
  entries: QuantityFeedEntry[];
}

export interface SplitOptions {
  issueLocale?: string;
  maxMessages?: number;
  maxBytes?: number;
}

/**
 * Builds the feeds for a list of quantity updates: at most `maxMessages` (25,000) messages and under
 * `maxBytes` (10 MB) each, message IDs 1..n within each feed, entries kept in order.
 */
export function splitQuantityFeed(sellerId: string, entries: QuantityFeedEntry[], options: SplitOptions = {}): ListingsFeedBatch[] {
  const maxMessages = Math.min(options.maxMessages ?? MAX_FEED_MESSAGES, MAX_FEED_MESSAGES);
  const maxBytes = options.maxBytes ?? MAX_FEED_BYTES;
  const emptyDoc = JSON.stringify(buildListingsFeedDocument(sellerId, [], options));
  const overhead = Buffer.byteLength(emptyDoc, 'utf8');
  const batches: ListingsFeedBatch[] = [];
  let current: { parts: string[]; messages: ListingsFeedMessage[]; entries: QuantityFeedEntry[]; bytes: number } | undefined;

  const flush = () => {
    if (!current || current.messages.length === 0) return;
    const header = JSON.stringify(buildListingsFeedDocument(sellerId, [], options).header);
    const body = `{"header":${header},"messages":[${current.parts.join(',')}]}`;
    batches.push({
      document: buildListingsFeedDocument(sellerId, current.messages, options),
      body,
      byteLength: Buffer.byteLength(body, 'utf8'),
      entries: current.entries,
    });
    current = undefined;
  };

  for (const entry of entries) {
    if (!current) current = { parts: [], messages: [], entries: [], bytes: overhead };
    let message = quantityMessage(current.messages.length + 1, entry);
    let part = JSON.stringify(message);
    let size = Buffer.byteLength(part, 'utf8') + (current.parts.length > 0 ? 1 : 0);
    if (current.messages.length >= maxMessages || (current.messages.length > 0 && current.bytes + size > maxBytes)) {
      flush();
      current = { parts: [], messages: [], entries: [], bytes: overhead };
      message = quantityMessage(1, entry);
      part = JSON.stringify(message);
      size = Buffer.byteLength(part, 'utf8');
    }
    if (overhead + size > maxBytes) throw new RangeError(`One message for SKU "${entry.sku}" exceeds the feed size limit`);
    current.parts.push(part);
    current.messages.push(message);
    current.entries.push(entry);
    current.bytes += size;
  }
  flush();
  return batches;
}

/** An issue of the processing report. */
export interface ReportIssue {
  messageId?: number;
  sku?: string;
  code?: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  message: string;
  attributeName?: string;
}

export interface ProcessingReportSummary {
  errors: number;
  warnings: number;
  messagesProcessed: number;
  messagesAccepted: number;
  messagesInvalid: number;
}

export interface MessageResult {
  messageId: number;
  sku?: string;
  /** `rejected` when the message has an ERROR issue; WARNING/INFO only means accepted. */
  status: 'accepted' | 'rejected';
  issues: ReportIssue[];
}

export interface ParsedProcessingReport {
  feedId?: string;
  summary?: ProcessingReportSummary;
  /** One result per message: every `messageIds` given, plus any message the report names. */
  results: Map<number, MessageResult>;
  /** Issues not tied to a message (feed-level). */
  feedIssues: ReportIssue[];
}

/** Parses a processing report (object or JSON text) into per-message results. */
export function parseProcessingReport(report: unknown, messageIds: Iterable<number> = []): ParsedProcessingReport {
  const data = (typeof report === 'string' ? JSON.parse(report) : report) as Record<string, unknown> | null;
  if (!data || typeof data !== 'object') throw new Error('Processing report is not a JSON object');
  const results = new Map<number, MessageResult>();
  for (const id of messageIds) results.set(id, { messageId: id, status: 'accepted', issues: [] });
  const feedIssues: ReportIssue[] = [];
  const issues = Array.isArray(data['issues']) ? (data['issues'] as Array<Record<string, unknown>>) : [];
  for (const raw of issues) {
    const issue: ReportIssue = {
      severity: (raw['severity'] as ReportIssue['severity']) ?? 'ERROR',
      message: String(raw['message'] ?? ''),
      ...(raw['messageId'] !== undefined ? { messageId: Number(raw['messageId']) } : {}),
      ...(raw['sku'] !== undefined ? { sku: String(raw['sku']) } : {}),
      ...(raw['code'] !== undefined ? { code: String(raw['code']) } : {}),
      ...(raw['attributeName'] !== undefined ? { attributeName: String(raw['attributeName']) } : {}),
    };
    if (issue.messageId === undefined || !Number.isFinite(issue.messageId)) {
      feedIssues.push(issue);
      continue;
    }
    let r = results.get(issue.messageId);
    if (!r) {
      r = { messageId: issue.messageId, status: 'accepted', issues: [] };
      results.set(issue.messageId, r);
    }
    if (issue.sku && !r.sku) r.sku = issue.sku;
    r.issues.push(issue);
    if (issue.severity === 'ERROR') r.status = 'rejected';
  }
  const header = (data['header'] ?? {}) as Record<string, unknown>;
  const summary = data['summary'] as ProcessingReportSummary | undefined;
  return {
    ...(header['feedId'] !== undefined ? { feedId: String(header['feedId']) } : {}),
    ...(summary ? { summary } : {}),
    results,
    feedIssues,
  };
}
