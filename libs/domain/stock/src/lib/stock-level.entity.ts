import { ProductEntity } from '@invsync/domain-catalog';
import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { WarehouseEntity } from './warehouse.entity';

/**
 * The current level of one product in one warehouse: the sum of its movements, kept in the same
 * transaction as each movement. Invariants: in_stock >= 0, allocated >= 0, allocated <= in_stock;
 * on hand = in_stock - allocated.
 */
@Entity('stock_level')
@Index('idx_stock_level_warehouse', ['warehouseId'])
@Check('ck_stock_level_in_stock', 'in_stock >= 0')
@Check('ck_stock_level_allocated', 'allocated >= 0 AND allocated <= in_stock')
export class StockLevelEntity {
  @ForeignKey(() => ProductEntity, { name: 'fk_stock_level_product' })
  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @ForeignKey(() => WarehouseEntity, { name: 'fk_stock_level_warehouse' })
  @PrimaryColumn({ name: 'warehouse_id', type: 'varchar', length: 36 })
  warehouseId: string;

  @Column({ name: 'in_stock', type: 'integer', default: 0 })
  inStock: number;

  @Column({ type: 'integer', default: 0 })
  allocated: number;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
