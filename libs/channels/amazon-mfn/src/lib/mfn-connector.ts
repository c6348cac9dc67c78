import { setMaxListeners } from 'node:events';
import type {
  ChannelConnector,
  ChannelInstance,
  DeliveryConfirmation,
  HealthResult,
  PluginLogger,
  QuantityBatch,
  QuantityResult,
  QuantityUpdate,
  RemoteListing,
  RemoteQuantity,
} from '@invsync/plugin-api';
import { type ListingsItem, NotFoundError, type QuantityFeedEntry, type SpApiClient, splitQuantityFeed } from '@invsync/amazon-spapi';
import { type AmazonMfnPluginOptions, createClient } from './client-factory';
import { feedReceipt, parseReceipt, patchReceipt } from './receipts';
import { DEFAULT_FEED_THRESHOLD, DEFAULT_PRODUCT_TYPE, type AmazonMfnSettings } from './settings';
import { meaningOf, messageOf } from './sp-api-errors';
import { quantityToSend } from './unrecorded-sales';
import { isMerchantFulfilled, type MerchantListingRow, toMerchantListingRow } from './merchant-listing-row';

export { isMerchantFulfilled, type MerchantListingRow, toMerchantListingRow } from './merchant-listing-row';

export const MERCHANT_LISTINGS_REPORT = 'GET_MERCHANT_LISTINGS_ALL_DATA';
const PAGE = 5000;
const DEFAULT_CONFIRM_READS = 50;
const DEFAULT_PATCH_APPLY_GRACE_MS = 15 * 60_000;
/** A SKU seen merchant-fulfilled this recently is patched without a read first. */
const DEFAULT_MERCHANT_CHECK_TTL_MS = 15 * 60_000;

/** An accepted patch to confirm, from its receipt. */
interface PatchToConfirm {
  receipt: string;
  updateId: string;
  sku: string;
  quantity: number;
  sentAt?: number;
}

/** An item fulfilled by Amazon (FBA): it shows only AMAZON_* fulfilment channels, no DEFAULT one. */
export function isAmazonFulfilledItem(item: ListingsItem): boolean {
  const fa = item.fulfillmentAvailability ?? [];
  return fa.length > 0 && !fa.some((f) => f.fulfillmentChannelCode === 'DEFAULT');
}

export function merchantQuantityOf(item: ListingsItem): number | undefined {
  return item.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === 'DEFAULT')?.quantity;
}

function issuesText(issues: ReadonlyArray<{ code?: string; message: string; severity?: string }>): string {
  const errors = issues.filter((i) => i.severity === 'ERROR');
  return (errors.length ? errors : issues).map((i) => (i.code ? `${i.code}: ${i.message}` : i.message)).join('; ');
}

function pages<T>(items: T[], size = PAGE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The connector of one `amazon-mfn` channel: one SpApiClient (LWA token, shared rate limits per
 * seller, retries), created with the connector and abandoned on `dispose`.
 */
export class AmazonMfnConnector implements ChannelConnector {
  readonly client: SpApiClient;
  private readonly settings: AmazonMfnSettings;
  private readonly disposed = new AbortController();
  /** Read-back rotation of ACCEPTED patches: receipt key -> when last read. */
  private readonly lastRead = new Map<string, number>();
  /**
   * SKUs recently seen merchant-fulfilled (-> when), from reads and listings reports. Within this
   * short time a patch needs no read first, which halves the calls (and the wait) of a patch; an
   * in-memory hint only: after a restart the first patch of a SKU reads again.
   */
  private readonly knownMerchant = new Map<string, number>();

  constructor(
    private readonly channel: ChannelInstance<AmazonMfnSettings>,
    private readonly logger: PluginLogger,
    private readonly options: AmazonMfnPluginOptions = {},
  ) {
    this.settings = channel.settings;
    this.client = createClient(channel.settings, logger, options);
    // Every call combines its own signal with this one (AbortSignal.any), and a batch runs many
    // calls at once: that is expected, not a leak warning.
    setMaxListeners(0, this.disposed.signal);
  }

  private get marketplaceId(): string {
    return this.settings.marketplaceId;
  }

  private get productType(): string {
    return this.settings.productType ?? DEFAULT_PRODUCT_TYPE;
  }

  private isKnownMerchant(sku: string): boolean {
    const at = this.knownMerchant.get(sku);
    if (at === undefined) return false;
    if (Date.now() - at < (this.options.merchantCheckTtlMs ?? DEFAULT_MERCHANT_CHECK_TTL_MS)) return true;
    this.knownMerchant.delete(sku);
    return false;
  }

  private signal(outer?: AbortSignal): AbortSignal {
    if (!outer) return this.disposed.signal;
    // One combined signal serves every call of a round (a confirmation round reads up to 50 listings
    // at once, each call listening to it): expected, not a leak warning.
    const combined = AbortSignal.any([outer, this.disposed.signal]);
    setMaxListeners(0, combined);
    return combined;
  }

  /**
   * The marketplace to name in the call. Outside the EU an update has the channel's one marketplace;
   * in the EU the quantity belongs to seller + SKU, so one message names one of the update's
   * marketplaces (this channel's when it is one of them).
   */
  private marketplaceOf(update: QuantityUpdate): string {
    return update.marketplaceIds.includes(this.marketplaceId) ? this.marketplaceId : (update.marketplaceIds[0] ?? this.marketplaceId);
  }

  // ------------------------------------------------------------------------------ sending

  async pushQuantities(batch: QuantityBatch): Promise<QuantityResult[]> {
    if (!batch.updates.length) return [];
    const signal = this.signal(batch.signal);
    const threshold = this.settings.feedThreshold ?? DEFAULT_FEED_THRESHOLD;
    if (batch.updates.length < threshold) return this.pushByPatches(batch.updates, signal);
    // A feed is applied minutes later: decreases in a bulk batch go by patch, ahead of it, when they
    // are few enough for patches.
    const decreases = batch.updates.filter((u) => u.priority === 'decrease');
    if (!decreases.length || decreases.length >= threshold) return this.pushByFeed(batch.updates, signal);
    const rest = batch.updates.filter((u) => u.priority !== 'decrease');
    const [patched, fed] = await Promise.all([this.pushByPatches(decreases, signal), this.pushByFeed(rest, signal)]);
    return [...patched, ...fed];
  }

  /**
   * One patchListingsItem per update (merge on fulfillment_availability keeps lead time and restock
   * date), all started at once and paced by the shared rate limiter. A read first makes sure the SKU
   * is merchant-fulfilled: a DEFAULT quantity sent to an FBA listing would turn it into MFN.
   */
  private async pushByPatches(updates: QuantityUpdate[], signal: AbortSignal): Promise<QuantityResult[]> {
    return Promise.all(
      updates.map(async (u): Promise<QuantityResult> => {
        const marketplaceId = this.marketplaceOf(u);
        // A decrease and its read go first in the seller's rate budget (plugin contract 1.4).
        const priority = u.priority === 'decrease' ? 'urgent' : 'normal';
        try {
          // With a last accepted quantity the read is needed anyway: Amazon's quantity tells the units
          // it sold that the host has not recorded yet.
          let shown: number | undefined;
          const mustRead = u.lastAccepted !== undefined && u.lastAccepted !== null;
          // The patch's token is taken before the read, so nothing queues between them: an Amazon sale
          // landing between the read and the patch is overwritten (docs/reliability.md), and a wait for
          // the seller's patch budget there (200 ms a patch) made that window wide.
          const reads = mustRead || !this.isKnownMerchant(u.sku);
          if (reads) await this.client.listingsItems.reservePatch(signal, priority);
          if (reads) {
            let item: ListingsItem | undefined;
            try {
              item = await this.client.listingsItems.getListingsItem(u.sku, [marketplaceId], ['fulfillmentAvailability'], signal, priority);
            } catch (e) {
              if (e instanceof NotFoundError) return { updateId: u.updateId, status: 'rejected', message: `SKU "${u.sku}" has no listing on Amazon in marketplace ${marketplaceId}` };
              // Amazon cannot be read: a lowering is never held back by that (unsold units it does
              // not withhold are bounded by the drop); a raise waits for a read.
              if (!(mustRead && this.isKnownMerchant(u.sku) && u.quantity <= (u.lastAccepted ?? 0))) throw e;
              item = undefined;
            }
            if (item) {
              if (isAmazonFulfilledItem(item)) return { updateId: u.updateId, status: 'rejected', message: fbaMessage(u.sku) };
              this.knownMerchant.set(u.sku, Date.now());
              shown = merchantQuantityOf(item);
            }
          }
          const { send, withheld } = quantityToSend(u.quantity, u.lastAccepted, shown);
          const r = await this.client.listingsItems.patchListingsItemQuantity(u.sku, [marketplaceId], send, { productType: this.productType, signal, priority, reserved: reads });
          if (r.status === 'ACCEPTED' || r.status === 'VALID') return { updateId: u.updateId, status: 'accepted', receipt: patchReceipt(u.sku, send, Date.now()), ...withheldField(withheld) };
          return { updateId: u.updateId, status: 'rejected', message: `Amazon answered INVALID: ${issuesText(r.issues) || 'no reason given'}` };
        } catch (e) {
          return { updateId: u.updateId, ...meaningOf(e, signal) };
        }
      }),
    );
  }

  /**
   * JSON_LISTINGS_FEED feeds of at most 25,000 messages (and under 10 MB) each; every update is
   * `accepted` with its feed and message id, confirmed later from the processing report. The seller's
   * listings report tells which SKUs are fulfilled by Amazon: those are never sent.
   */
  private async pushByFeed(updates: QuantityUpdate[], signal: AbortSignal): Promise<QuantityResult[]> {
    const results: QuantityResult[] = [];
    let amazonFulfilled: Set<string>;
    let shown: Map<string, number | undefined>;
    try {
      const rows = await this.merchantListings(signal);
      amazonFulfilled = new Set(rows.filter((r) => !isMerchantFulfilled(r.fulfillmentChannel)).map((r) => r.sku));
      shown = new Map(rows.filter((r) => isMerchantFulfilled(r.fulfillmentChannel)).map((r) => [r.sku, r.quantity]));
      const now = Date.now();
      for (const r of rows) if (isMerchantFulfilled(r.fulfillmentChannel)) this.knownMerchant.set(r.sku, now);
    } catch (e) {
      const m = meaningOf(e, signal);
      const message = `could not read the seller's listings report before sending a feed: ${m.message}`;
      return updates.map((u) => ({ updateId: u.updateId, status: 'retry', message }));
    }
    const entries: QuantityFeedEntry[] = [];
    const withheldOf = new Map<string, number>();
    for (const u of updates) {
      if (amazonFulfilled.has(u.sku)) {
        results.push({ updateId: u.updateId, status: 'rejected', message: fbaMessage(u.sku) });
        continue;
      }
      // The report is a snapshot taken just before the feed: units sold after it and before the
      // feed is processed are put back on sale until the next push (see docs/reliability.md).
      const { send, withheld } = quantityToSend(u.quantity, u.lastAccepted, shown.get(u.sku));
      withheldOf.set(u.updateId, withheld);
      entries.push({ sku: u.sku, quantity: send, ref: u.updateId, productType: this.productType });
    }
    let feeds: ReturnType<typeof splitQuantityFeed>;
    try {
      feeds = splitQuantityFeed(this.client.sellerId, entries);
    } catch (e) {
      return [...results, ...entries.map((en): QuantityResult => ({ updateId: String(en.ref), status: 'rejected', message: messageOf(e) }))];
    }
    for (const feed of feeds) {
      try {
        const submitted = await this.client.feeds.submitListingsFeedBatch(feed, [this.marketplaceId], signal);
        // A feed is processed minutes (or hours) later: a patch sent meanwhile could be overwritten by
        // it, so the host holds newer sends of these listings until the feed's report confirms them.
        feed.entries.forEach((en, i) =>
          results.push({ updateId: String(en.ref), status: 'accepted', receipt: feedReceipt(submitted.feedId, i + 1), holdUntilConfirmed: true, ...withheldField(withheldOf.get(String(en.ref)) ?? 0) }),
        );
      } catch (e) {
        const m = meaningOf(e, signal);
        for (const en of feed.entries) results.push({ updateId: String(en.ref), status: m.status, message: `feed not submitted: ${m.message}` });
      }
    }
    return results;
  }

  // ------------------------------------------------------------------------------ confirming

  async confirmDeliveries(receipts: { receipt: string; updateId: string }[], outer: AbortSignal): Promise<DeliveryConfirmation[]> {
    const signal = this.signal(outer);
    const out: DeliveryConfirmation[] = [];
    const feeds = new Map<string, { receipt: string; updateId: string; messageId: number }[]>();
    const patches: PatchToConfirm[] = [];
    for (const r of receipts) {
      const parsed = parseReceipt(r.receipt);
      if (!parsed) out.push({ ...r, status: 'retry', message: `unknown receipt "${r.receipt}": sending again` });
      else if (parsed.kind === 'feed') feeds.set(parsed.feedId, [...(feeds.get(parsed.feedId) ?? []), { ...r, messageId: parsed.messageId }]);
      else patches.push({ ...r, sku: parsed.sku, quantity: parsed.quantity, sentAt: parsed.sentAt });
    }
    for (const [feedId, list] of feeds) out.push(...(await this.confirmFeed(feedId, list, signal)));
    out.push(...(await this.confirmPatches(patches, signal)));
    return out;
  }

  private async confirmFeed(feedId: string, list: { receipt: string; updateId: string; messageId: number }[], signal: AbortSignal): Promise<DeliveryConfirmation[]> {
    const plain = (status: DeliveryConfirmation['status'], message?: string) =>
      list.map(({ receipt, updateId }): DeliveryConfirmation => ({ receipt, updateId, status, ...(message ? { message } : {}) }));
    let outcome;
    try {
      outcome = await this.client.feeds.getListingsFeedOutcome(feedId, undefined, signal);
    } catch (e) {
      this.logger.warn('Could not read an Amazon feed; asking again later', { channelId: this.channel.id, feedId, error: messageOf(e) });
      return plain('accepted');
    }
    const status = outcome.processingStatus;
    if (status === 'FATAL' || status === 'CANCELLED') {
      const why = outcome.report ? issuesText(outcome.report.feedIssues) : '';
      this.logger.warn('Amazon feed ended without processing its messages; they are sent again', { channelId: this.channel.id, feedId, status });
      return plain('retry', `Amazon feed ${feedId} ended ${status}${why ? ` (${why})` : ''}; the quantity is sent again`);
    }
    if (status !== 'DONE' || !outcome.report) return plain('accepted');
    const report = outcome.report;
    return list.map(({ receipt, updateId, messageId }): DeliveryConfirmation => {
      const r = report.results.get(messageId);
      if (r?.status === 'rejected') return { receipt, updateId, status: 'rejected', message: `Amazon feed ${feedId}: ${issuesText(r.issues)}` };
      return { receipt, updateId, status: 'synced' };
    });
  }

  /**
   * ACCEPTED only means queued: read the listing back and call it synced once Amazon shows the
   * quantity sent. Amazon applies a patch within minutes, so another quantity still shown after
   * `patchApplyGraceMs` means the patch was overwritten (a send of a lapsed claim landing late, an
   * edit in Seller Central): `retry` sends ours again rather than waiting for the host's timeout
   * (hours) with Amazon possibly above on hand. A bounded number of reads per call (least recently
   * read first) keeps the host's confirmation round short; the others are asked again later.
   */
  private async confirmPatches(list: PatchToConfirm[], signal: AbortSignal): Promise<DeliveryConfirmation[]> {
    if (!list.length) {
      this.lastRead.clear();
      return [];
    }
    const key = (p: { receipt: string; updateId: string }) => `${p.updateId}\u0000${p.receipt}`;
    const wanted = new Set(list.map(key));
    for (const k of this.lastRead.keys()) if (!wanted.has(k)) this.lastRead.delete(k);
    const ordered = [...list].sort((a, b) => (this.lastRead.get(key(a)) ?? 0) - (this.lastRead.get(key(b)) ?? 0));
    const cap = this.options.confirmReadsPerCall ?? DEFAULT_CONFIRM_READS;
    const grace = this.options.patchApplyGraceMs ?? DEFAULT_PATCH_APPLY_GRACE_MS;
    const now = Date.now();
    const read = await Promise.all(
      ordered.slice(0, cap).map(async (p): Promise<DeliveryConfirmation> => {
        const { receipt, updateId } = p;
        this.lastRead.set(key(p), now);
        try {
          // Background: a send's read (below the feed threshold, one per patch) goes first.
          const item = await this.client.listingsItems.getListingsItem(p.sku, [this.marketplaceId], ['fulfillmentAvailability'], signal, 'background');
          if (!isAmazonFulfilledItem(item)) this.knownMerchant.set(p.sku, Date.now());
          const shown = merchantQuantityOf(item);
          if (shown === p.quantity) {
            this.lastRead.delete(key(p));
            return { receipt, updateId, status: 'synced' };
          }
          // Receipts written before they carried the send time wait for the host's timeout.
          if (p.sentAt !== undefined && now - p.sentAt >= grace) {
            this.lastRead.delete(key(p));
            const ago = Math.round((now - p.sentAt) / 1000);
            return { receipt, updateId, status: 'retry', message: `Amazon shows ${shown ?? 'no quantity'} for SKU "${p.sku}", not the ${p.quantity} accepted ${ago} s ago: sending it again` };
          }
          return { receipt, updateId, status: 'accepted' };
        } catch (e) {
          if (e instanceof NotFoundError) return { receipt, updateId, status: 'rejected', message: `SKU "${p.sku}" is no longer listed on Amazon in marketplace ${this.marketplaceId}` };
          return { receipt, updateId, status: 'accepted' };
        }
      }),
    );
    return [...read, ...ordered.slice(cap).map(({ receipt, updateId }): DeliveryConfirmation => ({ receipt, updateId, status: 'accepted' }))];
  }

  // ------------------------------------------------------------------------------ reading

  /** The seller's listings in the channel's marketplace (GET_MERCHANT_LISTINGS_ALL_DATA). */
  async merchantListings(signal?: AbortSignal): Promise<MerchantListingRow[]> {
    // Polled as the client is configured (REPORT_POLL: from 0.25 s, doubling up to 30 s).
    const rows = await this.client.reports.fetchTabularReport({ reportType: MERCHANT_LISTINGS_REPORT, marketplaceIds: [this.marketplaceId] }, { signal: this.signal(signal) });
    return rows.map(toMerchantListingRow).filter((r): r is MerchantListingRow => !!r);
  }

  /** What Amazon shows for the channel's merchant-fulfilled listings (FBA rows are Amazon's). */
  async *pullQuantities(signal: AbortSignal): AsyncIterable<RemoteQuantity[]> {
    const rows = (await this.merchantListings(signal)).filter((r) => isMerchantFulfilled(r.fulfillmentChannel));
    for (const page of pages(rows)) yield page.map((r) => ({ sku: r.sku, quantity: r.quantity ?? 0, fulfilment: 'merchant' as const }));
  }

  /** Every listing of the seller in the marketplace, merchant- or Amazon-fulfilled (for the import). */
  async *listRemoteListings(signal: AbortSignal): AsyncIterable<RemoteListing[]> {
    const rows = await this.merchantListings(signal);
    for (const page of pages(rows)) {
      yield page.map(
        (r): RemoteListing => ({
          sku: r.sku,
          marketplaceId: this.marketplaceId,
          fulfilment: isMerchantFulfilled(r.fulfillmentChannel) ? 'merchant' : 'channel',
          ...(r.title ? { title: r.title } : {}),
          ...(r.quantity !== undefined ? { quantity: r.quantity } : {}),
        }),
      );
    }
  }

  // ------------------------------------------------------------------------------ health

  /** A token exchange and the seller's marketplace participations: credentials valid, marketplace sold in. */
  async checkHealth(signal: AbortSignal): Promise<HealthResult> {
    try {
      const participations = await this.client.sellers.getMarketplaceParticipations(this.signal(signal));
      const mine = participations.find((p) => p.marketplace.id === this.marketplaceId);
      if (!mine) return { ok: false, message: `The credentials work, but seller ${this.settings.sellerId} does not sell in marketplace ${this.marketplaceId}.` };
      if (!mine.participation.isParticipating) return { ok: false, message: `Seller ${this.settings.sellerId} no longer participates in ${mine.marketplace.name ?? this.marketplaceId}.` };
      const suspended = mine.participation.hasSuspendedListings ? ' (some listings are suspended)' : '';
      return { ok: true, message: `Credentials valid; ${mine.storeName ?? this.settings.sellerId} sells in ${mine.marketplace.name ?? this.marketplaceId}${suspended}.` };
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  }

  dispose(): void {
    this.disposed.abort(new Error('the channel connector was disposed'));
  }
}

function withheldField(withheld: number): { withheld?: number } {
  return withheld > 0 ? { withheld } : {};
}

function fbaMessage(sku: string): string {
  return `SKU "${sku}" is fulfilled by Amazon (FBA) on Amazon: its quantity is Amazon's and is never sent. Connect it on an amazon-fba channel instead.`;
}
