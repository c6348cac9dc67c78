import { createHash } from 'node:crypto';
import type { ComponentQuantity, ProductRef } from '@invsync/domain-catalog';
import { InvalidInputError, NotFoundError, RuleViolationError } from '@invsync/domain-shared';
import type { MovementType } from '../stock-movement.entity';
import type { WarehouseView } from '../warehouse.service';
import { type ApplyOptions, type LevelView, MAX_BATCH_MOVEMENTS, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_MOVEMENT_QUANTITY, MAX_REASON_LENGTH, type MovementCause, type MovementInput, type StockRequest } from './ledger-types';
import { type Level, pairKey } from './level-rows';

/** One movement to book, validated; the unit every ledger request is made of. */
export interface Line {
  productId: string;
  warehouseId: string;
  type: MovementType;
  quantity: number;
  inStockDelta: number;
  allocatedDelta: number;
  reason: string | null;
  /** `movements[3]` for batch lines, undefined otherwise (prefix of messages, `index` detail). */
  index?: number;
}

/** Every line's product and warehouse exist and the product holds stock; else throws naming the line. */
export function checkRefs(lines: readonly Line[], products: ReadonlyMap<string, ProductRef>, warehouses: ReadonlyMap<string, WarehouseView>): void {
  for (const l of lines) {
    const p = products.get(l.productId);
    if (!p) throw new NotFoundError(`${field(l, 'productId')}: product ${l.productId} does not exist`, details(l));
    if (!warehouses.has(l.warehouseId)) throw new NotFoundError(`${field(l, 'warehouseId')}: warehouse ${l.warehouseId} does not exist`, details(l));
    if (p.kind !== 'stock') {
      throw new RuleViolationError(
        `stock-tracked-only: ${label(l) ? label(l) + ': ' : ''}product ${p.sku} is a ${p.kind === 'bundle' ? 'bundle' : 'variant parent'} and holds no stock; ${p.kind === 'bundle' ? 'move stock of its components instead' : 'move stock of its variants instead'}`,
        'stock-tracked-only',
        details(l),
      );
    }
  }
}

/**
 * Applies a request's lines in order to `running` (the levels after the requests before it) and
 * answers the level after each line; a line breaking an invariant throws its refusal and leaves
 * `running` as it was.
 */
export function checkLevels(lines: readonly Line[], running: Map<string, Level>, products: ReadonlyMap<string, ProductRef>, warehouses: ReadonlyMap<string, WarehouseView>): Level[] {
  const mine = new Map<string, Level>();
  const after = lines.map((l) => {
    const k = pairKey(l.productId, l.warehouseId);
    const cur = mine.get(k) ?? running.get(k) ?? { inStock: 0, allocated: 0 };
    const next = { inStock: cur.inStock + l.inStockDelta, allocated: cur.allocated + l.allocatedDelta };
    if (next.inStock < 0 || next.allocated < 0 || next.allocated > next.inStock) {
      const level = { productId: l.productId, warehouseId: l.warehouseId, inStock: cur.inStock, allocated: cur.allocated, onHand: cur.inStock - cur.allocated };
      const product = products.get(l.productId) as ProductRef;
      const warehouse = warehouses.get(l.warehouseId) as WarehouseView;
      throw refusal(l, label(l), product, warehouse, level, details(l));
    }
    mine.set(k, next);
    return next;
  });
  for (const [k, v] of mine) running.set(k, v);
  return after;
}

/** `movements[3]` for batch lines, '' otherwise (message prefixes). */
const label = (l: Line) => (l.index !== undefined ? `movements[${l.index}]` : '');
const field = (l: Line, f: string) => (l.index !== undefined ? `movements[${l.index}].${f}` : f);
const details = (l: Line) => (l.index !== undefined ? { index: l.index } : undefined);

function refusal(l: Line, label: string, p: ProductRef, w: WarehouseView, level: LevelView | undefined, details?: Record<string, unknown>): RuleViolationError {
  const where = `${label ? label + ': ' : ''}`;
  const inStock = level?.inStock ?? 0;
  const allocated = level?.allocated ?? 0;
  const now = `SKU ${p.sku} in warehouse ${w.code} has in stock ${inStock}, allocated ${allocated}, on hand ${inStock - allocated}`;
  switch (l.type) {
    case 'allocation':
      return new RuleViolationError(`allocated-within-in-stock: ${where}allocating ${l.quantity} would exceed what is in stock; ${now}; allocate at most ${inStock - allocated}`, 'allocated-within-in-stock', details);
    case 'de-allocation':
    case 'shipment':
      return new RuleViolationError(
        `allocated-non-negative: ${where}${l.type === 'shipment' ? 'shipping' : 'de-allocating'} ${l.quantity} would make allocated negative; ${now}; ${l.type === 'shipment' ? 'ship' : 'de-allocate'} at most ${allocated}`,
        'allocated-non-negative',
        details,
      );
    default: {
      const min = -(inStock - allocated);
      return new RuleViolationError(
        `stock-non-negative: ${where}${l.type} of ${l.quantity} would leave in stock ${inStock + l.inStockDelta}, below 0 or below the ${allocated} allocated; ${now}; correct by at least ${min} (de-allocate or ship first to go lower)`,
        'stock-non-negative',
        details,
      );
    }
  }
}

export function componentReason(req: StockRequest, part: ComponentQuantity, n: number): string | null {
  if (part.productId === req.productId) return req.reason ?? null;
  const base = `bundle ${req.productId} x ${n} (component quantity ${part.quantity})`;
  return (req.reason ? `${req.reason}; ${base}` : base).slice(0, MAX_REASON_LENGTH);
}

export function validateInputs(inputs: readonly MovementInput[], batch: boolean): Line[] {
  const problems: string[] = [];
  if (!Array.isArray(inputs) || inputs.length < 1) throw new InvalidInputError(['movements must contain at least 1 movement']);
  if (inputs.length > MAX_BATCH_MOVEMENTS) throw new InvalidInputError([`movements must contain at most ${MAX_BATCH_MOVEMENTS} movements; split the batch`]);
  const lines = inputs.map((m, i) => {
    const f = (name: string) => (batch ? `movements[${i}].${name}` : name);
    if (typeof m?.productId !== 'string' || !m.productId) problems.push(`${f('productId')} must be a product id`);
    if (typeof m?.warehouseId !== 'string' || !m.warehouseId) problems.push(`${f('warehouseId')} must be a warehouse id`);
    if (m?.type !== 'goods-in' && m?.type !== 'correction') problems.push(`${f('type')} must be one of: goods-in, correction`);
    const q = m?.quantity;
    if (!Number.isInteger(q)) problems.push(`${f('quantity')} must be an integer`);
    else if (Math.abs(q) > MAX_MOVEMENT_QUANTITY) problems.push(`${f('quantity')} must be between -${MAX_MOVEMENT_QUANTITY} and ${MAX_MOVEMENT_QUANTITY}`);
    else if (m.type === 'goods-in' && q <= 0) problems.push(`${f('quantity')} must be greater than 0 for goods-in (book a correction to lower stock)`);
    else if (m.type === 'correction' && q === 0) problems.push(`${f('quantity')} must not be 0 for a correction`);
    const reason = m?.reason ?? null;
    if (reason !== null && (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH)) problems.push(`${f('reason')} must be a string of at most ${MAX_REASON_LENGTH} characters`);
    return {
      productId: m?.productId,
      warehouseId: m?.warehouseId,
      type: m?.type,
      quantity: q,
      inStockDelta: q,
      allocatedDelta: 0,
      reason,
      index: batch ? i : undefined,
    } as Line;
  });
  if (problems.length) throw new InvalidInputError(problems);
  return lines;
}

export function validateKeyAndCause(options: ApplyOptions): string | null {
  checkCause(options.cause);
  const key = options.idempotencyKey ?? null;
  if (key !== null && (typeof key !== 'string' || key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || /\p{Cc}/u.test(key))) {
    throw new InvalidInputError([`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters without control characters`]);
  }
  return key;
}

function checkCause(cause: MovementCause): void {
  if (!cause || typeof cause.type !== 'string' || cause.type.length < 1 || cause.type.length > 40) throw new InvalidInputError(['cause.type must be 1 to 40 characters']);
  if (cause.id != null && (typeof cause.id !== 'string' || cause.id.length > 200)) throw new InvalidInputError(['cause.id must be at most 200 characters']);
  if (cause.actor != null && (typeof cause.actor !== 'string' || cause.actor.length > 200)) throw new InvalidInputError(['cause.actor must be at most 200 characters']);
}

export function checkStockRequest(req: StockRequest): void {
  const problems: string[] = [];
  if (typeof req.productId !== 'string' || !req.productId) problems.push('productId must be a product id');
  if (typeof req.warehouseId !== 'string' || !req.warehouseId) problems.push('warehouseId must be a warehouse id');
  if (!Number.isInteger(req.quantity) || req.quantity < 1 || req.quantity > MAX_MOVEMENT_QUANTITY) problems.push(`quantity must be an integer from 1 to ${MAX_MOVEMENT_QUANTITY}`);
  if (req.reason != null && (typeof req.reason !== 'string' || req.reason.length > MAX_REASON_LENGTH)) problems.push(`reason must be at most ${MAX_REASON_LENGTH} characters`);
  if (problems.length) throw new InvalidInputError(problems);
  checkCause(req.cause);
}

export function hashRequest(lines: readonly Line[], cause: MovementCause): string {
  const payload = JSON.stringify({
    cause: [cause.type, cause.id ?? null],
    movements: lines.map((l) => [l.productId, l.warehouseId, l.type, l.quantity, l.reason]),
  });
  return createHash('sha256').update(payload).digest('hex');
}
