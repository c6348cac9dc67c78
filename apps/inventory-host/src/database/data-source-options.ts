import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HostConfig } from '../config/host-config';
import { allEntities, allMigrations } from './persistence';

/**
 * TypeORM options for the configured engine. Migrations always run at start; the schema never
 * comes from `synchronize`.
 */
export function dataSourceOptions(db: HostConfig['database']): DataSourceOptions {
  const common = {
    entities: allEntities,
    migrations: allMigrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (db.type === 'postgres') {
    // With a schema, it is also every connection's search_path, so raw SQL finds the tables.
    const extra = { max: 10, ...(db.schema ? { options: `-c search_path="${db.schema.replace(/"/g, '')}"` } : {}) };
    // The drivers are passed, not left to TypeORM's dynamic require: the bundle's generated
    // package.json then lists them, and npm installs them with it.
    return { ...common, type: 'postgres', driver: pg, url: db.url, schema: db.schema, extra };
  }
  mkdirSync(dirname(db.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    driver: BetterSqlite3,
    database: db.path,
    enableWAL: true,
    // better-sqlite3 waits this long for a lock held by another connection before SQLITE_BUSY.
    timeout: 10000,
    prepareDatabase: (raw: { pragma(s: string): unknown }) => {
      raw.pragma('busy_timeout = 10000');
      raw.pragma('synchronous = NORMAL');
      raw.pragma('foreign_keys = ON');
      // 64 MiB of page cache instead of SQLite's 2 MB: the ledger's indexes and a million listings are
      // far larger, and a miss is a read syscall (the host has one connection, so this is the total).
      raw.pragma('cache_size = -65536');
    },
  };
}

/**
 * Opens the database and runs pending migrations. On PostgreSQL several instances may start at
 * once: a session advisory lock makes them migrate one after the other (the later ones find
 * nothing to do).
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const ds = new DataSource({ ...options, migrationsRun: false } as DataSourceOptions);
  await ds.initialize();
  if (options.type !== 'postgres') {
    await ds.runMigrations({ transaction: 'each' });
    return ds;
  }
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.query('SELECT pg_advisory_lock(hashtext($1))', ['invsync-migrations']);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await qr.query('SELECT pg_advisory_unlock(hashtext($1))', ['invsync-migrations']).catch(() => undefined);
    await qr.release();
  }
  return ds;
}
