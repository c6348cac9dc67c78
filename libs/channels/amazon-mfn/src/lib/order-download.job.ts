import type { ChannelInstance, ChannelOrder, JobRunContext, OrderRecorder, PluginLogger, PluginStateStore } from '@invsync/plugin-api';
import type { OrderItem, SpApiClient } from '@invsync/amazon-spapi';
import { CHANNEL_TYPE, DEFAULT_ORDERS_LOOK_BACK_HOURS, type AmazonMfnSettings } from './settings';
import { messageOf } from './sp-api-errors';

export const DOWNLOAD_ORDERS_JOB = 'download-orders';

/** Parked orders are retried on every run for this long, then dropped with an error log line. */
const PARK_DAYS = 30;
const MAX_PARKED = 5000;
/** How many parked orders a summary names (the count is always complete). */
const SUMMARY_NAMES = 20;

/** What the job needs from the plugin's context. */
export interface OrderDownloadDeps {
  orders: OrderRecorder;
  state: PluginStateStore;
  logger: PluginLogger;
  clientFor(channel: ChannelInstance<AmazonMfnSettings>): SpApiClient;
  now?: () => Date;
}

interface Checkpoint {
  /** The next run reads orders updated at or after this time. */
  lastUpdatedAfter: string;
  updatedAt: string;
}

/** An MFN order that could not be recorded (e.g. a SKU with no product): kept and retried every run. */
interface ParkedOrder {
  order: ChannelOrder;
  lastUpdateDate: string;
  error: string;
  parkedAt: string;
}

export interface ChannelDownloadSummary {
  channelId: string;
  marketplaceId: string;
  from: string;
  to: string;
  /** Orders Amazon returned in the window. */
  orders: number;
  /** Newly recorded (allocated when open). */
  recorded: number;
  /** Recorded before: status moved on (cancel de-allocates, ship) or nothing to do. */
  updated: number;
  /** Fulfilled by Amazon: nothing to allocate here. */
  afn: number;
  /** Orders in a status that allocates nothing (Unfulfillable) or without items. */
  ignored: number;
  /** Could not be recorded (no product for a SKU, no allocation warehouse...): parked and retried every run. */
  failed: number;
  /** Parked orders of earlier runs recorded in this one. */
  recoveredFromParked: number;
  /** Orders still parked after this run. */
  parked: number;
  failures: { amazonOrderId: string; skus: string[]; error: string }[];
}

export const checkpointKey = (channelId: string) => `orders:checkpoint:${channelId}`;
export const parkedKey = (channelId: string) => `orders:parked:${channelId}`;

/** Amazon's OrderStatus -> the host's; undefined: nothing to record. */
export function orderStatusOf(status: string | undefined): ChannelOrder['status'] | undefined {
  switch (status) {
    case 'Pending':
    case 'Unshipped':
    case 'PartiallyShipped':
    case 'PendingAvailability':
      return 'open';
    case 'Shipped':
    case 'InvoiceUnconfirmed':
      return 'shipped';
    case 'Canceled':
      return 'cancelled';
    default:
      return undefined; // Unfulfillable (multi-channel fulfilment) and anything new
  }
}

/**
 * Order lines from Amazon's items. A cancelled order may report 0 ordered: it is then recorded only
 * to find (and de-allocate) the order recorded earlier, with 1 per SKU (a new cancelled order allocates nothing).
 */
export function orderLinesOf(items: OrderItem[], status: ChannelOrder['status']): ChannelOrder['lines'] {
  const lines: ChannelOrder['lines'] = [];
  for (const i of items) {
    if (!i.SellerSKU) continue;
    const q = i.QuantityOrdered ?? 0;
    if (q > 0) lines.push({ sku: i.SellerSKU, quantity: q });
    else if (status === 'cancelled') lines.push({ sku: i.SellerSKU, quantity: 1 });
  }
  return lines;
}

const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * The `download-orders` job: for each amazon-mfn channel, new and updated orders of its marketplace
 * since the channel's checkpoint (LastUpdatedAfter, every page, with items); MFN orders are recorded
 * through the host (which allocates from the channel's allocation warehouse, once per order id); AFN
 * orders are Amazon's. An order that cannot be recorded does not stop the others: it is parked in the
 * plugin's state and retried on every run, so the checkpoint can move past it (holding it back would
 * re-read the same window every two minutes, on a quota of about one getOrders call a minute, until a
 * person acts). The checkpoint moves only after every order of the window was recorded or parked.
 */
export async function downloadOrders(run: JobRunContext, deps: OrderDownloadDeps): Promise<Record<string, unknown>> {
  const channels = (await run.channels()).filter((c) => c.type === CHANNEL_TYPE) as ChannelInstance<AmazonMfnSettings>[];
  channels.sort((a, b) => (a.id < b.id ? -1 : 1));
  const perChannel: Record<string, ChannelDownloadSummary | { error: string } | { skipped: string }> = {};
  const totals = { channels: channels.length, orders: 0, recorded: 0, updated: 0, afn: 0, ignored: 0, failed: 0, parked: 0, channelErrors: 0 };
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
      for (const k of ['orders', 'recorded', 'updated', 'afn', 'ignored', 'failed', 'parked'] as const) totals[k] += s[k];
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
  const parked = new Map((await deps.state.get<ParkedOrder[]>(parkedKey(channel.id)) ?? []).map((p) => [p.order.externalId, p]));
  const summary: ChannelDownloadSummary = {
    channelId: channel.id,
    marketplaceId: settings.marketplaceId,
    from,
    to: from,
    orders: 0,
    recorded: 0,
    updated: 0,
    afn: 0,
    ignored: 0,
    failed: 0,
    recoveredFromParked: 0,
    parked: 0,
    failures: [],
  };
  const client = deps.clientFor(channel);
  const touched = new Set<string>();

  const record = async (order: ChannelOrder, lastUpdateDate: string): Promise<'recorded' | 'updated' | 'failed'> => {
    try {
      const r = await deps.orders.record(order);
      parked.delete(order.externalId);
      return r.created ? 'recorded' : 'updated';
    } catch (e) {
      if (run.signal.aborted) throw e;
      const error = messageOf(e);
      const prev = parked.get(order.externalId);
      parked.set(order.externalId, { order, lastUpdateDate, error, parkedAt: prev?.parkedAt ?? now.toISOString() });
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

  let upper: string | undefined;
  let latest: string | undefined;
  for await (const page of client.orders.orderPages({ marketplaceIds: [settings.marketplaceId], lastUpdatedAfter: from }, run.signal)) {
    upper ??= page.lastUpdatedBefore;
    for (const o of page.orders) {
      if (run.signal.aborted) throw new Error('interrupted');
      summary.orders++;
      latest = later(latest, o.LastUpdateDate);
      if (o.FulfillmentChannel === 'AFN') {
        summary.afn++;
        continue;
      }
      const status = orderStatusOf(o.OrderStatus);
      if (!status) {
        summary.ignored++;
        continue;
      }
      const lines = orderLinesOf(await client.orders.getOrderItems(o.AmazonOrderId, run.signal), status);
      if (!lines.length) {
        summary.ignored++;
        continue;
      }
      touched.add(o.AmazonOrderId);
      summary[await record({ channelId: channel.id, externalId: o.AmazonOrderId, status, lines }, o.LastUpdateDate ?? now.toISOString())]++;
    }
  }

  // Orders parked by earlier runs and not in this window: try again (e.g. the product exists now).
  for (const p of [...parked.values()]) {
    if (touched.has(p.order.externalId)) continue;
    if (run.signal.aborted) throw new Error('interrupted');
    if (Date.parse(p.parkedAt) < now.getTime() - PARK_DAYS * 86_400_000) {
      parked.delete(p.order.externalId);
      run.logger.error('An Amazon order could not be recorded for 30 days and is no longer retried', { channelId: channel.id, amazonOrderId: p.order.externalId, error: p.error });
      continue;
    }
    const outcome = await recordParked(p);
    if (outcome !== 'failed') summary.recoveredFromParked++;
  }

  async function recordParked(p: ParkedOrder) {
    try {
      await deps.orders.record(p.order);
      parked.delete(p.order.externalId);
      return 'recorded' as const;
    } catch (e) {
      if (run.signal.aborted) throw e;
      parked.set(p.order.externalId, { ...p, error: messageOf(e) });
      return 'failed' as const;
    }
  }

  const keep = [...parked.values()].sort((a, b) => (a.parkedAt < b.parkedAt ? 1 : -1)).slice(0, MAX_PARKED);
  if (keep.length < parked.size) run.logger.error('Too many Amazon orders are parked; the oldest are no longer retried', { channelId: channel.id, dropped: parked.size - keep.length });
  summary.parked = keep.length;
  // Parked orders first: the checkpoint may only pass orders that are recorded or kept.
  await deps.state.set(parkedKey(channel.id), keep);
  // Amazon's LastUpdatedBefore bounds what this read covered; without it, the latest order seen.
  const next = upper ?? latest ?? from;
  summary.to = Date.parse(next) > Date.parse(from) ? next : from;
  await deps.state.set<Checkpoint>(checkpointKey(channel.id), { lastUpdatedAfter: summary.to, updatedAt: now.toISOString() });
  return summary;
}

