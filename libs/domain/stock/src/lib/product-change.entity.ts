import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Outbox of "this product's on hand may have changed", written in the same transaction as the
 * movement (for the moved product and every bundle containing it). Consumed by `ProductChangeFeed`.
 */
@Entity('product_change')
export class ProductChangeEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id: number;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
