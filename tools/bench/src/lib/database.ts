import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
// The benchmarks run the host's own code (schema, app): an Nx app is not importable by alias.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { dataSourceOptions } from '../../../../apps/inventory-host/src/database/data-source-options';

export const TEST_PG_URL = process.env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Engine = 'sqlite' | 'postgres';

/** Where a benchmark database lives: a SQLite file, or a throwaway PostgreSQL schema. */
export interface BenchDatabase {
  engine: Engine;
  /** DATABASE_URL for the host (and for worker processes). */
  url: string;
  database: { type: 'sqlite'; path: string } | { type: 'postgres'; url: string; schema: string };
  /** Deletes the file / drops the schema. */
  drop(): Promise<void>;
}

export async function createBenchDatabase(engine: Engine, dir: string, name: string): Promise<BenchDatabase> {
  if (engine === 'sqlite') {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.sqlite`);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    return {
      engine,
      url: `sqlite:${path}`,
      database: { type: 'sqlite', path },
      drop: async () => {
        for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}.lock`]) rmSync(f, { force: true });
      },
    };
  }
  const schema = `bench_${name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withPg((c) => c.query(`CREATE SCHEMA "${schema}"`));
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return {
    engine,
    url: url.toString(),
    database: { type: 'postgres', url: url.toString(), schema },
    drop: () => withPg((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

/**
 * Opens the database with the host's own options, entities and migrations (running any pending
 * migration), so every benchmark runs on exactly the production schema.
 */
export async function openBenchDataSource(db: BenchDatabase): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(db.database));
  await ds.initialize();
  return ds;
}

async function withPg<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: TEST_PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Whether the PostgreSQL server answers (the benchmarks on it are skipped, and said so, otherwise). */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await withPg((c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
