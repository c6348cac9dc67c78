import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Warehouses, stock levels, the movement ledger and the product-change outbox. Table API only; no cascades. */
export class WarehousesInit1764200000100 implements MigrationInterface {
  name = 'WarehousesInit1764200000100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'warehouse',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'code', type: 'varchar', length: '40' },
          { name: 'code_key', type: 'varchar', length: '160' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
        uniques: [{ name: 'uq_warehouse_code_key', columnNames: ['code_key'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stock_level',
        columns: [
          { name: 'product_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'warehouse_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'in_stock', type: 'integer', default: 0 },
          { name: 'allocated', type: 'integer', default: 0 },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
        foreignKeys: [
          { name: 'fk_stock_level_product', columnNames: ['product_id'], referencedTableName: 'product', referencedColumnNames: ['id'] },
          { name: 'fk_stock_level_warehouse', columnNames: ['warehouse_id'], referencedTableName: 'warehouse', referencedColumnNames: ['id'] },
        ],
        checks: [
          { name: 'ck_stock_level_in_stock', expression: 'in_stock >= 0' },
          { name: 'ck_stock_level_allocated', expression: 'allocated >= 0 AND allocated <= in_stock' },
        ],
      }),
    );
    await qr.createIndex('stock_level', new TableIndex({ name: 'idx_stock_level_warehouse', columnNames: ['warehouse_id'] }));
    await qr.createTable(
      new Table({
        name: 'stock_movement',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'id', type: 'varchar', length: '36' },
          { name: 'product_id', type: 'varchar', length: '36' },
          { name: 'warehouse_id', type: 'varchar', length: '36' },
          { name: 'type', type: 'varchar', length: '20' },
          { name: 'quantity', type: 'integer' },
          { name: 'in_stock_delta', type: 'integer' },
          { name: 'allocated_delta', type: 'integer' },
          { name: 'in_stock_after', type: 'integer' },
          { name: 'allocated_after', type: 'integer' },
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'cause_type', type: 'varchar', length: '40' },
          { name: 'cause_id', type: 'varchar', length: '200', isNullable: true },
          { name: 'actor', type: 'varchar', length: '200', isNullable: true },
          { name: 'idempotency_key', type: 'varchar', length: '200', isNullable: true },
          { name: 'request_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'batch_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
        uniques: [
          { name: 'uq_stock_movement_id', columnNames: ['id'] },
          { name: 'uq_stock_movement_idempotency_key', columnNames: ['idempotency_key'] },
        ],
        foreignKeys: [
          { name: 'fk_stock_movement_product', columnNames: ['product_id'], referencedTableName: 'product', referencedColumnNames: ['id'] },
          { name: 'fk_stock_movement_warehouse', columnNames: ['warehouse_id'], referencedTableName: 'warehouse', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await qr.createIndex('stock_movement', new TableIndex({ name: 'idx_stock_movement_product_seq', columnNames: ['product_id', 'seq'] }));
    await qr.createIndex('stock_movement', new TableIndex({ name: 'idx_stock_movement_warehouse_seq', columnNames: ['warehouse_id', 'seq'] }));
    await qr.createIndex('stock_movement', new TableIndex({ name: 'idx_stock_movement_batch', columnNames: ['batch_id'] }));
    await qr.createTable(
      new Table({
        name: 'product_change',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'product_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('product_change');
    await qr.dropTable('stock_movement');
    await qr.dropTable('stock_level');
    await qr.dropTable('warehouse');
  }
}
