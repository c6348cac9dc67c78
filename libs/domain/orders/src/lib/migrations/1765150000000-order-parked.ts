import { migrationTable } from '@invsync/domain-shared';
import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Parked orders: an order whose lines do not all resolve (no listing of its channel, no product with
 * the SKU) or whose channel has no allocation warehouse is kept with status `parked` and the reason,
 * and its unresolved lines have no product yet. `sku_key` lets a new listing or product find the
 * lines waiting for it; lines recorded before have a product and never need it. The indexes serve the
 * order list (by creation, by channel and status). Table API only: runs on SQLite and PostgreSQL.
 */
export class OrderParked1765150000000 implements MigrationInterface {
  name = 'OrderParked1765150000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('sales_order', new TableColumn({ name: 'parked_reason', type: 'text', isNullable: true }));
    await qr.addColumn('sales_order_line', new TableColumn({ name: 'sku_key', type: 'varchar', length: '100', isNullable: true }));
    await productIdNullable(qr, true);
    await qr.createIndex('sales_order', new TableIndex({ name: 'idx_sales_order_created', columnNames: ['created_at', 'id'] }));
    await qr.createIndex('sales_order', new TableIndex({ name: 'idx_sales_order_status_channel', columnNames: ['status', 'channel_id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    // Orders with a line without a product (parked, or recorded already closed with an unknown SKU) cannot exist before.
    const [order, line] = [migrationTable(qr, 'sales_order'), migrationTable(qr, 'sales_order_line')];
    await qr.query(`DELETE FROM ${order} WHERE status = 'parked' OR id IN (SELECT order_id FROM ${line} WHERE product_id IS NULL)`);
    await qr.query(`DELETE FROM ${line} WHERE order_id NOT IN (SELECT id FROM ${order})`);
    await qr.dropIndex('sales_order', 'idx_sales_order_status_channel');
    await qr.dropIndex('sales_order', 'idx_sales_order_created');
    await productIdNullable(qr, false);
    await qr.dropColumn('sales_order_line', 'sku_key');
    await qr.dropColumn('sales_order', 'parked_reason');
  }
}

/**
 * PostgreSQL: ALTER the constraint only (TypeORM's changeColumn would drop and re-add the column and
 * lose its values); SQLite: changeColumn copies the table.
 */
async function productIdNullable(qr: QueryRunner, nullable: boolean): Promise<void> {
  if (qr.connection.options.type === 'postgres') {
    await qr.query(`ALTER TABLE ${migrationTable(qr, 'sales_order_line')} ALTER COLUMN product_id ${nullable ? 'DROP' : 'SET'} NOT NULL`);
  } else {
    await qr.changeColumn('sales_order_line', 'product_id', new TableColumn({ name: 'product_id', type: 'varchar', length: '36', isNullable: nullable }));
  }
}
