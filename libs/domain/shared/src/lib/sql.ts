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
