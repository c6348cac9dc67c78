import { marketplace } from './marketplaces';
import { applyAvailabilityPatches, patchIssues } from './listings.routes';
import { fbaKey, poolKey, type FeedRecord, type SandboxState } from './sandbox-state';

export interface ReportIssue {
  messageId?: number;
  sku?: string;
  code: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  message: string;
  attributeName?: string;
}

export interface ProcessingReport {
  header: { sellerId: string; version: '2.0'; feedId: string };
  issues: ReportIssue[];
  summary: {
    errors: number;
    warnings: number;
    messagesProcessed: number;
    messagesAccepted: number;
    messagesInvalid: number;
  };
}

const OPERATIONS = ['UPDATE', 'PARTIAL_UPDATE', 'PATCH', 'DELETE'];

function report(feed: FeedRecord, issues: ReportIssue[], processed: number, invalidIds: Set<number>): ProcessingReport {
  return {
    header: { sellerId: feed.sellerId, version: '2.0', feedId: feed.feedId },
    issues,
    summary: {
      errors: issues.filter((i) => i.severity === 'ERROR').length,
      warnings: issues.filter((i) => i.severity === 'WARNING').length,
      messagesProcessed: processed,
      messagesAccepted: processed - invalidIds.size,
      messagesInvalid: invalidIds.size,
    },
  };
}

/** A report for a feed that could not be processed at all. */
export function fatalReport(feed: FeedRecord, message: string): ProcessingReport {
  return report(feed, [{ code: '4000000', severity: 'ERROR', message }], 0, new Set());
}

/**
 * Processes a JSON_LISTINGS_FEED document (listings-feed-schema-v2) against the sandbox's listings and
 * returns the outcome and its processing report (listings-feed-processing-report-schema-v2).
 */
export function processListingsFeed(state: SandboxState, feed: FeedRecord, content: string): { status: 'DONE' | 'FATAL'; report: ProcessingReport } {
  let doc: { header?: { sellerId?: unknown; version?: unknown }; messages?: unknown };
  try {
    doc = JSON.parse(content);
  } catch {
    return { status: 'FATAL', report: fatalReport(feed, 'The feed document is not valid JSON.') };
  }
  if (!doc || typeof doc !== 'object' || !doc.header || typeof doc.header !== 'object') {
    return { status: 'FATAL', report: fatalReport(feed, "The feed document has no 'header'.") };
  }
  if (doc.header.version !== '2.0') return { status: 'FATAL', report: fatalReport(feed, "The feed header 'version' must be \"2.0\".") };
  if (doc.header.sellerId !== feed.sellerId) {
    return { status: 'FATAL', report: fatalReport(feed, "The feed header 'sellerId' does not match the seller that submitted the feed.") };
  }
  if (!Array.isArray(doc.messages) || doc.messages.length === 0 || doc.messages.length > 25_000) {
    return { status: 'FATAL', report: fatalReport(feed, "The feed must have between 1 and 25,000 'messages'.") };
  }
  const issues: ReportIssue[] = [];
  const invalid = new Set<number>();
  const seen = new Set<number>();
  const mps = feed.marketplaceIds.filter((m) => marketplace(m));
  for (const raw of doc.messages as Array<Record<string, unknown>>) {
    const messageId = raw?.['messageId'];
    const sku = raw?.['sku'];
    const err = (code: string, message: string, attributeName?: string) => {
      const id = typeof messageId === 'number' && Number.isInteger(messageId) && messageId >= 1 ? messageId : undefined;
      issues.push({
        ...(id !== undefined ? { messageId: id } : {}),
        ...(typeof sku === 'string' && sku !== '' ? { sku } : {}),
        code,
        severity: 'ERROR',
        message,
        ...(attributeName ? { attributeName } : {}),
      });
      if (id !== undefined) invalid.add(id);
    };
    if (typeof messageId !== 'number' || !Number.isInteger(messageId) || messageId < 1) {
      err('4000001', "The message has no valid 'messageId'.");
      continue;
    }
    if (seen.has(messageId)) {
      err('4000001', `The 'messageId' ${messageId} is used more than once.`);
      continue;
    }
    seen.add(messageId);
    if (typeof sku !== 'string' || sku === '') {
      err('4000001', "The message has no 'sku'.");
      continue;
    }
    const op = raw['operationType'];
    if (typeof op !== 'string' || !OPERATIONS.includes(op)) {
      err('4000001', "The message has no valid 'operationType'.");
      continue;
    }
    if (state.isInvalidSku(feed.sellerId, sku)) {
      err('90000900', `The attributes are invalid for SKU '${sku}'.`, 'fulfillment_availability');
      continue;
    }
    const listing = state.getListing(feed.sellerId, sku);
    if (op === 'DELETE') {
      if (listing) {
        state.listings.delete(`${feed.sellerId}\u0000${sku}`);
        for (const m of listing.marketplaceIds) {
          state.availability.delete(poolKey(feed.sellerId, m, sku));
          state.fba.delete(fbaKey(feed.sellerId, m, sku));
        }
      }
      continue;
    }
    if (typeof raw['productType'] !== 'string' || raw['productType'] === '') {
      err('4000001', "The message requires a 'productType'.");
      continue;
    }
    if (!listing) {
      err('4000001', `SKU '${sku}' does not exist for this seller in the requested marketplaces.`);
      continue;
    }
    let patches: Array<{ op: string; path: string; value?: unknown[] }>;
    if (op === 'PATCH') {
      if (!Array.isArray(raw['patches']) || raw['patches'].length === 0) {
        err('4000001', "PATCH messages require 'patches'.");
        continue;
      }
      patches = raw['patches'] as typeof patches;
      if (patches.some((p) => !p || !['add', 'replace', 'merge', 'delete'].includes(p.op) || typeof p.path !== 'string')) {
        err('4000001', 'The message has an invalid patch operation.');
        continue;
      }
    } else {
      const attributes = raw['attributes'] as Record<string, unknown[]> | undefined;
      if (!attributes || typeof attributes !== 'object') {
        err('4000001', `${op} messages require 'attributes'.`);
        continue;
      }
      patches = attributes['fulfillment_availability']
        ? [{ op: 'replace', path: '/attributes/fulfillment_availability', value: attributes['fulfillment_availability'] }]
        : [];
    }
    const problems = patchIssues(patches);
    if (problems.length > 0) {
      for (const p of problems) err(p.code, p.message, 'fulfillment_availability');
      continue;
    }
    applyAvailabilityPatches(state, listing, mps, patches);
  }
  return { status: 'DONE', report: report(feed, issues, (doc.messages as unknown[]).length, invalid) };
}
