import { AvailabilityService } from '@invsync/domain-availability';
import { CatalogService } from '@invsync/domain-catalog';
import { type ChannelGateway, ReconciliationService } from '@invsync/domain-sync';
import { TransactionRunner } from '@invsync/domain-shared';
import { WarehouseService } from '@invsync/domain-stock';
import type { QuantityResult, RemoteQuantity } from '@invsync/plugin-api';
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchDatabase } from './database';
import { openBenchDataSource } from './database';
import { runFloor } from './floor-query';
import { MemorySampler, peakRssMbSoFar } from './memory-sampler';

/** What the parent hands the worker process (as a JSON file). */
export interface B1WorkerInput {
  database: BenchDatabase['database'];
  engine: BenchDatabase['engine'];
  /** Channel ids in order, with what Amazon shows for each: [sku, quantity] pairs. */
  channels: { id: string; amazon: [string, number][] }[];
  pageSize?: number;
}

export interface B1WorkerOutput {
  engine: {
    ms: number;
    readBackMs: number;
    /** Of `ms`: computing on hand (through the run's memo). */
    onHandMs: number;
    listings: number;
    changed: number;
    unchanged: number;
    skipped: number;
    messages: number;
    peakRssMb: number;
    peakHeapMb: number;
    startRssMb: number;
  };
  floor: { ms: number; rows: number; peakRssMb: number };
  engineDiff: [string, number, number | null][];
  floorDiff: [string, number, number | null][];
}

/** Stands in for a plugin's read-back: replays what Amazon shows, page by page. */
class ReplayGateway implements ChannelGateway {
  constructor(private readonly amazon: Map<string, [string, number][]>) {}
  async maxBatchSize(): Promise<number> {
    return 25_000;
  }
  async send(): Promise<QuantityResult[]> {
    throw new Error('B1 runs dry: nothing may be sent');
  }
  async canConfirm(): Promise<boolean> {
    return false;
  }
  async confirm(): Promise<never[]> {
    return [];
  }
  async canPull(): Promise<boolean> {
    return true;
  }
  async *pull(channelId: string): AsyncIterable<RemoteQuantity[]> {
    const all = this.amazon.get(channelId) ?? [];
    for (let i = 0; i < all.length; i += 5000) yield all.slice(i, i + 5000).map(([sku, quantity]) => ({ sku, quantity }));
  }
}

/** B1 in its own process, so its memory is the engine's alone: the engine per channel, then the floor. */
export async function runB1Worker(inputFile: string, outputFile: string): Promise<void> {
  const input = JSON.parse(readFileSync(inputFile, 'utf8')) as B1WorkerInput;
  const ds = await openBenchDataSource({ engine: input.engine, database: input.database, url: '', drop: async () => undefined } as BenchDatabase);
  const tx = TransactionRunner.for(ds);
  const availability = new AvailabilityService(tx, new CatalogService(tx), new WarehouseService(tx));
  const gateway = new ReplayGateway(new Map(input.channels.map((c) => [c.id, c.amazon])));
  const order = input.channels.map((c) => c.id);
  input.channels = [];
  if (typeof global.gc === 'function') global.gc();
  const startRssMb = Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;

  const since = new Date().toISOString();
  const engine = new ReconciliationService(tx, availability, gateway);
  // The engine reports the time it spends taking in and storing the read-back, and computing on hand.
  const timing = { readBackMs: 0, onHandMs: 0 };
  const sampler = new MemorySampler().start();
  const t0 = performance.now();
  // The nightly job's path: one run over every channel (sharing on hand), here dry.
  const run = await engine.reconcileAll(order, { dryRun: true, timing, dryRunItemLimit: Number.MAX_SAFE_INTEGER, ...(input.pageSize ? { pageSize: input.pageSize } : {}) });
  if (run.failed.length) throw new Error(`B1: channel ${run.failed[0].channelId} failed: ${run.failed[0].error}`);
  const totals = run.totals;
  const engineDiff: [string, number, number | null][] = run.summaries.flatMap((s) => (s.items ?? []).map((it): [string, number, number | null] => [it.listingId, it.quantity, it.channelQuantity]));
  const engineMs = performance.now() - t0;
  const mem = sampler.stop();
  const enginePeakRss = Math.max(mem.peakRssMb, peakRssMbSoFar());

  const t1 = performance.now();
  const floorRows = await runFloor(ds, since);
  const floorMs = performance.now() - t1;
  const floorPeak = peakRssMbSoFar();
  await ds.destroy();

  const out: B1WorkerOutput = {
    engine: { ms: engineMs, readBackMs: timing.readBackMs, onHandMs: timing.onHandMs, ...totals, peakRssMb: enginePeakRss, peakHeapMb: mem.peakHeapMb, startRssMb },
    floor: { ms: floorMs, rows: floorRows.length, peakRssMb: floorPeak },
    engineDiff,
    floorDiff: floorRows.map((r) => [r.id, r.quantity, r.channelQuantity]),
  };
  writeFileSync(outputFile, JSON.stringify(out));
}
