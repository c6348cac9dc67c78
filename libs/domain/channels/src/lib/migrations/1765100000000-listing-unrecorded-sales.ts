import { migrationTable } from '@invsync/domain-shared';
import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * What a listing's channel should show if every sale were recorded, so units the channel sold and
 * the host has not recorded yet are not offered again (docs/reliability.md):
 * - `sold_basis`, `sold_basis_at`: the quantity the channel was given at the last accepted send plus
 *   the units withheld in it, and when the on hand behind it was read (orders recorded after that
 *   time are subtracted from it). Existing listings start from their last accepted quantity.
 * - `withheld_quantity`, `withheld_since`: the units withheld at the last send, and since when units
 *   have been withheld without a break.
 */
export class ListingUnrecordedSales1765100000000 implements MigrationInterface {
  name = 'ListingUnrecordedSales1765100000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('listing', [
      new TableColumn({ name: 'sold_basis', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'sold_basis_at', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'withheld_quantity', type: 'integer', isNullable: false, default: 0 }),
      new TableColumn({ name: 'withheld_since', type: 'varchar', length: '32', isNullable: true }),
    ]);
    await qr.query(
      `UPDATE ${migrationTable(qr, 'listing')} SET sold_basis = accepted_quantity, sold_basis_at = accepted_at
        WHERE accepted_quantity IS NOT NULL AND status IN ('synced', 'sent')`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const c of ['withheld_since', 'withheld_quantity', 'sold_basis_at', 'sold_basis']) await qr.dropColumn('listing', c);
  }
}
