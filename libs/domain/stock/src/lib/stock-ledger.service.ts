import { type CatalogService, type ComponentQuantity, wholeBundles } from '@invsync/domain-catalog';
import {
  chunk,
  isUniqueViolation,
  MAX_SQL_PARAMS,
  NotFoundError,
  type Page,
  pageSize,
  decodeCursor,
  encodeCursor,
  RuleViolationError,
  type TransactionRunner,
} from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import type { ProductChangeFeed } from './product-change.feed';
import { StockLevelEntity } from './stock-level.entity';
import { StockMovementEntity } from './stock-movement.entity';
import type { WarehouseService } from './warehouse.service';
import { checkStockRequest, componentReason, hashRequest, type Line, validateInputs, validateKeyAndCause } from './ledger/ledger-checks';
import { type AllocationResult, type ApplyOptions, type ApplyResult, type LevelView, type ListMovementsQuery, MAX_BATCH_MOVEMENTS, type MovementCause, type MovementInput, type MovementView, type StockRequest } from './ledger/ledger-types';
import { GroupCommit } from './ledger/group-commit';
import { levelsAfter, pairKey, readLevels, toLevelView } from './ledger/level-rows';
import { MovementBooking, toMovementView, type WriteContext } from './ledger/movement-booking';
import { type LevelTarget, movementsToLevels } from './ledger/set-levels';

export * from './ledger/ledger-types';
export type { LevelTarget } from './ledger/set-levels';

/**
 * The stock ledger: append-only movements and the levels they sum to, changed together in one
 * transaction through the TransactionRunner. A request's levels are read once (locked on PostgreSQL),
 * its movements are checked in order against them (`in_stock >= 0`, `0 <= allocated <= in_stock` after
 * every movement), and each level is written once as a compare-and-set on the value read, whose
 * affected-row count is checked: concurrent movements never lose an update and never break an
 * invariant; a refused movement rolls back its whole request. Each commit also records, in the
 * product-change outbox, the moved products and every bundle containing them, and declares `onHand`
 * to the runner (after-commit listeners wake the sync engine).
 */
export class StockLedgerService {
  private readonly booking: MovementBooking;
  private readonly group: GroupCommit;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly catalog: CatalogService,
    private readonly warehouses: WarehouseService,
    feed: ProductChangeFeed,
  ) {
    this.booking = new MovementBooking(tx, catalog, warehouses, feed);
    this.group = new GroupCommit(tx, (em, entries) => this.booking.book(em, entries));
  }

  /**
   * Books goods-in and correction movements, all or nothing. With `idempotencyKey`: a repeat with the
   * same payload answers the first result (`replayed: true`), another payload is a RuleViolationError.
   * A batch (more than one movement, or `batch: true`) names failing movements as `movements[i]`.
   */
  async apply(inputs: readonly MovementInput[], options: ApplyOptions & { batch?: boolean }): Promise<ApplyResult> {
    const batch = options.batch ?? inputs.length > 1;
    const lines = validateInputs(inputs, batch);
    const key = validateKeyAndCause(options);
    const requestHash = key ? hashRequest(lines, options.cause) : null;
    const ctx: WriteContext = { cause: options.cause, idempotencyKey: key, requestHash, batch };
    // Unkeyed requests of their own (not inside a caller's transaction) share transactions: see GroupCommit.
    if (!key && !options.em && !this.tx.activeManager) return this.group.submit({ lines, ctx });
    const attempt = () =>
      this.inTx(options.em, async (em) => {
        if (key) {
          const first = await em.findOneBy(StockMovementEntity, { idempotencyKey: key });
          if (first) {
            if (first.requestHash !== requestHash) {
              throw new RuleViolationError(
                `idempotency-key-reuse: idempotency key "${key}" was already used for a different request (batch ${first.batchId}); send a new key for a new request`,
                'idempotency-key-reuse',
              );
            }
            return this.replay(first.batchId, em);
          }
        }
        return this.write(em, lines, ctx);
      });
    try {
      return await attempt();
    } catch (err) {
      // Two concurrent first uses of one key (PostgreSQL): the loser retries and replays the winner.
      if (key && !options.em && !this.tx.activeManager && isUniqueViolation(err, 'idempotency_key')) return attempt();
      throw err;
    }
  }

  /**
   * Brings in-stock levels to the given quantities (opening stock, a stock count) with goods-in and
   * correction movements, all or nothing, in `options.em`'s transaction when given. Every row's problem
   * is thrown together as RowsRejectedError; targets already met book nothing.
   */
  async setLevels(targets: readonly LevelTarget[], options: { cause: MovementCause; reason?: string; em?: EntityManager }): Promise<{ movements: number; unchanged: number; batchIds: string[] }> {
    return this.inTx(options.em, async (em) => {
      const plan = await movementsToLevels(em, this.catalog, targets, this.tx.engine === 'postgres');
      const batchIds: string[] = [];
      for (const part of chunk(plan.movements, MAX_BATCH_MOVEMENTS)) {
        const r = await this.apply(part.map((m) => ({ ...m, reason: options.reason ?? null })), { cause: options.cause, em, batch: true });
        batchIds.push(r.batchId);
      }
      return { movements: plan.movements.length, unchanged: plan.unchanged, batchIds };
    });
  }

  /**
   * Allocates up to `quantity` from the warehouse's on hand; partial allocation is allowed and the
   * rest is returned as `shortfall`. A bundle allocates whole bundles: its components, qty x component
   * quantity each, as many as every component can cover in this warehouse.
   */
  async allocate(req: StockRequest, em?: EntityManager): Promise<AllocationResult> {
    checkStockRequest(req);
    const out = await this.inTx(em, async (m) => {
      const parts = await this.partsOf(req, m);
      const pairs = parts.map((p) => [p.productId, req.warehouseId] as const);
      const levels = await readLevels(m, pairs, this.tx.engine === 'postgres');
      const onHandOf = (productId: string) => {
        const l = levels.get(pairKey(productId, req.warehouseId));
        return l ? l.inStock - l.allocated : 0;
      };
      const n = Math.min(req.quantity, wholeBundles(parts, onHandOf));
      if (n <= 0) return { n: 0, movements: [] as MovementView[] };
      const lines: Line[] = parts.map((p) => ({
        productId: p.productId,
        warehouseId: req.warehouseId,
        type: 'allocation',
        quantity: p.quantity * n,
        inStockDelta: 0,
        allocatedDelta: p.quantity * n,
        reason: componentReason(req, p, n),
      }));
      const written = await this.write(m, lines, { cause: req.cause, idempotencyKey: null, requestHash: null, batch: false });
      return { n, movements: written.movements };
    });
    return { productId: req.productId, warehouseId: req.warehouseId, requested: req.quantity, allocated: out.n, shortfall: req.quantity - out.n, movements: out.movements };
  }

  /** Releases `quantity` allocated units (order cancelled): on hand rises. Refused if fewer are allocated. */
  async deallocate(req: StockRequest, em?: EntityManager): Promise<ApplyResult> {
    return this.moveParts(req, 'de-allocation', 0, -1, em);
  }

  /** Ships `quantity` allocated units: in stock and allocated both fall, on hand is unchanged. */
  async ship(req: StockRequest, em?: EntityManager): Promise<ApplyResult> {
    return this.moveParts(req, 'shipment', -1, -1, em);
  }

  /** Movements in ledger order (`seq` ascending), filtered, paged. */
  async listMovements(query: ListMovementsQuery = {}, em?: EntityManager): Promise<Page<MovementView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor<[number]>(query.cursor, ['number'])[0] : undefined;
    return this.tx.read(async (m) => {
      const qb = m.createQueryBuilder(StockMovementEntity, 'm').orderBy('m.seq', 'ASC').take(limit + 1);
      if (query.productId !== undefined) qb.andWhere('m.productId = :p', { p: query.productId });
      if (query.warehouseId !== undefined) qb.andWhere('m.warehouseId = :w', { w: query.warehouseId });
      if (query.batchId !== undefined) qb.andWhere('m.batchId = :b', { b: query.batchId });
      if (after !== undefined) qb.andWhere('m.seq > :after', { after });
      const rows = await qb.getMany();
      const items = rows.slice(0, limit).map(toMovementView);
      return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].seq]) : null };
    }, { em });
  }

  /** Every level row, keyset-paged by (product id, warehouse id): for exports that must not hold everything in memory. */
  async levelPage(page: { limit?: number; cursor?: string } = {}, em?: EntityManager): Promise<Page<LevelView>> {
    const limit = pageSize(page.limit);
    const after = page.cursor ? decodeCursor<[string, string]>(page.cursor, ['string', 'string']) : undefined;
    return this.tx.read(async (m) => {
      const qb = m.createQueryBuilder(StockLevelEntity, 'l').orderBy('l.productId', 'ASC').addOrderBy('l.warehouseId', 'ASC').take(limit + 1);
      if (after) qb.where('(l.productId > :p OR (l.productId = :p AND l.warehouseId > :w))', { p: after[0], w: after[1] });
      const rows = await qb.getMany();
      const items = rows.slice(0, limit).map(toLevelView);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit ? encodeCursor([last.productId, last.warehouseId]) : null };
    }, { em });
  }

  /** Current levels of the given products (optionally only in the given warehouses); absent rows are 0. */
  async levels(productIds: readonly string[], warehouseIds?: readonly string[], em?: EntityManager): Promise<LevelView[]> {
    return this.tx.read(async (m) => {
      const out: LevelView[] = [];
      for (const part of chunk([...new Set(productIds)], Math.floor(MAX_SQL_PARAMS / 2))) {
        const where = warehouseIds ? { productId: In(part), warehouseId: In([...new Set(warehouseIds)]) } : { productId: In(part) };
        out.push(...(await m.findBy(StockLevelEntity, where)).map(toLevelView));
      }
      return out;
    }, { em });
  }

  /** Runs `fn` in a transaction (or the caller's); the runner announces the change after the commit. */
  private inTx<T>(em: EntityManager | undefined, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.run(fn, { em });
  }

  private async moveParts(req: StockRequest, type: 'de-allocation' | 'shipment', inStockSign: number, allocatedSign: number, em?: EntityManager): Promise<ApplyResult> {
    checkStockRequest(req);
    return this.inTx(em, async (m) => {
      const parts = await this.partsOf(req, m);
      const lines: Line[] = parts.map((p) => ({
        productId: p.productId,
        warehouseId: req.warehouseId,
        type,
        quantity: p.quantity * req.quantity,
        inStockDelta: inStockSign * p.quantity * req.quantity,
        allocatedDelta: allocatedSign * p.quantity * req.quantity,
        reason: componentReason(req, p, req.quantity),
      }));
      return this.write(m, lines, { cause: req.cause, idempotencyKey: null, requestHash: null, batch: false });
    });
  }

  /** A stock product is its own single part; a bundle is its components. Parents: 409. */
  private async partsOf(req: StockRequest, em: EntityManager): Promise<ComponentQuantity[]> {
    const product = (await this.catalog.getRefs([req.productId], em)).get(req.productId);
    if (!product) throw new NotFoundError(`productId: product ${req.productId} does not exist`);
    const warehouse = (await this.warehouses.getMany([req.warehouseId], em)).get(req.warehouseId);
    if (!warehouse) throw new NotFoundError(`warehouseId: warehouse ${req.warehouseId} does not exist`);
    if (product.kind === 'parent') {
      throw new RuleViolationError(
        `stock-tracked-only: product ${product.sku} is a variant parent and holds no stock; allocate one of its variants`,
        'stock-tracked-only',
      );
    }
    if (product.kind === 'stock') return [{ productId: product.id, quantity: 1 }];
    return (await this.catalog.componentsOf([product.id], em)).get(product.id) ?? [];
  }

  /** Replays the first result of an idempotent request from the stored movements. */
  private async replay(batchId: string, em: EntityManager): Promise<ApplyResult> {
    const rows = await em.find(StockMovementEntity, { where: { batchId }, order: { seq: 'ASC' } });
    const movements = rows.map(toMovementView);
    return { batchId, movements, levels: levelsAfter(movements), replayed: true };
  }

  /** One request's checks and writes inside `em`'s transaction; a refusal throws (the caller rolls back). */
  private async write(em: EntityManager, lines: Line[], ctx: WriteContext): Promise<ApplyResult> {
    const [outcome] = await this.booking.book(em, [{ lines, ctx }]);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }
}
