import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import type { HostConfig } from '../src/config/host-config';
import { createThrowawaySchema, type ThrowawaySchema } from './support/postgres';

/** Every migration runs up on an empty database, creates every entity's table, and reverts cleanly. */
async function exercise(db: HostConfig['database']) {
  const ds = new DataSource({ ...dataSourceOptions(db), migrationsRun: false });
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.length).toBe(ds.migrations.length);
    const qr = ds.createQueryRunner();
    const tables = ds.entityMetadatas.map((m) => m.tableName);
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) expect(await qr.hasTable(t)).toBe(true);
    // The schema the migrations made is the one the entities describe.
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    expect(await ds.showMigrations()).toBe(false);
    for (let i = 0; i < ran.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    for (const t of tables) expect(await qr.hasTable(t)).toBe(false);
    expect((await ds.runMigrations()).length).toBe(ds.migrations.length);
    await qr.release();
  } finally {
    await ds.destroy();
  }
}

describe('migrations', () => {
  it('run and revert on SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invsync-mig-'));
    try {
      await exercise({ type: 'sqlite', path: join(dir, 'm.sqlite') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('on PostgreSQL', () => {
    let schema: ThrowawaySchema;
    beforeAll(async () => {
      schema = await createThrowawaySchema('mig');
    });
    afterAll(async () => {
      await schema?.drop();
    });

    it('run and revert', async () => {
      await exercise({ type: 'postgres', url: schema.url, schema: schema.schema });
    });
  });
});
