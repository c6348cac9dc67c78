import { migrationTable } from '@invsync/domain-shared';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warehouse mirroring the stock a channel holds in its own network is the channel's managed
 * warehouse, whatever the marketplace calls it: the column takes the neutral name. Values are kept.
 */
export class ChannelManagedWarehouse1765000000000 implements MigrationInterface {
  name = 'ChannelManagedWarehouse1765000000000';

  async up(qr: QueryRunner): Promise<void> {
    // RENAME COLUMN is plain SQL on both engines (SQLite 3.25+) and keeps the data in place.
    await qr.query(`ALTER TABLE ${migrationTable(qr, 'channel')} RENAME COLUMN fba_warehouse_id TO managed_warehouse_id`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE ${migrationTable(qr, 'channel')} RENAME COLUMN managed_warehouse_id TO fba_warehouse_id`);
  }
}
