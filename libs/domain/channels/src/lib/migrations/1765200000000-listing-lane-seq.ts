import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Priority lanes (docs/reliability.md): `lane_seq` is the change at which the leading-edge lane last
 * looked at a dirty listing and found nothing lowering what the channel shows, so it is not looked at
 * again until the next change (the coalescing window sends it). Null: never looked at.
 */
export class ListingLaneSeq1765200000000 implements MigrationInterface {
  name = 'ListingLaneSeq1765200000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('listing', new TableColumn({ name: 'lane_seq', type: 'integer', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('listing', 'lane_seq');
  }
}
