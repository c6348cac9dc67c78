import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const txt = (name: string, nullable = false) => ({ name, type: 'text', isNullable: nullable });
const int = (name: string, nullable = false) => ({ name, type: 'integer', isNullable: nullable });
const bool = (name: string, nullable = false) => ({ name, type: 'boolean', isNullable: nullable });
const ts = (name: string, nullable = false) => str(name, 32, nullable);

/** Channels and listings with their sync state. Table API only: runs on SQLite and PostgreSQL. */
export class SyncInit1764400000000 implements MigrationInterface {
  name = 'SyncInit1764400000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'channel',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('type', 100),
          str('name', 200),
          str('fulfilment', 20),
          str('marketplace_id', 100),
          str('quantity_pool', 200),
          str('account_id', 200),
          bool('sync_enabled'),
          txt('on_hand_warehouse_ids'),
          str('allocation_warehouse_id', 36, true),
          str('fba_warehouse_id', 36, true),
          txt('rules'),
          txt('plugin_settings'),
          bool('health_ok', true),
          txt('health_message', true),
          ts('health_checked_at', true),
          ts('created_at'),
          ts('updated_at'),
        ],
      }),
    );
    await qr.createIndex('channel', new TableIndex({ name: 'idx_channel_pool', columnNames: ['quantity_pool'] }));
    await qr.createTable(
      new Table({
        name: 'listing',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('channel_id', 36),
          str('sku', 100),
          str('sku_key', 100),
          str('marketplace_id', 100),
          str('quantity_pool', 200),
          str('product_id', 36),
          str('fulfilment', 20),
          txt('overrides'),
          bool('sync_enabled'),
          ts('created_at'),
          bool('dirty'),
          ts('dirty_since', true),
          bool('force_send'),
          int('change_seq'),
          str('inflight_token', 36, true),
          int('inflight_seq', true),
          ts('inflight_until', true),
          int('inflight_quantity', true),
          str('receipt', 200, true),
          int('computed_quantity', true),
          int('last_sent_quantity', true),
          ts('last_sent_at', true),
          int('accepted_quantity', true),
          ts('accepted_at', true),
          str('status', 20),
          txt('last_error', true),
          int('attempts'),
          ts('next_attempt_at', true),
          int('remote_quantity', true),
          txt('remote_details', true),
          ts('remote_read_at', true),
        ],
      }),
    );
    await qr.createIndex('listing', new TableIndex({ name: 'uq_listing_channel_sku', columnNames: ['channel_id', 'sku_key'], isUnique: true }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_product', columnNames: ['product_id'] }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_pool_sku', columnNames: ['quantity_pool', 'sku_key'] }));
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_dirty', columnNames: ['dirty', 'dirty_since'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('listing');
    await qr.dropTable('channel');
  }
}
