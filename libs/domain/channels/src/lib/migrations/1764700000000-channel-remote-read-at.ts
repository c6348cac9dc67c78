import { migrationTable } from '@invsync/domain-shared';
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * The time of a channel's last complete read moves to the channel, so storing a read writes only the
 * listings whose remote quantity changed (a million row rewrites per night before).
 *
 * From here a listing's `remote_read_at` is set only while it is missing from the channel's latest
 * read (it then says when it was last seen); NULL with a remote quantity means "seen in the latest
 * read, at channel.remote_read_at". Existing data is converted: the channel takes its newest listing
 * read, and listings read at that time are marked as seen in it. `down` restores per-listing times.
 */
export class ChannelRemoteReadAt1764700000000 implements MigrationInterface {
  name = 'ChannelRemoteReadAt1764700000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('channel', new TableColumn({ name: 'remote_read_at', type: 'varchar', length: '32', isNullable: true }));
    const [channel, listing] = [migrationTable(qr, 'channel'), migrationTable(qr, 'listing')];
    await qr.query(`UPDATE ${channel} SET remote_read_at = (SELECT MAX(l.remote_read_at) FROM ${listing} l WHERE l.channel_id = ${channel}.id)`);
    await qr.query(
      `UPDATE ${listing} SET remote_read_at = NULL
        WHERE remote_quantity IS NOT NULL
          AND remote_read_at = (SELECT c.remote_read_at FROM ${channel} c WHERE c.id = ${listing}.channel_id)`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    const [channel, listing] = [migrationTable(qr, 'channel'), migrationTable(qr, 'listing')];
    await qr.query(
      `UPDATE ${listing} SET remote_read_at = (SELECT c.remote_read_at FROM ${channel} c WHERE c.id = ${listing}.channel_id)
        WHERE remote_read_at IS NULL AND remote_quantity IS NOT NULL`,
    );
    await qr.dropColumn('channel', 'remote_read_at');
  }
}
