import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Products and bundle recipes. Table API only: runs on SQLite and PostgreSQL. No cascades. */
export class CatalogInit1764200000000 implements MigrationInterface {
  name = 'CatalogInit1764200000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'product',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'sku', type: 'varchar', length: '40' },
          { name: 'sku_key', type: 'varchar', length: '160' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'kind', type: 'varchar', length: '10' },
          { name: 'parent_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
        uniques: [{ name: 'uq_product_sku_key', columnNames: ['sku_key'] }],
        foreignKeys: [{ name: 'fk_product_parent', columnNames: ['parent_id'], referencedTableName: 'product', referencedColumnNames: ['id'] }],
      }),
    );
    await qr.createIndex('product', new TableIndex({ name: 'idx_product_parent', columnNames: ['parent_id'] }));
    await qr.createTable(
      new Table({
        name: 'bundle_component',
        columns: [
          { name: 'bundle_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'component_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'quantity', type: 'integer' },
        ],
        foreignKeys: [
          { name: 'fk_bundle_component_bundle', columnNames: ['bundle_id'], referencedTableName: 'product', referencedColumnNames: ['id'] },
          { name: 'fk_bundle_component_component', columnNames: ['component_id'], referencedTableName: 'product', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await qr.createIndex('bundle_component', new TableIndex({ name: 'idx_bundle_component_component', columnNames: ['component_id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('bundle_component');
    await qr.dropTable('product');
  }
}
