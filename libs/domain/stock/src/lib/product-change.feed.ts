import { chunk, insertRows, MAX_SQL_PARAMS, nowIso, tableRef, type TransactionRunner } from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import { ProductChangeEntity } from './product-change.entity';

/**
 * What the consumer of changes implements (the sync engine marks the products' listings dirty).
 * It runs inside the consuming transaction: use `em` for every write, do no other I/O, and throw to
 * keep the rows for the next attempt.
 */
export type ProductChangeHandler = (productIds: string[], em: EntityManager) => Promise<void>;

export interface ConsumeResult {
  /** Outbox rows consumed (deleted). */
  rows: number;
  /** Distinct products handed to the handler. */
  productIds: string[];
}

/**
 * The durable change signal. Writers (`record`, called by the ledger inside the movement's
 * transaction) append one row per product whose on hand may have changed; `consume` hands them to a
 * handler and deletes them in ONE transaction, so a crash before the commit loses nothing and one after
 * it repeats nothing. Delivery is at-least-once per change, and many changes of one product coalesce
 * into one id per batch: the consumer must recompute from current state, never apply deltas.
 *
 * The in-process wake-up after a commit is the TransactionRunner's `afterCommit` (the ledger declares
 * `onHand`); the rows are the truth.
 */
export class ProductChangeFeed {
  constructor(private readonly tx: TransactionRunner) {}

  /** Appends change rows inside the caller's transaction (distinct ids). */
  async record(productIds: readonly string[], em: EntityManager): Promise<void> {
    const ids = [...new Set(productIds)];
    if (!ids.length) return;
    const at = nowIso();
    await insertRows(em, tableRef(em, ProductChangeEntity), ['product_id', 'created_at'], ids.map((productId) => [productId, at]));
  }

  /**
   * Reads up to `limit` oldest rows, calls `handler(distinctProductIds, em)` in the same transaction
   * and deletes the rows. On PostgreSQL concurrent consumers skip each other's rows (SKIP LOCKED).
   */
  async consume(limit: number, handler: ProductChangeHandler): Promise<ConsumeResult> {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
    return this.tx.run(async (em) => {
      const qb = em.createQueryBuilder(ProductChangeEntity, 'c').orderBy('c.id', 'ASC').limit(limit);
      if (this.tx.engine === 'postgres') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await qb.getMany();
      if (!rows.length) return { rows: 0, productIds: [] };
      const productIds = [...new Set(rows.map((r) => r.productId))];
      await handler(productIds, em);
      for (const part of chunk(rows.map((r) => r.id), MAX_SQL_PARAMS)) {
        await em.delete(ProductChangeEntity, { id: In(part) });
      }
      return { rows: rows.length, productIds };
    });
  }

  /** Number of rows waiting. */
  async pending(em?: EntityManager): Promise<number> {
    return this.tx.read((m) => m.count(ProductChangeEntity), { em });
  }
}
