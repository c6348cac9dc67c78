import type { ChannelInstance, ChannelOrder, JobRunContext, OrderRecorder, PluginLogger, PluginStateStore } from '@invsync/plugin-api';
import { InvalidInputError, type SpApiClient } from '@invsync/amazon-spapi';
import { fulfilledByAmazon, orderLinesOf, orderStatusOf } from './order-mapping';
import { CHANNEL_TYPE, DEFAULT_ORDERS_LOOK_BACK_HOURS, type AmazonMfnSettings } from './settings';
import { messageOf } from './sp-api-errors';

export { orderLinesOf, orderStatusOf } from './order-mapping';

export const DOWNLOAD_ORDERS_JOB = 'download-orders';

/** Orders that threw when recorded are retried on every run for this long, then dropped with an error log line. */
const PARK_DAYS = 30;
const MAX_PARKED = 5000;
/** How many failed orders a summary names (the count is always complete). */
const SUMMARY_NAMES = 20;
/**
 * searchOrders pages one run reads per channel: a quarter of the burst (20), so a backlog is read over
 * several runs at about Amazon's sustained rate (one call in three minutes) instead of one run waiting.
 */
export const PAGES_PER_RUN = 5;
/**
 * Amazon may show an update in searchOrders up to two minutes late (hence its rule that an explicit
 * `lastUpdatedBefore` be two minutes old). The job sends none, so a new order is read at once, and the
 * next window starts this long before the read: late updates are read then (recording is idempotent).
 */
export const SETTLE_MS = 125_000;

/** What the job needs from the plugin's context. */
export interface OrderDownloadDeps {
  orders: OrderRecorder;
  state: PluginStateStore;
  logger: PluginLogger;
  clientFor(channel: ChannelInstance<AmazonMfnSettings>): SpApiClient;
  now?: () => Date;
}

/** Where the channel's download stands: the window being read and, mid-window, Amazon's page token. */
interface Checkpoint {
  /** The window starts here (orders updated at or after). */
  lastUpdatedAfter: string;
  /** Set while a window is read over several runs: the next page, and where the next window starts. */
  paginationToken?: string;
  settledBefore?: string;
  updatedAt: string;
}

/** An MFN order whose recording threw (no allocation warehouse, a refused line...): kept and retried every run. */
interface FailedOrder {
  order: ChannelOrder;
  lastUpdateDate: string;
  error: string;
  parkedAt: string;
}

export interface ChannelDownloadSummary {
  channelId: string;
  marketplaceId: string;
  /** The window read: orders updated from `from` on; `to`: where the next window starts (the read's time less `SETTLE_MS`, or Amazon's answered `lastUpdatedBefore` when earlier). */
  from: string;
  to: string;
  /** searchOrders pages read in this run. */
  pages: number;
  /** True when the window has more pages: the next run continues from the saved page token. */
  windowOpen: boolean;
  /** Orders Amazon returned. */
  orders: number;
  /** Newly recorded (allocated when open). */
  recorded: number;
  /** Recorded before: status moved on (cancel de-allocates, ship) or nothing to do. */
  updated: number;
  /** Recorded by the host but parked there (a SKU no listing or product explains); the host retries them. */
  parkedByHost: number;
  /** Fulfilled by Amazon: nothing to allocate here (searchOrders asks for merchant orders only). */
  afn: number;
  /** Orders in a status that allocates nothing (UNFULFILLABLE) or without items. */
  ignored: number;
  /** Recording threw: kept in the plugin's state and retried every run. */
  failed: number;
  /** Failed orders of earlier runs recorded in this one. */
  recoveredFromParked: number;
  /** Orders still kept for retry after this run. */
  parked: number;
  failures: { amazonOrderId: string; skus: string[]; error: string }[];
}

export const checkpointKey = (channelId: string) => `orders:checkpoint:${channelId}`;
export const parkedKey = (channelId: string) => `orders:parked:${channelId}`;

/**
 * The `download-orders` job (Orders API 2026-01-01): for each amazon-mfn channel, the merchant-fulfilled
 * orders of its marketplace updated since the channel's checkpoint, items included in each page; they are
 * recorded through the host (which resolves SKUs through the channel's listings and allocates once per
 * order id). At most `PAGES_PER_RUN` pages a run: a longer window is finished by the next runs from the
 * saved page token. An order whose recording throws does not stop the others: it is kept in the plugin's
 * state and retried every run, so the checkpoint can move past it. The window's end is saved only
 * after every order of it was recorded, parked by the host, or kept.
 */
export async function downloadOrders(run: JobRunContext, deps: OrderDownloadDeps): Promise<Record<string, unknown>> {
  const channels = (await run.channels()).filter((c) => c.type === CHANNEL_TYPE) as ChannelInstance<AmazonMfnSettings>[];
  channels.sort((a, b) => (a.id < b.id ? -1 : 1));
  const perChannel: Record<string, ChannelDownloadSummary | { error: string } | { skipped: string }> = {};
  const totals = { channels: channels.length, pages: 0, orders: 0, recorded: 0, updated: 0, parkedByHost: 0, afn: 0, ignored: 0, failed: 0, parked: 0, channelErrors: 0 };
  const seen = new Map<string, string>();
  let done = 0;
  let attempted = 0;
  for (const channel of channels) {
    if (run.signal.aborted) break;
    // Two channels on one seller and marketplace would both record (and allocate) every order.
    const account = `${channel.settings.sellerId}\u0000${channel.settings.marketplaceId}`;
    const first = seen.get(account);
    if (first) {
      perChannel[channel.id] = { skipped: `channel ${first} already downloads the orders of seller ${channel.settings.sellerId} in ${channel.settings.marketplaceId}` };
      continue;
    }
    seen.set(account, channel.id);
    attempted++;
    try {
      const s = await downloadChannel(channel, run, deps);
      perChannel[channel.id] = s;
      for (const k of ['pages', 'orders', 'recorded', 'updated', 'parkedByHost', 'afn', 'ignored', 'failed', 'parked'] as const) totals[k] += s[k];
    } catch (e) {
      totals.channelErrors++;
      const error = messageOf(e);
      perChannel[channel.id] = { error };
      run.logger.error('Order download failed for a channel; its checkpoint stays where it was', { channelId: channel.id, error });
    }
    run.progress(++done, channels.length);
  }
  if (totals.channelErrors > 0 && totals.channelErrors === attempted) {
    throw new Error(`order download failed for every channel: ${Object.values(perChannel).map((v) => ('error' in v ? v.error : '')).find(Boolean)}`);
  }
  return { ...totals, perChannel };
}

async function downloadChannel(channel: ChannelInstance<AmazonMfnSettings>, run: JobRunContext, deps: OrderDownloadDeps): Promise<ChannelDownloadSummary> {
  const now = deps.now?.() ?? new Date();
  const settings = channel.settings;
  const checkpoint = await deps.state.get<Checkpoint>(checkpointKey(channel.id));
  const lookBackMs = (settings.ordersLookBackHours ?? DEFAULT_ORDERS_LOOK_BACK_HOURS) * 3600_000;
  const from = checkpoint?.lastUpdatedAfter ?? new Date(now.getTime() - lookBackMs).toISOString();
  const resuming = !!(checkpoint?.paginationToken && checkpoint.settledBefore);
  let settled = resuming ? (checkpoint.settledBefore as string) : new Date(now.getTime() - SETTLE_MS).toISOString();
  const nextFrom = () => (Date.parse(settled) > Date.parse(from) ? settled : from);
  const failedOrders = new Map((await deps.state.get<FailedOrder[]>(parkedKey(channel.id)) ?? []).map((p) => [p.order.externalId, p]));
  const summary: ChannelDownloadSummary = {
    channelId: channel.id,
    marketplaceId: settings.marketplaceId,
    from,
    to: from,
    pages: 0,
    windowOpen: false,
    orders: 0,
    recorded: 0,
    updated: 0,
    parkedByHost: 0,
    afn: 0,
    ignored: 0,
    failed: 0,
    recoveredFromParked: 0,
    parked: 0,
    failures: [],
  };
  const client = deps.clientFor(channel);
  const touched = new Set<string>();

  const keepFailed = (order: ChannelOrder, lastUpdateDate: string, e: unknown) => {
    const error = messageOf(e);
    const prev = failedOrders.get(order.externalId);
    failedOrders.set(order.externalId, { order, lastUpdateDate, error, parkedAt: prev?.parkedAt ?? now.toISOString() });
    return error;
  };

  const record = async (order: ChannelOrder, lastUpdateDate: string): Promise<'recorded' | 'updated' | 'parkedByHost' | 'failed'> => {
    try {
      const r = await deps.orders.record(order);
      failedOrders.delete(order.externalId);
      // A parked answer is recorded as far as this job goes: the host keeps it and retries it.
      if (r.status === 'parked') return 'parkedByHost';
      return r.created ? 'recorded' : 'updated';
    } catch (e) {
      if (run.signal.aborted) throw e;
      const error = keepFailed(order, lastUpdateDate, e);
      if (summary.failures.length < SUMMARY_NAMES) summary.failures.push({ amazonOrderId: order.externalId, skus: order.lines.map((l) => l.sku), error });
      run.logger.warn('An Amazon order could not be recorded; it is kept and retried on every run', {
        channelId: channel.id,
        amazonOrderId: order.externalId,
        skus: order.lines.map((l) => l.sku),
        error,
      });
      return 'failed';
    }
  };

  let paginationToken = resuming ? checkpoint?.paginationToken : undefined;
  do {
    if (run.signal.aborted) throw new Error('interrupted');
    const query = { marketplaceIds: [settings.marketplaceId], lastUpdatedAfter: from, fulfilledBy: ['MERCHANT' as const], includedData: ['FULFILLMENT' as const] };
    let page;
    try {
      page = await client.orders.searchOrders({ ...query, paginationToken }, run.signal);
    } catch (e) {
      // A page token lives 24 hours: a stale one restarts the window (recording is idempotent).
      if (!(paginationToken && e instanceof InvalidInputError)) throw e;
      run.logger.warn('Amazon refused the saved page token; the window is read again from its start', { channelId: channel.id, error: messageOf(e) });
      page = await client.orders.searchOrders(query, run.signal);
    }
    // Amazon answers the end of the window it searched: nothing later is covered by this read.
    if (!resuming && summary.pages === 0 && page.lastUpdatedBefore && Date.parse(page.lastUpdatedBefore) < Date.parse(settled)) settled = page.lastUpdatedBefore;
    summary.pages++;
    for (const o of page.orders) {
      if (run.signal.aborted) throw new Error('interrupted');
      summary.orders++;
      if (fulfilledByAmazon(o)) {
        summary.afn++;
        continue;
      }
      const status = orderStatusOf(o.fulfillment?.fulfillmentStatus);
      const lines = status ? orderLinesOf(o.orderItems ?? [], status) : [];
      if (!status || !lines.length) {
        summary.ignored++;
        continue;
      }
      touched.add(o.orderId);
      summary[await record({ channelId: channel.id, externalId: o.orderId, status, lines }, o.lastUpdatedTime ?? now.toISOString())]++;
    }
    paginationToken = page.nextToken;
  } while (paginationToken && summary.pages < PAGES_PER_RUN);
  summary.windowOpen = !!paginationToken;
  summary.to = nextFrom();

  // Orders kept by earlier runs and not in this window: try again (e.g. the allocation warehouse is set now).
  for (const p of [...failedOrders.values()]) {
    if (touched.has(p.order.externalId)) continue;
    if (run.signal.aborted) throw new Error('interrupted');
    if (Date.parse(p.parkedAt) < now.getTime() - PARK_DAYS * 86_400_000) {
      failedOrders.delete(p.order.externalId);
      run.logger.error('An Amazon order could not be recorded for 30 days and is no longer retried', { channelId: channel.id, amazonOrderId: p.order.externalId, error: p.error });
      continue;
    }
    try {
      await deps.orders.record(p.order);
      failedOrders.delete(p.order.externalId);
      summary.recoveredFromParked++;
    } catch (e) {
      if (run.signal.aborted) throw e;
      failedOrders.set(p.order.externalId, { ...p, error: messageOf(e) });
    }
  }

  const keep = [...failedOrders.values()].sort((a, b) => (a.parkedAt < b.parkedAt ? 1 : -1)).slice(0, MAX_PARKED);
  if (keep.length < failedOrders.size) run.logger.error('Too many Amazon orders are kept for retry; the oldest are dropped', { channelId: channel.id, dropped: failedOrders.size - keep.length });
  summary.parked = keep.length;
  // Failed orders first: the checkpoint may only pass orders that are recorded or kept.
  await deps.state.set(parkedKey(channel.id), keep);
  const next: Checkpoint = paginationToken
    ? { lastUpdatedAfter: from, paginationToken, settledBefore: summary.to, updatedAt: now.toISOString() }
    : { lastUpdatedAfter: summary.to, updatedAt: now.toISOString() };
  await deps.state.set<Checkpoint>(checkpointKey(channel.id), next);
  return summary;
}
