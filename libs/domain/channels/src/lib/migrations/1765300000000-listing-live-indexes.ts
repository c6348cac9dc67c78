import { migrationTable } from '@invsync/domain-shared';
import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Live Listings pages a channel's listings in id order (or SKU order when searching, on the unique
 * channel + SKU index) and filters them by status (switch and stored status; the dirty backlog;
 * channel-fulfilled listings apart): without these, every page of a channel with a million listings
 * sorted all of them (about 250 ms on SQLite) and a rare status scanned them all (seconds).
 * PostgreSQL also gets a `varchar_pattern_ops` index on channel + SKU key: with it a SKU prefix
 * (`startsWith`) is an index range whatever the database's collation (a narrow prefix scanned the
 * table: 175 ms at a million listings, B7).
 */
/** PostgreSQL only; declared on the entity with `synchronize: false` (TypeORM cannot describe it). */
export const LISTING_SKU_PATTERN_INDEX = 'idx_listing_channel_sku_pattern';
const PATTERN_INDEX = LISTING_SKU_PATTERN_INDEX;

export class ListingLiveIndexes1765300000000 implements MigrationInterface {
  name = 'ListingLiveIndexes1765300000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_channel_id', columnNames: ['channel_id', 'id'] }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_channel_status', columnNames: ['channel_id', 'fulfilment', 'sync_enabled', 'status', 'id'] }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_channel_fulfilment', columnNames: ['channel_id', 'fulfilment', 'id'] }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_channel_dirty', columnNames: ['channel_id', 'id'], where: 'dirty = true' }));
    if (qr.connection.options.type === 'postgres') await qr.query(`CREATE INDEX ${PATTERN_INDEX} ON ${migrationTable(qr, 'listing')} (channel_id, sku_key varchar_pattern_ops)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.options.type === 'postgres') await qr.dropIndex('listing', PATTERN_INDEX);
    for (const name of ['idx_listing_channel_dirty', 'idx_listing_channel_fulfilment', 'idx_listing_channel_status', 'idx_listing_channel_id']) await qr.dropIndex('listing', name);
  }
}
