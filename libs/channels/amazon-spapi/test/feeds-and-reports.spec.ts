import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { NextTokenExpiredError, splitQuantityFeed, TERMINAL_PROCESSING_STATUSES, type ListingsFeedOutcome, type SpApiClient } from '../src';
import { clientFor, sandbox, seedSeller, EU_UK, EU_DE, AMAZON_MODELS, type AmazonSandbox } from './support/sandbox';

const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(AMAZON_MODELS, 'schemas', name), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: false });
addFormats(ajv);
const validateFeed = ajv.compile(schema('listings-feed-schema-v2.json'));
const validateReport = ajv.compile(schema('listings-feed-processing-report-schema-v2.json'));

/** Reads a feed's outcome until Amazon has finished with it, as the MFN plugin's confirmations do. */
async function finishedOutcome(c: SpApiClient, feedId: string, messageCount: number, pollIntervalMs: number): Promise<ListingsFeedOutcome> {
  for (;;) {
    const outcome = await c.feeds.getListingsFeedOutcome(feedId, messageCount);
    if (TERMINAL_PROCESSING_STATUSES.has(outcome.processingStatus)) return outcome;
    await new Promise((r) => setTimeout(r, pollIntervalMs));
  }
}

describe('SpApiClient against the sandbox: feeds, reports, FBA inventory', () => {
  let sb: AmazonSandbox;
  afterEach(() => sb.close());

  it('round-trips a JSON_LISTINGS_FEED of 25,000 messages; documents and reports validate against Amazon schemas', async () => {
    sb = await sandbox({ feedProcessingDelayMs: 50 });
    seedSeller(sb, 'FEED');
    const n = 25_000;
    const entries = Array.from({ length: n }, (_, i) => ({ sku: `SKU ${i}/#${i % 7}`, quantity: i % 100, ref: `u${i}` }));
    sb.admin.seedListings(entries.map((e) => ({ sellerId: 'FEED', sku: e.sku, marketplaceId: EU_UK, quantity: 999, leadTimeToShipMaxDays: 3 })));
    sb.admin.markSkusInvalid([entries[10].sku, entries[20_000].sku]);
    const c = clientFor(sb, 'FEED');
    const batches = splitQuantityFeed('FEED', entries);
    expect(batches).toHaveLength(1);
    expect(validateFeed(JSON.parse(batches[0].body))).toBe(true);

    const submitted = [await c.feeds.submitListingsFeedBatch(batches[0], [EU_DE])];
    expect(submitted).toHaveLength(1);
    expect(submitted[0].messageCount).toBe(n);
    const outcome = await finishedOutcome(c, submitted[0].feedId, n, 25);
    expect(outcome.processingStatus).toBe('DONE');
    const results = outcome.report!.results;
    expect(results.size).toBe(n);
    const rejected = [...results.values()].filter((r) => r.status === 'rejected');
    expect(rejected.map((r) => submitted[0].entries[r.messageId - 1].ref)).toEqual(['u10', 'u20000']);
    expect(outcome.report!.summary).toMatchObject({ messagesProcessed: n, messagesAccepted: n - 2, messagesInvalid: 2 });
    // EU: the DE feed set the seller's SKU quantity (shared with UK); merge kept the lead time.
    expect(sb.admin.quantities({ sellerId: 'FEED', sku: entries[42].sku })[0]).toMatchObject({ quantity: 42, leadTimeToShipMaxDays: 3 });
    expect(sb.admin.quantities({ sellerId: 'FEED', sku: entries[10].sku })[0]).toMatchObject({ quantity: 999 });

    // Every processing report the sandbox stored validates against Amazon's report schema.
    const reports = [...sb.state.documents.values()].filter((d) => d.kind === 'feed-result');
    expect(reports.length).toBeGreaterThan(0);
    for (const d of reports) {
      const json = JSON.parse((d.compressionAlgorithm === 'GZIP' ? gunzipSync(d.content!) : d.content!).toString('utf8'));
      expect(validateReport(json)).toBe(true);
    }
  }, 60_000);

  it('reports a FATAL feed and its feed-level issue; the report still validates', async () => {
    sb = await sandbox({ gzipDocuments: false });
    seedSeller(sb, 'FEED');
    sb.admin.seedListings({ sellerId: 'FEED', sku: 'A', marketplaceId: EU_UK });
    sb.admin.failNextFeeds(1);
    const c = clientFor(sb, 'FEED');
    const [batch] = splitQuantityFeed('FEED', [{ sku: 'A', quantity: 1 }]);
    const feed = await c.feeds.submitListingsFeedBatch(batch, [EU_UK]);
    const outcome = await finishedOutcome(c, feed.feedId, 1, 10);
    expect(outcome.processingStatus).toBe('FATAL');
    expect(outcome.report!.feedIssues[0]).toMatchObject({ severity: 'ERROR' });
    expect(outcome.report!.results.size).toBe(0);
    for (const d of [...sb.state.documents.values()].filter((x) => x.kind === 'feed-result')) {
      expect(validateReport(JSON.parse(d.content!.toString('utf8')))).toBe(true);
    }
  });

  it('fetches and parses both tab-separated reports', async () => {
    sb = await sandbox();
    seedSeller(sb, 'REP');
    sb.admin.seedListings([
      { sellerId: 'REP', sku: 'M-1', marketplaceId: EU_UK, quantity: 4, title: 'Mug' },
      { sellerId: 'REP', sku: 'M-2', marketplaceId: EU_UK, quantity: 0 },
    ]);
    sb.admin.seedFba({ sellerId: 'REP', marketplaceId: EU_UK, sku: 'F-1', fulfillable: 9, reserved: 2, inboundShipped: 5 });
    const c = clientFor(sb, 'REP');
    const listings = await c.reports.fetchTabularReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [EU_UK] }, { pollIntervalMs: 10 });
    expect(listings.map((r) => [r['seller-sku'], r['quantity'], r['fulfillment-channel']])).toEqual([
      ['F-1', '', 'AMAZON_EU'],
      ['M-1', '4', 'DEFAULT'],
      ['M-2', '0', 'DEFAULT'],
    ]);
    expect(listings[1]['item-name']).toBe('Mug');
    const fba = await c.reports.fetchTabularReport({ reportType: 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA', marketplaceIds: [EU_UK] }, { pollIntervalMs: 10 });
    expect(fba).toEqual([expect.objectContaining({ sku: 'F-1', 'afn-fulfillable-quantity': '9', 'afn-reserved-quantity': '2', 'afn-inbound-shipped-quantity': '5' })]);
  });

  it('polls from initialPollIntervalMs, doubling up to pollIntervalMs', async () => {
    sb = await sandbox({ reportProcessingDelayMs: 300 });
    seedSeller(sb, 'POLL');
    sb.admin.seedListings({ sellerId: 'POLL', sku: 'P-1', marketplaceId: EU_UK, quantity: 1 });
    const c = clientFor(sb, 'POLL', { initialPollIntervalMs: 20, pollIntervalMs: 60_000 });
    const started = Date.now();
    const rows = await c.reports.fetchTabularReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [EU_UK] });
    expect(rows.map((r) => r['seller-sku'])).toEqual(['P-1']);
    // Waits of 20, 40, 80, 160 ms ...: several polls, and never a wait of the 60 s interval.
    expect(sb.admin.calls({ sellerId: 'POLL', operation: 'getReport' }).length).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('pages FBA inventory summaries and surfaces an expired nextToken as NextTokenExpiredError', async () => {
    sb = await sandbox({ inventoryPageSize: 3, inventoryNextTokenTtlMs: 800, rateLimits: 'off' });
    seedSeller(sb, 'FBA');
    sb.admin.seedFba(Array.from({ length: 8 }, (_, i) => ({ sellerId: 'FBA', marketplaceId: EU_UK, sku: `F-${i}`, fulfillable: i, reserved: 1 })));
    const c = clientFor(sb, 'FBA');
    const pages = [];
    for await (const page of c.fbaInventory.inventorySummaryPages({ marketplaceId: EU_UK })) pages.push(page);
    expect(pages.map((p) => p.summaries.length)).toEqual([3, 3, 2]);
    expect(pages[0].summaries[1]).toMatchObject({ sellerSku: 'F-1', inventoryDetails: { fulfillableQuantity: 1, reservedQuantity: { totalReservedQuantity: 1 } } });
    const first = await c.fbaInventory.getInventorySummaries({ marketplaceId: EU_UK });
    await new Promise((r) => setTimeout(r, 900));
    await expect(c.fbaInventory.getInventorySummaries({ marketplaceId: EU_UK, nextToken: first.nextToken })).rejects.toBeInstanceOf(NextTokenExpiredError);
  });
});
