import type { EntityManager } from 'typeorm';

/**
 * Bound parameters per statement we allow ourselves: SQLite's limit is 32,766 and PostgreSQL's 65,535;
 * staying well below both leaves room for the fixed parameters of a query.
 */
export const MAX_SQL_PARAMS = 30_000;

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error('chunk size must be >= 1');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs portable SQL with named parameters (`:name`, `:...list` for IN lists), letting the driver turn
 * them into its own placeholders (`?` for SQLite, `$n` for PostgreSQL). Write SQL both engines accept:
 * unquoted lower-case identifiers, integer arithmetic, CASE instead of MIN/MAX scalar functions.
 */
export async function queryNamed<T = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const [query, values] = em.connection.driver.escapeQueryWithParameters(sql, params);
  return (await em.query(query, values)) as T[];
}

/** Runs an INSERT/UPDATE/DELETE with positional parameters (see `parameterList`) and answers the rows it affected. */
export async function execute(em: EntityManager, query: string, values: readonly unknown[]): Promise<number> {
  // EntityManager.query drops the "structured result" flag: ask the query runner for the row count.
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const result = await runner.query(query, [...values], true);
    return result.affected ?? 0;
  } finally {
    if (runner !== em.queryRunner) await runner.release();
  }
}

/**
 * Positional parameters for SQL built by hand on a hot path: `bind(value)` appends the value and
 * answers its placeholder (`?` on SQLite, `$n` on PostgreSQL), `list(values)` binds several and answers
 * them comma-separated (for `IN (...)` and `VALUES (...)`); pass `values` with the SQL.
 */
export function parameterList(em: EntityManager): { values: unknown[]; bind: (value: unknown) => string; list: (values: readonly unknown[]) => string } {
  const postgres = em.connection.options.type === 'postgres';
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return postgres ? `$${values.length}` : '?';
  };
  return { values, bind, list: (items) => items.map(bind).join(', ') };
}

/**
 * Multi-row INSERT with positional parameters built directly (`?` on SQLite, `$n` on PostgreSQL), in
 * statements of at most MAX_SQL_PARAMS values. For bulk writes on hot paths: TypeORM's insert builder
 * spends about 0.1 ms per row on parameter bookkeeping (10,000 ledger rows: 1 s of 2 s; B2 in
 * docs/benchmarks.md). `table` is a `tableRef`; `columns` are plain column names; every row has one
 * value per column. `ignoreConflicts` skips rows that hit a unique key; `returning` answers those
 * columns of the inserted rows (in no promised order).
 */
export async function insertRows<T = Record<string, unknown>>(
  em: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: { ignoreConflicts?: boolean; returning?: readonly string[] } = {},
): Promise<T[]> {
  const postgres = em.connection.options.type === 'postgres';
  const out: T[] = [];
  for (const part of chunk(rows, Math.max(1, Math.floor(MAX_SQL_PARAMS / columns.length)))) {
    const params = parameterList(em);
    const tuples = part.map((row) => {
      if (row.length !== columns.length) throw new Error(`insertRows: a row has ${row.length} values for ${columns.length} columns`);
      return `(${params.list(row)})`;
    });
    const ignore = options.ignoreConflicts ? (postgres ? ' ON CONFLICT DO NOTHING' : '') : '';
    const returning = options.returning?.length ? ` RETURNING ${options.returning.join(', ')}` : '';
    const sql = `INSERT${options.ignoreConflicts && !postgres ? ' OR IGNORE' : ''} INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${ignore}${returning}`;
    const result = await em.query(sql, params.values);
    if (returning && Array.isArray(result)) out.push(...(result as T[]));
  }
  return out;
}

/** Numbers come back as strings from PostgreSQL (bigint sums/counts); this reads either. */
export function toInt(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${String(value)}`);
  return n;
}

/**
 * The quoted, schema-qualified name of an entity's table, for raw SQL. Raw SQL must not rely on the
 * PostgreSQL search_path: the host may run in a non-default schema.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function tableRef(em: EntityManager, entity: Function): string {
  const md = em.connection.getMetadata(entity);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return md.schema ? `${q(md.schema)}.${q(md.tableName)}` : q(md.tableName);
}

/**
 * The quoted name of a table in the connection's schema, for a migration's raw SQL (migrations run
 * before entities can be relied on, and raw SQL must not rely on the PostgreSQL search_path).
 */
export function migrationTable(qr: { connection: { options: object } }, name: string): string {
  const schema = (qr.connection.options as { schema?: string }).schema;
  return schema ? `"${schema}"."${name}"` : `"${name}"`;
}

/**
 * A WHERE fragment keeping the rows whose `column` (an already normalised key, e.g. a SKU key)
 * starts with `prefix`, as an index range on either engine: SQLite's GLOB (case-sensitive, so its
 * index range is used; LIKE is case-insensitive there and scans); PostgreSQL's LIKE, which a
 * `varchar_pattern_ops` index on the column turns into a range whatever the database's collation
 * (the SKU key migrations create one), with a lower bound for the column's ordinary index when
 * many rows match. Wildcard characters in `prefix` are plain characters.
 */
export function startsWith(em: EntityManager, column: string, prefix: string, param = 'prefix'): { where: string; params: Record<string, string> } {
  if (em.connection.options.type === 'postgres') {
    // Backslash is LIKE's escape character by default (an explicit ESCAPE would keep the index out).
    return { where: `${column} >= :${param}Lo AND ${column} LIKE :${param}`, params: { [`${param}Lo`]: prefix, [param]: `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } };
  }
  return { where: `${column} GLOB :${param}`, params: { [param]: `${prefix.replace(/[*?[]/g, (c) => `[${c}]`)}*` } };
}
