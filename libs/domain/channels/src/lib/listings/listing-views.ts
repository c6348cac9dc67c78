import type { ChannelView } from '../channels/channel-view';
import type { Fulfilment } from '../persistence/channel.entity';
import type { ListingEntity, ListingStatus } from '../persistence/listing.entity';
import type { QuantityRules } from '../rules/quantity-rules';

export interface ListingView {
  id: string;
  channelId: string;
  sku: string;
  marketplaceId: string;
  productId: string;
  fulfilment: Fulfilment;
  syncEnabled: boolean;
  overrides: QuantityRules;
  status: ListingStatus;
  createdAt: string;
}

/** The status a person sees: switches first, then conflicts and errors, then pending work. */
export function displayStatus(row: Pick<ListingEntity, 'syncEnabled' | 'status' | 'dirty'>, channel: Pick<ChannelView, 'syncEnabled'>): ListingStatus {
  if (!channel.syncEnabled || !row.syncEnabled) return 'disabled';
  if (row.status === 'conflict' || row.status === 'error') return row.status;
  if (row.dirty || row.status === 'pending' || row.status === 'disabled') return 'pending';
  return row.status;
}

const STORED_STATUSES: readonly ListingStatus[] = ['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'];

/**
 * `displayStatus` as SQL over a merchant-fulfilled listing row (alias `l`): alternatives whose union
 * is the listings showing `status`, each one an index range (channel, switch, status; or the
 * channel's dirty backlog), so a filter on a rare status never reads the whole channel. Empty when no merchant
 * listing of the channel can show it.
 */
export function merchantStatusWhere(status: ListingStatus, channel: Pick<ChannelView, 'syncEnabled'>): string[] {
  if (!channel.syncEnabled) return status === 'disabled' ? ['true'] : [];
  // One stored status per alternative: equal on every column of the channel + fulfilment + switch +
  // status index, its rows come in id order (a planner would rather walk all rows in id order than
  // sort a few).
  const on = 'l.sync_enabled = true';
  switch (status) {
    case 'disabled':
      return STORED_STATUSES.map((s) => `l.sync_enabled = false AND l.status = '${s}'`);
    case 'conflict':
    case 'error':
      return [`${on} AND l.status = '${status}'`];
    case 'pending':
      return [`${on} AND l.status = 'pending'`, `${on} AND l.status = 'disabled'`, 
        // The dirty ones through the channel's backlog index (the few listings waiting for a pass).
        `l.dirty = true AND ${on} AND l.status IN ('sent', 'synced')`,
      ];
    default:
      return [`${on} AND l.status = '${status}' AND l.dirty = false`];
  }
}

/**
 * Live Listings' status filter over every listing of a channel (alias `l`): `merchantStatusWhere`'s
 * alternatives for merchant-fulfilled listings, and the channel-fulfilled ones (their status depends on
 * when the channel was read, checked after reading).
 */
export function liveStatusAlternatives(status: ListingStatus, channel: Pick<ChannelView, 'syncEnabled'>): string[] {
  return [...merchantStatusWhere(status, channel).map((w) => `l.fulfilment = 'merchant' AND ${w}`), `l.fulfilment = 'channel'`];
}

export function toListingView(row: ListingEntity, channel: Pick<ChannelView, 'syncEnabled'>): ListingView {
  return {
    id: row.id,
    channelId: row.channelId,
    sku: row.sku,
    marketplaceId: row.marketplaceId,
    productId: row.productId,
    fulfilment: row.fulfilment,
    syncEnabled: !!row.syncEnabled,
    overrides: JSON.parse(row.overrides) as QuantityRules,
    status: row.fulfilment === 'channel' ? 'synced' : displayStatus(row, channel),
    createdAt: row.createdAt,
  };
}
