import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type B1WorkerInput, type B1WorkerOutput, runB1Worker } from './b1-worker';
import { createBenchDatabase, type Engine, openBenchDataSource } from './database';
import { Dataset } from './dataset';
import { loadDataset } from './loader';

/**
 * B1's measured path at a small size, in-process: the engine's dry run and the floor query must find
 * exactly the listings (and quantities) the generator knows differ from Amazon, on both engines.
 */
describe.each(['sqlite', 'postgres'] as Engine[])('B1 engine and floor agree with the generator on %s', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'invsync-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the same differing listings with the same quantities', async () => {
    const d = new Dataset({ name: 'quick', listings: 800, products: 200, warehouses: 3, bundles: 15 }, { seed: 42, driftRate: 0.1, missingRate: 0.02 });
    const db = await createBenchDatabase(engine, dir, 'spec');
    try {
      const ds = await openBenchDataSource(db);
      await loadDataset(ds, d);
      await ds.destroy();
      const amazon = new Map<string, [string, number][]>(d.channels.map((c) => [c.id, []]));
      for (const l of d.listings) if (l.amazonQuantity !== null) amazon.get(d.channels[l.channel].id)!.push([d.products[l.product].sku, l.amazonQuantity]);
      const input: B1WorkerInput = { database: db.database, engine, channels: d.channels.map((c) => ({ id: c.id, amazon: amazon.get(c.id)! })), pageSize: 37 };
      writeFileSync(join(dir, 'in.json'), JSON.stringify(input));
      await runB1Worker(join(dir, 'in.json'), join(dir, 'out.json'));
      const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as B1WorkerOutput;
      const expected = [...d.expectedDifferences()].map(([id, v]) => [id, v.quantity, v.channelQuantity]).sort();
      expect(expected.length).toBeGreaterThan(20);
      expect([...out.engineDiff].sort()).toEqual(expected);
      expect([...out.floorDiff].sort()).toEqual(expected);
      expect(out.engine).toMatchObject({ listings: 800, changed: expected.length });
    } finally {
      await db.drop();
    }
  }, 60_000);
});
