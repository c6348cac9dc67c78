import { migrationTable } from '@invsync/domain-shared';
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Two markers the dispatcher needs to tell states apart when passes and confirmation rounds overlap
 * (several instances, or one instance's two loops):
 * - `force_seq`: the change (`change_seq`) at which a send was last forced (connection, sync
 *   re-activated, nightly without read-back). A send covering that change ends the force, even if an
 *   ordinary change arrived while it was in flight; before, that change kept the force and the same
 *   quantity was sent twice. Forces pending now are dated at their listing's current change.
 * - `inflight_quantity` (an existing, unused column) is set while a listing is held for the
 *   confirmation of the quantity it carries: a hold is then told from a pass's claim on a listing
 *   that still carries its previous send's receipt. Holds existing now get it.
 */
export class ListingForceAndHold1764800000000 implements MigrationInterface {
  name = 'ListingForceAndHold1764800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('listing', new TableColumn({ name: 'force_seq', type: 'integer', isNullable: true }));
    const listing = migrationTable(qr, 'listing');
    await qr.query(`UPDATE ${listing} SET force_seq = change_seq WHERE force_send = true`);
    await qr.query(
      `UPDATE ${listing} SET inflight_quantity = COALESCE(accepted_quantity, last_sent_quantity, 0)
        WHERE inflight_token IS NOT NULL AND receipt IS NOT NULL`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('listing', 'force_seq');
    await qr.query(`UPDATE ${migrationTable(qr, 'listing')} SET inflight_quantity = NULL`);
  }
}
