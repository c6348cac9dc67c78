import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * A partial index on the listings carrying a receipt (accepted, awaiting confirmation): every
 * confirmation round (30 s) read them with a scan of the whole listing table.
 */
export class ListingReceiptIndex1764900000000 implements MigrationInterface {
  name = 'ListingReceiptIndex1764900000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('listing', new TableIndex({ name: 'idx_listing_receipt', columnNames: ['id'], where: 'receipt IS NOT NULL' }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('listing', 'idx_listing_receipt');
  }
}
