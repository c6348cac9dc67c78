import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { AsyncMutex } from './async-mutex';
import { type ChangeTopic, type CommitListener, CommitListeners } from './commit-listeners';

export type DbEngine = 'sqlite' | 'postgres';

/** The engine behind a DataSource (`better-sqlite3` counts as SQLite). */
export function engineOf(ds: DataSource): DbEngine {
  const type = ds.options.type;
  if (type === 'postgres') return 'postgres';
  if (type === 'better-sqlite3') return 'sqlite';
  throw new Error(`Unsupported database type "${type}": use better-sqlite3 or postgres`);
}

export interface RunOptions {
  /** Join the caller's transaction instead of starting one (the caller commits). */
  em?: EntityManager;
}

const RETRYABLE_PG_CODES = new Set(['40001', '40P01']);

/**
 * Thrown by a write that found its compare-and-set lost to a concurrent transaction (PostgreSQL: two
 * hosts creating the same row at once). The runner re-runs the transaction, as for a serialization
 * failure.
 */
export class WriteConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteConflictError';
  }
}
const MAX_ATTEMPTS = 6;

/**
 * The one path for database writes.
 *
 * - **SQLite** (better-sqlite3) has a single connection: TypeORM turns a second concurrent
 *   `transaction()` into a SAVEPOINT of the first (or fails), so two unrelated requests would share a
 *   transaction. The runner serialises every write transaction (and every `read`) through an in-process
 *   FIFO mutex, so each runs alone and sees only committed data.
 * - **PostgreSQL**: a normal transaction on a pooled connection, retried from the start on a
 *   serialization failure or deadlock (SQLSTATE 40001 / 40P01). `fn` must therefore be safe to re-run
 *   (no side effects outside `em` before the commit).
 *
 * A `run` or `read` called inside another `run` (same async context) joins the outer transaction
 * instead of deadlocking on the mutex. There is one runner per DataSource (`TransactionRunner.for`),
 * so every module that writes through it shares the mutex.
 *
 * Code inside `run` declares what it changed (`changed('orders')`); after the outermost transaction
 * commits, `afterCommit` listeners are told once, with the union of the topics. A rollback (and a
 * PostgreSQL attempt that is retried) tells nobody.
 */
export class TransactionRunner {
  private static readonly runners = new WeakMap<DataSource, TransactionRunner>();

  /** The shared runner of a DataSource. */
  static for(ds: DataSource): TransactionRunner {
    let runner = TransactionRunner.runners.get(ds);
    if (!runner) {
      runner = new TransactionRunner(ds);
      TransactionRunner.runners.set(ds, runner);
    }
    return runner;
  }

  readonly engine: DbEngine;
  private readonly mutex = new AsyncMutex();
  private readonly current = new AsyncLocalStorage<TxContext>();
  /** The topics of each open write transaction, by its EntityManager (for `run(fn, { em })`). */
  private readonly open = new WeakMap<EntityManager, Set<ChangeTopic>>();
  private readonly listeners = new CommitListeners();

  private constructor(readonly dataSource: DataSource) {
    this.engine = engineOf(dataSource);
  }

  /** The transaction's EntityManager if the caller runs inside `run`, else undefined. */
  get activeManager(): EntityManager | undefined {
    const c = this.current.getStore();
    return c?.write ? c.em : undefined;
  }

  /** Runs `fn` outside any surrounding `run`/`read` (work started for many callers, e.g. a group commit). */
  detached<T>(fn: () => T): T {
    return this.current.exit(fn);
  }

  /** Registers a listener told after each outermost commit that declared changes; returns the unsubscribe function. */
  afterCommit(listener: CommitListener): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Declares that the surrounding `run`'s transaction changes these topics. Inside a transaction this
   * runner did not open (`options.em` of another origin) the declaration is the owner's to make.
   */
  changed(...topics: ChangeTopic[]): void {
    const c = this.current.getStore();
    if (!c?.write) throw new Error('TransactionRunner.changed() called outside run(): declare changes inside the write transaction');
    for (const topic of topics) c.changes?.add(topic);
  }

  /** Runs `fn` in one transaction (or in `options.em` / the surrounding `run`'s transaction). */
  async run<T>(fn: (em: EntityManager) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const outer = this.current.getStore();
    const joined = options.em;
    if (joined) {
      const changes = outer?.write && outer.em === joined ? outer.changes : this.open.get(joined);
      return this.current.run({ em: joined, write: true, changes }, () => fn(joined));
    }
    if (outer?.write) return fn(outer.em);
    if (outer) throw new Error('TransactionRunner.run() called inside read(): start the write transaction outside, or pass its EntityManager');
    let changes = new Set<ChangeTopic>();
    const inTx = async (em: EntityManager) => {
      // A fresh set per attempt: a retried PostgreSQL attempt declares again.
      changes = new Set<ChangeTopic>();
      this.open.set(em, changes);
      try {
        return await this.current.run({ em, write: true, changes }, () => fn(em));
      } finally {
        this.open.delete(em);
      }
    };
    const result = await this.transact(inTx);
    // Outside the committed transaction's context: a listener that writes starts a transaction of its own.
    this.current.exit(() => this.listeners.notify(changes));
    return result;
  }

  private async transact<T>(inTx: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.engine === 'sqlite') {
      return this.mutex.runExclusive(() => this.dataSource.transaction(inTx));
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(inTx);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !(err instanceof WriteConflictError || RETRYABLE_PG_CODES.has(pgCode(err) ?? ''))) throw err;
        await sleep(Math.random() * 10 * 2 ** attempt);
      }
    }
  }

  /**
   * Runs read-only work. On SQLite it waits for the running write transaction (so it never sees
   * uncommitted rows of another request); on PostgreSQL it runs on the pool directly.
   */
  async read<T>(fn: (em: EntityManager) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const joined = options.em ?? this.current.getStore()?.em;
    if (joined) return fn(joined);
    const manager = this.dataSource.manager;
    const inRead = () => this.current.run({ em: manager, write: false }, () => fn(manager));
    if (this.engine === 'sqlite') return this.mutex.runExclusive(inRead);
    return inRead();
  }
}

interface TxContext {
  em: EntityManager;
  write: boolean;
  /** Topics declared in the outermost write transaction; undefined in a read or a transaction of another origin. */
  changes?: Set<ChangeTopic>;
}

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * True when `err` is a unique-constraint violation (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE /
 * PRIMARYKEY). With `hint`, the constraint name (PostgreSQL) or message (SQLite, e.g. `product.sku_key`)
 * must contain it.
 */
export function isUniqueViolation(err: unknown, hint?: string): boolean {
  const e = err as { message?: string; driverError?: { code?: string; constraint?: string; message?: string } } | null;
  const d = e?.driverError;
  if (!d) return false;
  if (d.code === '23505') return !hint || (d.constraint ?? '').includes(hint) || (d.message ?? '').includes(hint);
  if (d.code === 'SQLITE_CONSTRAINT_UNIQUE' || d.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return !hint || (d.message ?? e?.message ?? '').includes(hint);
  }
  return false;
}
