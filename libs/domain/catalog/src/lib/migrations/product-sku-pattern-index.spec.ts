import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { catalogEntities, catalogMigrations } from '../catalog.persistence';
import { PRODUCT_SKU_PATTERN_INDEX, ProductSkuPatternIndex1765310000000 } from './1765310000000-product-sku-pattern-index';

/** PostgreSQL: the SKU key gets a pattern index (prefix searches as index ranges); down drops it. */
describe('migration ProductSkuPatternIndex on postgres', () => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestDataSource({ engine: 'postgres', entities: catalogEntities, migrations: catalogMigrations });
  });
  afterAll(() => t?.close());

  const indexdef = async () =>
    ((await t.ds.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1`, [PRODUCT_SKU_PATTERN_INDEX])) as { indexdef: string }[])[0]?.indexdef;

  it('creates the pattern index, and drops it', async () => {
    expect(await indexdef()).toMatch(/\(sku_key varchar_pattern_ops\)/);
    const qr = t.ds.createQueryRunner();
    try {
      await new ProductSkuPatternIndex1765310000000().down(qr);
      expect(await indexdef()).toBeUndefined();
      await new ProductSkuPatternIndex1765310000000().up(qr);
      expect(await indexdef()).toMatch(/\(sku_key varchar_pattern_ops\)/);
    } finally {
      await qr.release();
    }
  });
});
