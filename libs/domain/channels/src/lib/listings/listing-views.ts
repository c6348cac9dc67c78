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
