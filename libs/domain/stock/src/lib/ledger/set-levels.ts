import { type CatalogService, type ProductRef } from '@invsync/domain-catalog';
import { chunk, MAX_SQL_PARAMS, type RowProblem, RowsRejectedError } from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import { WarehouseEntity } from '../warehouse.entity';
import { warehouseCodeKey } from '../warehouse.service';
import { MAX_MOVEMENT_QUANTITY, type MovementInput } from './ledger-types';
import { pairKey, readLevels } from './level-rows';

/** The in-stock level a product should have in a warehouse (opening stock, a stock count). */
export interface LevelTarget {
  sku: string;
  /** The warehouse's code (compared like SKUs: trimmed, ignoring case). */
  warehouse: string;
  inStock: number;
}

/**
 * The movements that bring each target's level to its in-stock quantity: a goods-in where the level
 * holds nothing yet, a correction otherwise; none where it already matches. Every row's problem
 * (unknown SKU or warehouse, not a stock product, a pair given twice, a quantity below what is
 * allocated) is thrown together as RowsRejectedError. On PostgreSQL the levels stay locked until the
 * caller's transaction ends, so the movements reach exactly the targets.
 */
export async function movementsToLevels(
  em: EntityManager,
  catalog: CatalogService,
  targets: readonly LevelTarget[],
  lock: boolean,
): Promise<{ movements: MovementInput[]; unchanged: number }> {
  const problems: RowProblem[] = [];
  const products = await catalog.findBySkus(
    targets.map((t) => t.sku).filter((s) => typeof s === 'string'),
    em,
  );
  const warehouses = await warehousesByCode(em, targets.map((t) => t.warehouse).filter((c) => typeof c === 'string'));
  const valid: { row: number; product: ProductRef; warehouseId: string; inStock: number }[] = [];
  const seen = new Map<string, number>();
  targets.forEach((t, row) => {
    const before = problems.length;
    const product = typeof t.sku === 'string' ? products.get(t.sku) : undefined;
    if (!product) problems.push({ row, field: 'sku', message: `no product with SKU "${t.sku}"` });
    else if (product.kind !== 'stock') problems.push({ row, field: 'sku', message: `stock-tracked-only: ${product.sku} is a ${product.kind === 'bundle' ? 'bundle (give its components stock)' : 'variant parent (give its variants stock)'}; only stock products hold stock` });
    const warehouseId = typeof t.warehouse === 'string' ? warehouses.get(warehouseCodeKey(t.warehouse)) : undefined;
    if (!warehouseId) problems.push({ row, field: 'warehouse', message: `no warehouse with code "${t.warehouse}"` });
    if (!Number.isInteger(t.inStock) || t.inStock < 0 || t.inStock > MAX_MOVEMENT_QUANTITY) problems.push({ row, field: 'quantity', message: `quantity must be an integer from 0 to ${MAX_MOVEMENT_QUANTITY}` });
    if (problems.length > before || !product || !warehouseId) return;
    const first = seen.get(pairKey(product.id, warehouseId));
    if (first !== undefined) problems.push({ row, field: 'sku', message: `${product.sku} in ${t.warehouse} repeats row ${first}; give each product's level in a warehouse once` });
    else {
      seen.set(pairKey(product.id, warehouseId), row);
      valid.push({ row, product, warehouseId, inStock: t.inStock });
    }
  });
  const levels = await readLevels(
    em,
    valid.map((v) => [v.product.id, v.warehouseId] as const),
    lock,
  );
  const movements: MovementInput[] = [];
  let unchanged = 0;
  for (const v of valid) {
    const level = levels.get(pairKey(v.product.id, v.warehouseId)) ?? { inStock: 0, allocated: 0 };
    if (v.inStock < level.allocated) {
      problems.push({ row: v.row, field: 'quantity', message: `stock-non-negative: ${level.allocated} unit(s) of ${v.product.sku} are allocated to orders there; in stock cannot be set below that` });
    } else if (v.inStock === level.inStock) unchanged++;
    else movements.push({ productId: v.product.id, warehouseId: v.warehouseId, type: level.inStock === 0 ? 'goods-in' : 'correction', quantity: v.inStock - level.inStock });
  }
  if (problems.length) throw new RowsRejectedError(problems.sort((a, b) => a.row - b.row));
  return { movements, unchanged };
}

async function warehousesByCode(em: EntityManager, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(codes.map(warehouseCodeKey))], MAX_SQL_PARAMS)) {
    for (const w of await em.find(WarehouseEntity, { where: { codeKey: In(part) }, select: { id: true, codeKey: true } })) out.set(w.codeKey, w.id);
  }
  return out;
}
