import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The current level of one product in one warehouse: the sum of its movements, kept in the same
 * transaction as each movement. Invariants: in_stock >= 0, allocated >= 0, allocated <= in_stock;
 * on hand = in_stock - allocated.
 */
@Entity('stock_level')
export class StockLevelEntity {
  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @PrimaryColumn({ name: 'warehouse_id', type: 'varchar', length: 36 })
  warehouseId: string;

  @Column({ name: 'in_stock', type: 'integer', default: 0 })
  inStock: number;

  @Column({ type: 'integer', default: 0 })
  allocated: number;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
