import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource, type MixedList } from 'typeorm';
import type { DbEngine } from '../lib/transaction-runner';

/** PostgreSQL used by tests (runs on every dev machine and in CI). */
export const TEST_PG_URL = process.env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDataSourceOptions {
  engine: DbEngine;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

export interface TestDataSource {
  ds: DataSource;
  /** Destroys the DataSource and deletes the SQLite file / drops the PostgreSQL schema. */
  close(): Promise<void>;
}

/**
 * For tests of domain libs: a migrated DataSource on a fresh SQLite file (same settings as the host:
 * WAL, busy timeout, foreign keys) or in a throwaway PostgreSQL schema.
 */
export async function openTestDataSource(opts: TestDataSourceOptions): Promise<TestDataSource> {
  const common = {
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (opts.engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'invsync-domain-'));
    const ds = new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: join(dir, 'test.sqlite'),
      enableWAL: true,
      prepareDatabase: (raw: { pragma(s: string): unknown }) => {
        raw.pragma('busy_timeout = 10000');
        raw.pragma('foreign_keys = ON');
      },
    });
    await ds.initialize();
    return {
      ds,
      close: async () => {
        await ds.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new DataSource({ type: 'postgres', url: TEST_PG_URL });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const ds = new DataSource({ ...common, type: 'postgres', url: TEST_PG_URL, schema, extra: { max: 10, options: `-c search_path=${schema}` } });
  try {
    await ds.initialize();
  } catch (err) {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.destroy();
    throw err;
  }
  return {
    ds,
    close: async () => {
      await ds.destroy();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.destroy();
    },
  };
}
