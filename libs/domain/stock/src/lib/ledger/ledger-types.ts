import type { PageRequest } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import type { MovementType } from '../stock-movement.entity';

// The ledger's public request and answer shapes, and its limits.

export const MAX_BATCH_MOVEMENTS = 10_000;
/** Largest |quantity| of one movement. */
export const MAX_MOVEMENT_QUANTITY = 1_000_000;
export const MAX_REASON_LENGTH = 500;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Who or what caused a movement. */
export interface MovementCause {
  /** `user`, `order`, `managed-warehouse-reconciliation`, ... (1..40 characters). */
  type: string;
  /** The causing thing's id (order id, reconciliation run id, ...). */
  id?: string | null;
  /** Who did it (a user name, `admin-api`, a plugin id). */
  actor?: string | null;
}

/** A movement a person or tool books directly. Allocation types go through allocate/deallocate/ship. */
export interface MovementInput {
  productId: string;
  warehouseId: string;
  type: 'goods-in' | 'correction';
  /** goods-in: > 0; correction: any non-zero integer (signed). */
  quantity: number;
  reason?: string | null;
}

export interface ApplyOptions {
  cause: MovementCause;
  /** A repeat with the same key and payload writes nothing and answers the first result. */
  idempotencyKey?: string | null;
  /** Run inside the caller's transaction (the caller commits; the change is announced after that commit). */
  em?: EntityManager;
}

export interface LevelView {
  productId: string;
  warehouseId: string;
  inStock: number;
  allocated: number;
  /** in stock - allocated */
  onHand: number;
}

export interface MovementView {
  id: string;
  seq: number;
  productId: string;
  warehouseId: string;
  type: MovementType;
  quantity: number;
  inStockDelta: number;
  allocatedDelta: number;
  /** The level right after this movement. */
  inStockAfter: number;
  allocatedAfter: number;
  reason: string | null;
  causeType: string;
  causeId: string | null;
  actor: string | null;
  idempotencyKey: string | null;
  batchId: string;
  createdAt: string;
}

export interface ApplyResult {
  batchId: string;
  /** In request order. */
  movements: MovementView[];
  /** The resulting level of every (product, warehouse) touched, in order of first appearance. */
  levels: LevelView[];
  /** True when an idempotency key was replayed: nothing was written. */
  replayed: boolean;
}

export interface StockRequest {
  /** A stock product or a bundle (bundles move their components: qty x component quantity). */
  productId: string;
  warehouseId: string;
  /** Units of `productId` (bundles: whole bundles); positive integer. */
  quantity: number;
  cause: MovementCause;
  reason?: string | null;
}

export interface AllocationResult {
  productId: string;
  warehouseId: string;
  requested: number;
  /** Units of `productId` allocated (bundles: whole bundles). */
  allocated: number;
  /** requested - allocated: what the warehouse could not cover (backorder). */
  shortfall: number;
  /** Movements written (component movements for a bundle); empty when nothing was allocated. */
  movements: MovementView[];
}

export interface ListMovementsQuery extends PageRequest {
  productId?: string;
  warehouseId?: string;
  batchId?: string;
}
