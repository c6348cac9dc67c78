import { spawn } from 'node:child_process';
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { B1WorkerInput, B1WorkerOutput } from './b1-worker';
import { createBenchDatabase, type Engine, openBenchDataSource } from './database';
import type { Dataset } from './dataset';
import { loadDataset } from './loader';

export interface B1Result {
  engine: Engine;
  loadMs: number;
  rows: Record<string, number>;
  databaseMb: number | null;
  worker: B1WorkerOutput['engine'];
  floor: B1WorkerOutput['floor'];
  /** engine time / floor time */
  ratio: number;
  /** Engine time without storing the read-back, over the floor (the read-back has no counterpart in the floor). */
  computeRatio: number;
  differing: { engine: number; floor: number; expected: number };
  /** Listings where engine and floor (or floor and the generator) disagree, by quantity or membership. */
  mismatches: { engineVsFloor: number; floorVsExpected: number; examples: string[] };
}

/** Spawns this launcher again as a worker process (its own memory), with --expose-gc. */
export function spawnWorker(args: string[]): Promise<void> {
  const runJs = resolve(__dirname, '../../run.js');
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=4096', runJs, ...args], { stdio: 'inherit' });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`worker ${args.join(' ')} exited with ${code}`))));
  });
}

function compare(a: [string, number, number | null][], b: Map<string, { quantity: number; channelQuantity: number | null }>, examples: string[], label: string): number {
  let bad = 0;
  const seen = new Set<string>();
  for (const [id, q, cq] of a) {
    seen.add(id);
    const o = b.get(id);
    if (!o || o.quantity !== q || o.channelQuantity !== cq) {
      bad++;
      if (examples.length < 5) examples.push(`${label}: listing ${id} ${JSON.stringify([q, cq])} vs ${o ? JSON.stringify([o.quantity, o.channelQuantity]) : 'absent'}`);
    }
  }
  for (const id of b.keys()) {
    if (!seen.has(id)) {
      bad++;
      if (examples.length < 5) examples.push(`${label}: listing ${id} only on the right side`);
    }
  }
  return bad;
}

/**
 * B1 on one engine: loads the data set into a fresh migrated database, then (in a worker process)
 * runs the engine's dry-run reconciliation over every channel and the floor query, and checks that
 * both find exactly the same listings with the same quantities (and that they match the generator).
 */
export async function runB1(d: Dataset, engine: Engine, dir: string, keep = false): Promise<B1Result> {
  const db = await createBenchDatabase(engine, dir, `b1-${d.size.name}`);
  try {
    const ds = await openBenchDataSource(db);
    const t0 = performance.now();
    const rows = await loadDataset(ds, d);
    const loadMs = performance.now() - t0;
    await ds.destroy();
    // What Amazon shows, per channel (by index, as listings refer to channels).
    const amazon = d.channels.map((): [string, number][] => []);
    for (const l of d.listings) if (l.amazonQuantity !== null) amazon[l.channel].push([d.products[l.product].sku, l.amazonQuantity]);
    const input: B1WorkerInput = { database: db.database, engine, channels: d.channels.map((c, i) => ({ id: c.id, amazon: amazon[i] })) };
    const inFile = join(dir, `b1-${engine}-in.json`);
    const outFile = join(dir, `b1-${engine}-out.json`);
    writeFileSync(inFile, JSON.stringify(input));
    await spawnWorker(['--worker=b1', inFile, outFile]);
    const out = JSON.parse(readFileSync(outFile, 'utf8')) as B1WorkerOutput;
    const expected = d.expectedDifferences();
    const examples: string[] = [];
    const floorMap = new Map(out.floorDiff.map(([id, quantity, channelQuantity]) => [id, { quantity, channelQuantity }]));
    const engineVsFloor = compare(out.engineDiff, floorMap, examples, 'engine vs floor');
    const floorVsExpected = compare(out.floorDiff, expected, examples, 'floor vs generator');
    return {
      engine,
      loadMs,
      rows,
      databaseMb: db.database.type === 'sqlite' ? Math.round(statSync(db.database.path).size / 1024 / 1024) : null,
      worker: out.engine,
      floor: out.floor,
      ratio: out.engine.ms / out.floor.ms,
      computeRatio: (out.engine.ms - out.engine.readBackMs) / out.floor.ms,
      differing: { engine: out.engineDiff.length, floor: out.floorDiff.length, expected: expected.size },
      mismatches: { engineVsFloor, floorVsExpected, examples },
    };
  } finally {
    if (!keep) await db.drop();
  }
}
