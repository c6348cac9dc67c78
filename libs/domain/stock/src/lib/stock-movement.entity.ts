import { ProductEntity } from '@invsync/domain-catalog';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { WarehouseEntity } from './warehouse.entity';

export const MOVEMENT_TYPES = ['goods-in', 'correction', 'allocation', 'de-allocation', 'shipment'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** One ledger entry. Append-only: never updated, never deleted. `seq` orders the ledger. */
@Entity('stock_movement')
@Unique('uq_stock_movement_id', ['id'])
@Unique('uq_stock_movement_idempotency_key', ['idempotencyKey'])
@Index('idx_stock_movement_product_seq', ['productId', 'seq'])
@Index('idx_stock_movement_warehouse_seq', ['warehouseId', 'seq'])
@Index('idx_stock_movement_batch', ['batchId'])
export class StockMovementEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 36 })
  id: string;

  @ForeignKey(() => ProductEntity, { name: 'fk_stock_movement_product' })
  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @ForeignKey(() => WarehouseEntity, { name: 'fk_stock_movement_warehouse' })
  @Column({ name: 'warehouse_id', type: 'varchar', length: 36 })
  warehouseId: string;

  @Column({ type: 'varchar', length: 20 })
  type: MovementType;

  /** As requested: signed for corrections, positive units otherwise. */
  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'in_stock_delta', type: 'integer' })
  inStockDelta: number;

  @Column({ name: 'allocated_delta', type: 'integer' })
  allocatedDelta: number;

  /** The level right after this movement (a running balance, and what a replay answers). */
  @Column({ name: 'in_stock_after', type: 'integer' })
  inStockAfter: number;

  @Column({ name: 'allocated_after', type: 'integer' })
  allocatedAfter: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  /** What caused it: `user`, `order`, `managed-warehouse-reconciliation`, ... */
  @Column({ name: 'cause_type', type: 'varchar', length: 40 })
  causeType: string;

  @Column({ name: 'cause_id', type: 'varchar', length: 200, nullable: true })
  causeId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  actor: string | null;

  /** Set on the first movement of a request made with an idempotency key. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey: string | null;

  /** sha256 of the request, to refuse a key reused with another payload. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64, nullable: true })
  requestHash: string | null;

  /** Movements written by one request share it. */
  @Column({ name: 'batch_id', type: 'varchar', length: 36 })
  batchId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
