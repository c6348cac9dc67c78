import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const MOVEMENT_TYPES = ['goods-in', 'correction', 'allocation', 'de-allocation', 'shipment'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** One ledger entry. Append-only: never updated, never deleted. `seq` orders the ledger. */
@Entity('stock_movement')
export class StockMovementEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 36, unique: true })
  id: string;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

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

  /** What caused it: `user`, `order`, `fba-reconciliation`, ... */
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
