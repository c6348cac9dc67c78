import { chunk, execute, insertRows, MAX_SQL_PARAMS, parameterList, tableRef, WriteConflictError } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { StockLevelEntity } from '../stock-level.entity';
import type { LevelView, MovementView } from './ledger-types';

export type Level = { inStock: number; allocated: number };

const PAIR_SEPARATOR = '\u0000';
export const pairKey = (p: string, w: string) => `${p}${PAIR_SEPARATOR}${w}`;

/**
 * Current levels of the given pairs; on PostgreSQL with `lock`, the rows are locked (FOR UPDATE, in
 * key order, so two batches never deadlock) until the transaction ends. SQLite needs no lock: the
 * TransactionRunner runs one write transaction at a time.
 */
export async function readLevels(em: EntityManager, pairs: readonly (readonly [string, string])[], lock = false): Promise<Map<string, { inStock: number; allocated: number }>> {
  const wanted = new Set(pairs.map(([p, w]) => pairKey(p, w)));
  const warehouseIds = [...new Set(pairs.map(([, w]) => w))].sort();
  const productIds = [...new Set(pairs.map(([p]) => p))].sort();
  const out = new Map<string, { inStock: number; allocated: number }>();
  for (const wPart of chunk(warehouseIds, 5000)) {
    for (const pPart of chunk(productIds, MAX_SQL_PARAMS - wPart.length)) {
      const params = parameterList(em);
      const rows = (await em.query(
        `SELECT product_id, warehouse_id, in_stock, allocated FROM ${tableRef(em, StockLevelEntity)}
          WHERE product_id IN (${params.list(pPart)}) AND warehouse_id IN (${params.list(wPart)}) ORDER BY product_id, warehouse_id${lock ? ' FOR UPDATE' : ''}`,
        params.values,
      )) as { product_id: string; warehouse_id: string; in_stock: number | string; allocated: number | string }[];
      for (const r of rows) {
        const k = pairKey(r.product_id, r.warehouse_id);
        if (wanted.has(k)) out.set(k, { inStock: Number(r.in_stock), allocated: Number(r.allocated) });
      }
    }
  }
  return out;
}

/**
 * Writes each changed pair's final level in set-based statements. A level that existed is updated as a
 * compare-and-set on the value read before (`in_stock = before AND allocated = before`), a new one is
 * inserted; the affected counts are checked, so a write another transaction slipped under (PostgreSQL:
 * two hosts creating the same level at once) is a WriteConflictError, and the transaction runs again.
 * Levels of refused requests are not written: a refusal leaves no row behind.
 */
export async function writeLevels(em: EntityManager, before: ReadonlyMap<string, Level>, after: ReadonlyMap<string, Level>, now: string): Promise<void> {
  const t = tableRef(em, StockLevelEntity);
  const updates = [...after].filter(([k, a]) => {
    const b = before.get(k);
    return b && (b.inStock !== a.inStock || b.allocated !== a.allocated);
  });
  const creates = [...after].filter(([k]) => !before.has(k)).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const part of chunk(updates, Math.floor((MAX_SQL_PARAMS - 1) / 6))) {
    const params = parameterList(em);
    const values = part.map(([k, a]) => {
      const [p, w] = k.split(PAIR_SEPARATOR);
      const b = before.get(k) as Level;
      return `(${params.list([p, w, String(b.inStock), String(b.allocated), String(a.inStock), String(a.allocated)])})`;
    });
    const affected = await execute(
      em,
      `WITH v(p, w, bi, ba, ai, aa) AS (VALUES ${values.join(', ')})
       UPDATE ${t} AS l SET in_stock = CAST(v.ai AS INTEGER), allocated = CAST(v.aa AS INTEGER), updated_at = ${params.bind(now)}
         FROM v WHERE l.product_id = v.p AND l.warehouse_id = v.w AND l.in_stock = CAST(v.bi AS INTEGER) AND l.allocated = CAST(v.ba AS INTEGER)`,
      params.values,
    );
    if (affected !== part.length) throw new WriteConflictError(`stock levels changed while movements were being booked (${affected} of ${part.length} updated)`);
  }
  const created = await insertRows(
    em,
    t,
    ['product_id', 'warehouse_id', 'in_stock', 'allocated', 'updated_at'],
    creates.map(([k, a]) => [...k.split(PAIR_SEPARATOR), a.inStock, a.allocated, now]),
    { ignoreConflicts: true, returning: ['product_id'] },
  );
  if (created.length !== creates.length) throw new WriteConflictError(`stock levels were created while movements were being booked (${created.length} of ${creates.length} created)`);
}

/** Final level per pair from movements' running balances (last movement of each pair wins). */
export function levelsAfter(movements: readonly MovementView[]): LevelView[] {
  const out = new Map<string, LevelView>();
  for (const m of movements) {
    const k = pairKey(m.productId, m.warehouseId);
    const level = { productId: m.productId, warehouseId: m.warehouseId, inStock: m.inStockAfter, allocated: m.allocatedAfter, onHand: m.inStockAfter - m.allocatedAfter };
    if (out.has(k)) out.delete(k);
    out.set(k, level);
  }
  // order of first appearance
  const order = [...new Set(movements.map((m) => pairKey(m.productId, m.warehouseId)))];
  return order.map((k) => out.get(k) as LevelView);
}

export function toLevelView(r: StockLevelEntity): LevelView {
  const inStock = Number(r.inStock);
  const allocated = Number(r.allocated);
  return { productId: r.productId, warehouseId: r.warehouseId, inStock, allocated, onHand: inStock - allocated };
}
