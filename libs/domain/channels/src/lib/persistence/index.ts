import { SyncInit1764400000000 } from '../migrations/1764400000000-sync-init';
import { ChannelRemoteReadAt1764700000000 } from '../migrations/1764700000000-channel-remote-read-at';
import { ListingForceAndHold1764800000000 } from '../migrations/1764800000000-listing-force-and-hold';
import { ListingReceiptIndex1764900000000 } from '../migrations/1764900000000-listing-receipt-index';
import { ChannelManagedWarehouse1765000000000 } from '../migrations/1765000000000-channel-managed-warehouse';
import { ListingUnrecordedSales1765100000000 } from '../migrations/1765100000000-listing-unrecorded-sales';
import { ListingLaneSeq1765200000000 } from '../migrations/1765200000000-listing-lane-seq';
import { ListingLiveIndexes1765300000000 } from '../migrations/1765300000000-listing-live-indexes';
import { ChannelEntity } from './channel.entity';
import { ListingEntity } from './listing.entity';

export const channelEntities = [ChannelEntity, ListingEntity];
export const channelMigrations = [SyncInit1764400000000, ChannelRemoteReadAt1764700000000, ListingForceAndHold1764800000000, ListingReceiptIndex1764900000000, ChannelManagedWarehouse1765000000000, ListingUnrecordedSales1765100000000, ListingLaneSeq1765200000000, ListingLiveIndexes1765300000000];
