import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Live Listings pages a channel's listings in id order (or SKU order when searching, on the unique
 * channel + SKU index) and filters them by status (switch and stored status; channel-fulfilled
 * listings apart): without these, every page of a channel with a million listings sorted all of
 * them (about 250 ms on SQLite) and a rare status scanned them all (seconds).
 */
export class ListingLiveIndexes1765300000000 implements MigrationInterface {
  name = 'ListingLiveIndexes1765300000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_channel_id', columnNames: ['channel_id', 'id'] }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_channel_status', columnNames: ['channel_id', 'fulfilment', 'sync_enabled', 'status', 'id'] }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_channel_fulfilment', columnNames: ['channel_id', 'fulfilment', 'id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('listing', 'idx_listing_channel_fulfilment');
    await qr.dropIndex('listing', 'idx_listing_channel_status');
    await qr.dropIndex('listing', 'idx_listing_channel_id');
  }
}
