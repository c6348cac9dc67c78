import type { CatalogService } from '@invsync/domain-catalog';
import { insertRows, newId, nowIso, tableRef, type TransactionRunner } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import type { ProductChangeFeed } from '../product-change.feed';
import { StockMovementEntity } from '../stock-movement.entity';
import type { WarehouseService } from '../warehouse.service';
import { checkLevels, checkRefs, type Line } from './ledger-checks';
import type { ApplyResult, MovementCause, MovementView } from './ledger-types';
import { type Level, levelsAfter, readLevels, writeLevels } from './level-rows';

export interface WriteContext {
  cause: MovementCause;
  idempotencyKey: string | null;
  requestHash: string | null;
  batch: boolean;
}

/** One request to book: its lines, all or nothing. */
export interface WriteEntry {
  lines: Line[];
  ctx: WriteContext;
}

export type WriteOutcome = { ok: true; result: ApplyResult } | { ok: false; error: unknown };

/** stock_movement's columns in the order `book` gives them (seq is generated). */
const MOVEMENT_COLUMNS = [
  'id',
  'product_id',
  'warehouse_id',
  'type',
  'quantity',
  'in_stock_delta',
  'allocated_delta',
  'in_stock_after',
  'allocated_after',
  'reason',
  'cause_type',
  'cause_id',
  'actor',
  'idempotency_key',
  'request_hash',
  'batch_id',
  'created_at',
];

/** Books requests' movements, levels and change rows inside the caller's transaction, and declares the on-hand change. */
export class MovementBooking {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly catalog: CatalogService,
    private readonly warehouses: WarehouseService,
    private readonly feed: ProductChangeFeed,
  ) {}

  /**
   * The core, for one request or a group of independent ones (group commit): loads the products and
   * warehouses once, reads the levels once (locked on PostgreSQL), checks each request's movements in
   * order against the running levels in memory (a refused request is answered with its error and leaves
   * the levels to the next), then writes each level once as a compare-and-set, every accepted request's
   * movement rows in one multi-row INSERT, and the change rows. Runs inside `em`'s transaction.
   */
  async book(em: EntityManager, entries: readonly WriteEntry[]): Promise<WriteOutcome[]> {
    const all = entries.flatMap((e) => e.lines);
    const products = await this.catalog.getRefs(all.map((l) => l.productId), em);
    const warehouses = await this.warehouses.getMany(all.map((l) => l.warehouseId), em);
    const outcomes: (WriteOutcome | undefined)[] = entries.map((e) => {
      try {
        checkRefs(e.lines, products, warehouses);
        return undefined;
      } catch (error) {
        return { ok: false, error };
      }
    });

    const pairs = entries.flatMap((e, i) => (outcomes[i] ? [] : e.lines.map((l) => [l.productId, l.warehouseId] as const)));
    const before = pairs.length ? await readLevels(em, pairs, this.tx.engine === 'postgres') : new Map<string, Level>();
    const running = new Map(before);
    const accepted: { index: number; entry: WriteEntry; after: Level[]; batchId: string }[] = [];
    entries.forEach((entry, index) => {
      if (outcomes[index]) return;
      try {
        accepted.push({ index, entry, after: checkLevels(entry.lines, running, products, warehouses), batchId: newId() });
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    });
    if (!accepted.length) return outcomes as WriteOutcome[];

    const now = nowIso();
    await writeLevels(em, before, running, now);
    const rows = accepted.flatMap(({ entry: { lines, ctx }, after, batchId }) =>
      lines.map((l, i) => ({
        id: newId(),
        productId: l.productId,
        warehouseId: l.warehouseId,
        type: l.type,
        quantity: l.quantity,
        inStockDelta: l.inStockDelta,
        allocatedDelta: l.allocatedDelta,
        inStockAfter: after[i].inStock,
        allocatedAfter: after[i].allocated,
        reason: l.reason,
        causeType: ctx.cause.type,
        causeId: ctx.cause.id ?? null,
        actor: ctx.cause.actor ?? null,
        idempotencyKey: i === 0 ? ctx.idempotencyKey : null,
        requestHash: i === 0 ? ctx.requestHash : null,
        batchId,
        createdAt: now,
        seq: 0,
      })),
    );
    const inserted = await insertRows<{ id: string; seq: number | string }>(
      em,
      tableRef(em, StockMovementEntity),
      MOVEMENT_COLUMNS,
      rows.map((r) => [r.id, r.productId, r.warehouseId, r.type, r.quantity, r.inStockDelta, r.allocatedDelta, r.inStockAfter, r.allocatedAfter, r.reason, r.causeType, r.causeId, r.actor, r.idempotencyKey, r.requestHash, r.batchId, r.createdAt]),
      { returning: ['id', 'seq'] },
    );
    const seqs = new Map(inserted.map((r) => [r.id, Number(r.seq)]));
    let next = 0;
    for (const { index, entry, batchId } of accepted) {
      const movements = rows.slice(next, next + entry.lines.length).map((r) => toMovementView({ ...r, seq: seqs.get(r.id) ?? 0 }));
      next += entry.lines.length;
      outcomes[index] = { ok: true, result: { batchId, movements, levels: levelsAfter(movements), replayed: false } };
    }

    const moved = [...new Set(accepted.flatMap((a) => a.entry.lines.map((l) => l.productId)))];
    const changed = [...moved, ...(await this.catalog.bundlesContaining(moved, em))];
    await this.feed.record(changed, em);
    this.tx.changed('onHand');
    return outcomes as WriteOutcome[];
  }
}

export function toMovementView(r: StockMovementEntity): MovementView {
  return {
    id: r.id,
    seq: Number(r.seq),
    productId: r.productId,
    warehouseId: r.warehouseId,
    type: r.type,
    quantity: r.quantity,
    inStockDelta: r.inStockDelta,
    allocatedDelta: r.allocatedDelta,
    inStockAfter: r.inStockAfter,
    allocatedAfter: r.allocatedAfter,
    reason: r.reason ?? null,
    causeType: r.causeType,
    causeId: r.causeId ?? null,
    actor: r.actor ?? null,
    idempotencyKey: r.idempotencyKey ?? null,
    batchId: r.batchId,
    createdAt: r.createdAt,
  };
}
