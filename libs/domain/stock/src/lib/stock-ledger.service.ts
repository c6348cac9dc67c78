import { createHash } from 'node:crypto';
import { type CatalogService, type ComponentQuantity, type ProductRef, wholeBundles } from '@invsync/domain-catalog';
import {
  chunk,
  InvalidInputError,
  isUniqueViolation,
  MAX_SQL_PARAMS,
  newId,
  NotFoundError,
  nowIso,
  type Page,
  type PageRequest,
  pageSize,
  decodeCursor,
  encodeCursor,
  RuleViolationError,
  type TransactionRunner,
  WriteConflictError,
  execute,
  insertRows,
  parameterList,
  tableRef,
} from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import type { ProductChangeFeed } from './product-change.feed';
import { StockLevelEntity } from './stock-level.entity';
import { type MovementType, StockMovementEntity } from './stock-movement.entity';
import type { WarehouseService, WarehouseView } from './warehouse.service';

export const MAX_BATCH_MOVEMENTS = 10_000;
/** Largest |quantity| of one movement. */
export const MAX_MOVEMENT_QUANTITY = 1_000_000;
export const MAX_REASON_LENGTH = 500;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Who or what caused a movement. */
export interface MovementCause {
  /** `user`, `order`, `fba-reconciliation`, ... (1..40 characters). */
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
  /** Run inside the caller's transaction (the caller commits and should `feed.signal` after). */
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

interface Line {
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

interface WriteContext {
  cause: MovementCause;
  idempotencyKey: string | null;
  requestHash: string | null;
  batch: boolean;
}

/** stock_movement's columns in the order `write` gives them (seq is generated). */
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

/**
 * The stock ledger: append-only movements and the levels they sum to, changed together in one
 * transaction through the TransactionRunner. A request's levels are read once (locked on PostgreSQL),
 * its movements are checked in order against them (`in_stock >= 0`, `0 <= allocated <= in_stock` after
 * every movement), and each level is written once as a compare-and-set on the value read, whose
 * affected-row count is checked: concurrent movements never lose an update and never break an
 * invariant; a refused movement rolls back its whole request. Each commit also records, in the
 * product-change outbox, the moved products and every bundle containing them.
 */
export class StockLedgerService {
  private readonly queued: Queued[] = [];
  private flushing = false;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly catalog: CatalogService,
    private readonly warehouses: WarehouseService,
    private readonly feed: ProductChangeFeed,
  ) {}

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
    // Unkeyed requests of their own (not inside a caller's transaction) share transactions: see `submit`.
    if (!key && !options.em && !this.tx.activeManager) return this.submit({ lines, ctx });
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
            return { result: await this.replay(first.batchId, em), changed: [] };
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
      if (n <= 0) return { result: { n: 0, movements: [] as MovementView[] }, changed: [] as string[] };
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
      return { result: { n, movements: written.result.movements }, changed: written.changed };
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

  // ---------------------------------------------------------------------------------------------

  /**
   * Group commit: a request waits while a transaction is running, and every request that arrived
   * meanwhile is booked in the next transaction together (up to MAX_BATCH_MOVEMENTS movements), each
   * still all or nothing and answered with its own result or refusal. An idle ledger starts a group at
   * the end of the current event-loop turn (setImmediate). Under concurrent single movements this
   * shares one transaction's fixed cost (begin, commit, statement overhead, the pages written to the
   * WAL: about 20 per transaction on SQLite) among many (B4 in docs/benchmarks.md).
   */
  private submit(entry: WriteEntry): Promise<ApplyResult> {
    return new Promise<ApplyResult>((resolve, reject) => {
      this.queued.push({ entry, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // After the I/O already read in this turn of the event loop: requests that arrived together
        // (several connections) are handled up to here first and go in one group. Outside the first
        // caller's async context: the group is nobody's request.
        this.tx.detached(() => setImmediate(() => void this.flush()));
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queued.length) {
        const group = [this.queued.shift() as Queued];
        let size = group[0].entry.lines.length;
        while (this.queued.length && size + this.queued[0].entry.lines.length <= MAX_BATCH_MOVEMENTS) {
          const next = this.queued.shift() as Queued;
          size += next.entry.lines.length;
          group.push(next);
        }
        try {
          const { outcomes, changed } = await this.tx.run((em) => this.writeMany(em, group.map((g) => g.entry)));
          if (changed.length) this.feed.signal(changed);
          outcomes.forEach((o, i) => (o.ok ? group[i].resolve(o.result) : group[i].reject(o.error)));
        } catch (error) {
          for (const g of group) g.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Runs `fn` in a transaction (or the caller's) and signals the feed after a commit we own. */
  private async inTx<T>(em: EntityManager | undefined, fn: (em: EntityManager) => Promise<{ result: T; changed: string[] }>): Promise<T> {
    const owns = !em && !this.tx.activeManager;
    const { result, changed } = await this.tx.run(fn, { em });
    if (owns && changed.length) this.feed.signal(changed);
    return result;
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
  private async write(em: EntityManager, lines: Line[], ctx: WriteContext): Promise<{ result: ApplyResult; changed: string[] }> {
    const { outcomes, changed } = await this.writeMany(em, [{ lines, ctx }]);
    const [outcome] = outcomes;
    if (!outcome.ok) throw outcome.error;
    return { result: outcome.result, changed };
  }

  /**
   * The core, for one request or a group of independent ones (group commit): loads the products and
   * warehouses once, reads the levels once (locked on PostgreSQL), checks each request's movements in
   * order against the running levels in memory (a refused request is answered with its error and leaves
   * the levels to the next), then writes each level once as a compare-and-set, every accepted request's
   * movement rows in one multi-row INSERT, and the change rows. Runs inside `em`'s transaction.
   */
  private async writeMany(em: EntityManager, entries: readonly WriteEntry[]): Promise<{ outcomes: WriteOutcome[]; changed: string[] }> {
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
    if (!accepted.length) return { outcomes: outcomes as WriteOutcome[], changed: [] };

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
    return { outcomes: outcomes as WriteOutcome[], changed };
  }
}

type Level = { inStock: number; allocated: number };

interface WriteEntry {
  lines: Line[];
  ctx: WriteContext;
}

type WriteOutcome = { ok: true; result: ApplyResult } | { ok: false; error: unknown };

interface Queued {
  entry: WriteEntry;
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

/** Every line's product and warehouse exist and the product holds stock; else throws naming the line. */
function checkRefs(lines: readonly Line[], products: ReadonlyMap<string, ProductRef>, warehouses: ReadonlyMap<string, WarehouseView>): void {
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
function checkLevels(lines: readonly Line[], running: Map<string, Level>, products: ReadonlyMap<string, ProductRef>, warehouses: ReadonlyMap<string, WarehouseView>): Level[] {
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

// ---------------------------------------------------------------------------------------------------

const PAIR_SEPARATOR = '\u0000';
const pairKey = (p: string, w: string) => `${p}${PAIR_SEPARATOR}${w}`;

/**
 * Current levels of the given pairs; on PostgreSQL with `lock`, the rows are locked (FOR UPDATE, in
 * key order, so two batches never deadlock) until the transaction ends. SQLite needs no lock: the
 * TransactionRunner runs one write transaction at a time.
 */
async function readLevels(em: EntityManager, pairs: readonly (readonly [string, string])[], lock = false): Promise<Map<string, { inStock: number; allocated: number }>> {
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
async function writeLevels(em: EntityManager, before: ReadonlyMap<string, Level>, after: ReadonlyMap<string, Level>, now: string): Promise<void> {
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
function levelsAfter(movements: readonly MovementView[]): LevelView[] {
  const out = new Map<string, LevelView>();
  for (const m of movements) {
    const k = pairKey(m.productId, m.warehouseId);
    const level = { productId: m.productId, warehouseId: m.warehouseId, inStock: m.inStockAfter, allocated: m.allocatedAfter, onHand: m.inStockAfter - m.allocatedAfter };
    if (out.has(k)) out.delete(k);
    out.set(k, level);
  }
  // order of first appearance
  const order = [...new Set(movements.map((m) => pairKey(m.productId, m.warehouseId)))];
  return order.map((k) => out.get(k)!);
}

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

function componentReason(req: StockRequest, part: ComponentQuantity, n: number): string | null {
  if (part.productId === req.productId) return req.reason ?? null;
  const base = `bundle ${req.productId} x ${n} (component quantity ${part.quantity})`;
  return (req.reason ? `${req.reason}; ${base}` : base).slice(0, MAX_REASON_LENGTH);
}

function validateInputs(inputs: readonly MovementInput[], batch: boolean): Line[] {
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

function validateKeyAndCause(options: ApplyOptions): string | null {
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

function checkStockRequest(req: StockRequest): void {
  const problems: string[] = [];
  if (typeof req.productId !== 'string' || !req.productId) problems.push('productId must be a product id');
  if (typeof req.warehouseId !== 'string' || !req.warehouseId) problems.push('warehouseId must be a warehouse id');
  if (!Number.isInteger(req.quantity) || req.quantity < 1 || req.quantity > MAX_MOVEMENT_QUANTITY) problems.push(`quantity must be an integer from 1 to ${MAX_MOVEMENT_QUANTITY}`);
  if (req.reason != null && (typeof req.reason !== 'string' || req.reason.length > MAX_REASON_LENGTH)) problems.push(`reason must be at most ${MAX_REASON_LENGTH} characters`);
  if (problems.length) throw new InvalidInputError(problems);
  checkCause(req.cause);
}

function hashRequest(lines: readonly Line[], cause: MovementCause): string {
  const payload = JSON.stringify({
    cause: [cause.type, cause.id ?? null],
    movements: lines.map((l) => [l.productId, l.warehouseId, l.type, l.quantity, l.reason]),
  });
  return createHash('sha256').update(payload).digest('hex');
}

function toLevelView(r: StockLevelEntity): LevelView {
  const inStock = Number(r.inStock);
  const allocated = Number(r.allocated);
  return { productId: r.productId, warehouseId: r.warehouseId, inStock, allocated, onHand: inStock - allocated };
}

function toMovementView(r: StockMovementEntity): MovementView {
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
