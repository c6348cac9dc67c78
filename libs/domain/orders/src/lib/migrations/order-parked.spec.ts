import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { orderEntities } from '../../index';
import { OrdersInit1764500000000 } from './1764500000000-orders-init';
import { OrderParked1765150000000 } from './1765150000000-order-parked';

const T = '2026-11-01T00:00:00.000Z';

/** Existing orders survive up and down; parked ones (lines without a product) are removed by down. */
describe.each(['sqlite', 'postgres'] as const)('migration OrderParked on %s', (engine) => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: orderEntities, migrations: [OrdersInit1764500000000] });
  });
  afterAll(() => t?.close());

  const p = (n: number) => Array.from({ length: n }, (_, i) => (engine === 'postgres' ? `$${i + 1}` : '?')).join(', ');
  const orderCols = 'id, channel_id, external_id, status, fulfilled_by_channel, warehouse_id, created_at, updated_at';
  const lineCols = 'id, order_id, line_no, sku, product_id, quantity, allocated, backordered';

  it('adds the parked reason, line SKU keys and lines without a product, and reverts', async () => {
    const qr = t.ds.createQueryRunner();
    try {
      await qr.query(`INSERT INTO sales_order (${orderCols}) VALUES (${p(8)})`, ['o1', 'c', 'E1', 'open', false, 'w', T, T]);
      await qr.query(`INSERT INTO sales_order_line (${lineCols}) VALUES (${p(8)})`, ['l1', 'o1', 1, 'A', 'p1', 2, 2, 0]);
      await new OrderParked1765150000000().up(qr);
      await qr.query(`INSERT INTO sales_order (${orderCols}, parked_reason) VALUES (${p(9)})`, ['o2', 'c', 'E2', 'parked', false, null, T, T, 'why']);
      await qr.query(`INSERT INTO sales_order_line (${lineCols}, sku_key) VALUES (${p(9)})`, ['l2', 'o2', 1, 'b', null, 1, 0, 0, 'B']);
      expect(await qr.query(`SELECT id, parked_reason FROM sales_order ORDER BY id`)).toEqual([
        { id: 'o1', parked_reason: null },
        { id: 'o2', parked_reason: 'why' },
      ]);
      expect(await qr.query(`SELECT id, sku_key, product_id FROM sales_order_line ORDER BY id`)).toEqual([
        { id: 'l1', sku_key: null, product_id: 'p1' },
        { id: 'l2', sku_key: 'B', product_id: null },
      ]);

      await new OrderParked1765150000000().down(qr);
      expect(await qr.query(`SELECT id FROM sales_order`)).toEqual([{ id: 'o1' }]);
      expect(await qr.query(`SELECT id, product_id FROM sales_order_line`)).toEqual([{ id: 'l1', product_id: 'p1' }]);
      expect(await qr.hasColumn('sales_order', 'parked_reason')).toBe(false);
      expect(await qr.hasColumn('sales_order_line', 'sku_key')).toBe(false);
    } finally {
      await qr.release();
    }
  });
});
