import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Sales orders and their lines. Table API only: runs on SQLite and PostgreSQL. */
export class OrdersInit1764500000000 implements MigrationInterface {
  name = 'OrdersInit1764500000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'sales_order',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'external_id', type: 'varchar', length: '200' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'fulfilled_by_channel', type: 'boolean' },
          { name: 'warehouse_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await qr.createIndex('sales_order', new TableIndex({ name: 'uq_sales_order_channel_external', columnNames: ['channel_id', 'external_id'], isUnique: true }));
    await qr.createTable(
      new Table({
        name: 'sales_order_line',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'order_id', type: 'varchar', length: '36' },
          { name: 'line_no', type: 'integer' },
          { name: 'sku', type: 'varchar', length: '100' },
          { name: 'product_id', type: 'varchar', length: '36' },
          { name: 'quantity', type: 'integer' },
          { name: 'allocated', type: 'integer' },
          { name: 'backordered', type: 'integer' },
        ],
      }),
    );
    await qr.createIndex('sales_order_line', new TableIndex({ name: 'idx_sales_order_line_order', columnNames: ['order_id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('sales_order_line');
    await qr.dropTable('sales_order');
  }
}
