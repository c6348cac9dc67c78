import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Priority lanes (docs/reliability.md): `lane_seq` is the change at which the leading-edge lane last
 * looked at a dirty listing and found nothing lowering what the channel shows, so it is not looked at
 * again until the next change (the coalescing window sends it); null: never looked at. `lead_at`: when
 * the lead lane last claimed the listing for a send (at most one leading send per window); null: never.
 */
export class ListingLaneSeq1765200000000 implements MigrationInterface {
  name = 'ListingLaneSeq1765200000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('listing', [
      new TableColumn({ name: 'lane_seq', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'lead_at', type: 'varchar', length: '32', isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const c of ['lead_at', 'lane_seq']) await qr.dropColumn('listing', c);
  }
}
