import { migrationTable } from '@invsync/domain-shared';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PostgreSQL only; declared on the entity with `synchronize: false` (TypeORM cannot describe it). */
export const PRODUCT_SKU_PATTERN_INDEX = 'idx_product_sku_pattern';

/**
 * PostgreSQL: a `varchar_pattern_ops` index on the product SKU key, so a SKU prefix search
 * (`startsWith`) is an index range whatever the database's collation instead of a scan of the
 * catalog. SQLite answers prefixes from the ordinary index (GLOB): nothing to do there.
 */
export class ProductSkuPatternIndex1765310000000 implements MigrationInterface {
  name = 'ProductSkuPatternIndex1765310000000';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.options.type === 'postgres') await qr.query(`CREATE INDEX ${PRODUCT_SKU_PATTERN_INDEX} ON ${migrationTable(qr, 'product')} (sku_key varchar_pattern_ops)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.options.type === 'postgres') await qr.dropIndex('product', PRODUCT_SKU_PATTERN_INDEX);
  }
}
