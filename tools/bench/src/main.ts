import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AmazonWorld } from './lib/amazon-world';
import { type B1Result, runB1 } from './lib/b1-reconciliation';
import { runB1Worker } from './lib/b1-worker';
import { b2StockUsed, type B2Params, type B2Result, runB2 } from './lib/b2-propagation';
import { type B3Params, type B3Scenario, runB3 } from './lib/b3-calls';
import { type B4Result, runB4 } from './lib/b4-admin-api';
import { type B5Params, runB5 } from './lib/b5-oversell';
import { runB6 } from './lib/b6-csv';
import { type Engine, postgresAvailable } from './lib/database';
import { Dataset, type DatasetSize, SIZES, type SizeName } from './lib/dataset';
import { machine, renderReport, type BenchReport } from './lib/report';
import { checkReport } from './lib/check';
import { runB7All } from './lib/b7-live-listings';
import { writeB7Only } from './lib/b7-report';

/** The host benchmarks' inventory and work per size (B2-B4 run on SQLite with the amazon-mfn plugin). */
const HOST_PLAN: Record<SizeName, { inventory: DatasetSize; b2: B2Params; b3: B3Params; b4Seconds: number; b5: B5Params; csvRows: number; sandboxDelayMs?: { feed: number; report: number } }> = {
  quick: {
    inventory: { name: 'quick', listings: 0, products: 5_000, warehouses: 3, bundles: 10 },
    b2: { movements: 6_000, batchSize: 2_000, connected: 1_500, trickle: 10, trickleEveryMs: 500, burstRounds: 2, burstSize: 5 },
    b3: { bulk: 1_600, burst: 200, steady: 20 },
    b4Seconds: 3,
    // The rates of medium (3.5 host changes and 17 Amazon buyers a second), a shorter day.
    b5: { skus: 100, seconds: 20, amazonOrders: 330, otherSales: 53, goodsIn: 16 },
    csvRows: 2_000,
    // The smoke test only checks that everything runs: Amazon's processing is simulated shorter.
    sandboxDelayMs: { feed: 300, report: 200 },
  },
  medium: {
    inventory: { name: 'medium', listings: 0, products: 40_000, warehouses: 3, bundles: 100 },
    b2: { movements: 100_000, batchSize: 10_000, connected: 2_000, trickle: 100, trickleEveryMs: 500, burstRounds: 6, burstSize: 5 },
    b3: { bulk: 30_000, burst: 1_000, steady: 100 },
    b4Seconds: 20,
    b5: { skus: 300, seconds: 300, amazonOrders: 5_000, otherSales: 800, goodsIn: 240 },
    csvRows: 100_000,
  },
  large: {
    inventory: { name: 'large', listings: 0, products: 40_000, warehouses: 3, bundles: 100 },
    b2: { movements: 100_000, batchSize: 10_000, connected: 2_000, trickle: 100, trickleEveryMs: 500, burstRounds: 6, burstSize: 5 },
    b3: { bulk: 30_000, burst: 1_000, steady: 100 },
    b4Seconds: 20,
    b5: { skus: 300, seconds: 300, amazonOrders: 5_000, otherSales: 800, goodsIn: 240 },
    csvRows: 100_000,
  },
};

const WINDOW_MS = 1000;
const FEED_THRESHOLD = 1500;

interface Args {
  size: SizeName;
  only: Set<string>;
  engines: Engine[];
  out: string;
  dir: string;
  keep: boolean;
}

/** Where a run writes its report unless told otherwise. The quick size is a smoke test: it never overwrites the recorded numbers. */
function defaultOut(size: SizeName): string {
  return resolve(__dirname, '../../..', size === 'quick' ? 'tmp/bench/benchmarks-quick.md' : 'docs/benchmarks.md');
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const size: SizeName = argv.includes('--quick') ? 'quick' : argv.includes('--medium') ? 'medium' : 'large';
  const root = resolve(__dirname, '../../..');
  return {
    size,
    only: new Set((value('only') ?? 'b1,b2,b3,b4,b5,b6').toLowerCase().split(',')),
    engines: (value('engines') ?? 'sqlite,postgres').split(',') as Engine[],
    out: resolve(value('out') ?? defaultOut(size)),
    dir: resolve(value('dir') ?? join(root, 'tmp/bench')),
    keep: argv.includes('--keep'),
  };
}

const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.some((a) => a.startsWith('--worker='))) {
    const [input, output] = argv.filter((a) => !a.startsWith('--'));
    await runB1Worker(input, output);
    return;
  }
  const args = parseArgs(argv);
  if (!argv.some((a) => a.startsWith('--only='))) args.only.add('b7');
  mkdirSync(args.dir, { recursive: true });
  const renderFrom = argv.find((a) => a.startsWith('--render-from='))?.slice(14);
  if (renderFrom) {
    // Re-renders the document from a run's saved results (wording changes need no new run).
    const saved = JSON.parse(readFileSync(renderFrom, 'utf8')) as BenchReport;
    // A run of B7 alone (results-b7-*.json) re-renders only its own section.
    if (saved.b7 && !saved.b2 && !saved.b3 && !saved.b4 && !saved.b5 && !saved.b6?.length && !saved.b1.length) writeB7Only(args.out, args.dir, saved, checkReport(saved));
    else writeFileSync(args.out, renderReport(saved, checkReport(saved)));
    log(`wrote ${args.out} from ${renderFrom}`);
    return;
  }
  const started = new Date();
  const t0 = performance.now();
  const report: BenchReport = { size: args.size, command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`, machine: machine(), started: started.toISOString(), b1: [], notes: [] };

  if (args.only.has('b1')) {
    const size = SIZES[args.size];
    log(`B1: generating ${size.listings.toLocaleString('en-US')} listings over ${size.products.toLocaleString('en-US')} products`);
    const tg = performance.now();
    const d = new Dataset(size);
    report.generateMs = performance.now() - tg;
    for (const engine of args.engines) {
      if (engine === 'postgres' && !(await postgresAvailable())) {
        report.notes.push('PostgreSQL did not answer at TEST_PG_URL: B1 on PostgreSQL was not run.');
        continue;
      }
      log(`B1 on ${engine}: loading, then engine and floor in a worker process`);
      const r: B1Result = await runB1(d, engine, args.dir, args.keep);
      log(`B1 on ${engine}: engine ${(r.worker.ms / 1000).toFixed(1)} s, floor ${(r.floor.ms / 1000).toFixed(1)} s, mismatches ${r.mismatches.engineVsFloor}`);
      report.b1.push(r);
    }
  }

  const plan = HOST_PLAN[args.size];
  if (args.only.has('b2') || args.only.has('b3') || args.only.has('b4') || args.only.has('b5')) {
    const d = new Dataset(plan.inventory, { withListings: false });
    // B4 measures the route, not the admin rate limit (default 6,000 requests a minute per client:
    // autocannon would be answered 429 after 6,000 requests), so the limit is raised for this host.
    const world = await AmazonWorld.start(d, join(args.dir, 'host'), `host-${args.size}`, { SYNC_WINDOW_MS: String(WINDOW_MS), ADMIN_RATE_LIMIT: '10000000' }, plan.sandboxDelayMs);
    try {
      const stock = world.stockProducts().length;
      // B2 uses the first products, B3 the ones after, B4 the last one; B5 makes its own.
      const b2Used = b2StockUsed(world, plan.b2);
      if (args.only.has('b2')) {
        log(`B2: ${plan.b2.movements.toLocaleString('en-US')} movements through the batch API`);
        report.b2 = await runB2(world, plan.b2, WINDOW_MS, FEED_THRESHOLD);
        const l = report.b2.lanes.steady;
        log(`B2: ${Math.round(report.b2.connected.perSecond)} movements/s, decreases p50/p99 ${Math.round(l.decrease.p50Ms)}/${Math.round(l.decrease.p99Ms)} ms, increases ${Math.round(l.increase.p50Ms)}/${Math.round(l.increase.p99Ms)} ms`);
      }
      if (args.only.has('b3')) {
        log('B3: SP-API calls per scenario');
        report.b3 = await runB3(world, plan.b3, WINDOW_MS, b2Used);
        log(`B3: ratios ${report.b3.map((s) => s.ratio.toFixed(2)).join(', ')}`);
      }
      if (args.only.has('b5')) {
        log(`B5: a busy day (${plan.b5.amazonOrders.toLocaleString('en-US')} Amazon buyers, ${plan.b5.skus} SKUs) replayed in ${plan.b5.seconds} s`);
        report.b5 = await runB5(world, plan.b5, WINDOW_MS);
        log(`B5: oversold units: engine ${report.b5.engine.oversoldUnits}, ${report.b5.models.map((m) => `${m.name} ${m.oversoldUnits}`).join(', ')}`);
      }
      if (args.only.has('b4')) {
        log(`B4: autocannon on POST /api/v1/stock-movements for ${plan.b4Seconds} s`);
        report.b4 = await runB4(world, world.stockProducts()[stock - 1], plan.b4Seconds);
        log(`B4: ${Math.round(report.b4.movements.requestsPerSecond)} req/s`);
      }
    } finally {
      await world.close();
    }
  }
  if (args.only.has('b6')) {
    report.b6 = [];
    for (const engine of args.engines) {
      if (engine === 'postgres' && !(await postgresAvailable())) {
        report.notes.push('PostgreSQL did not answer at TEST_PG_URL: B6 on PostgreSQL was not run.');
        continue;
      }
      log(`B6 on ${engine}: CSV import and export of ${plan.csvRows.toLocaleString('en-US')} products`);
      const r = await runB6(engine, join(args.dir, 'csv'), plan.csvRows);
      log(`B6 on ${engine}: products import ${(r.importProducts.ms / 1000).toFixed(1)} s, stock import ${(r.importStock.ms / 1000).toFixed(1)} s`);
      report.b6.push(r);
    }
  }
  if (args.only.has('b7')) report.b7 = await runB7All(args.engines, args.dir, args.size, report.notes, log, args.keep);
  report.totalSeconds = (performance.now() - t0) / 1000;
  const problems = checkReport(report);
  // B7 alone replaces only its own section of the document: the other sections stay as recorded.
  if ([...args.only].every((b) => b === 'b7')) {
    writeB7Only(args.out, args.dir, report, problems);
    log(`wrote the B7 section of ${args.out} (${report.totalSeconds.toFixed(0)} s)`);
    if (problems.length) console.error(`The benchmark did not produce valid results:\n  - ${problems.join('\n  - ')}`);
    if (problems.length) process.exitCode = 1;
    return;
  }
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, renderReport(report, problems));
  // Beside the report it belongs to, so a partial run written elsewhere (--out) keeps a full run's results.
  writeFileSync(args.out === defaultOut(args.size) ? join(args.dir, `results-${args.size}.json`) : `${args.out.replace(/\.md$/, '')}.json`, JSON.stringify(report, null, 1));
  log(`wrote ${args.out} (${report.totalSeconds.toFixed(0)} s)`);
  if (problems.length) {
    console.error(`The benchmark did not produce valid results:\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

export type { B2Result, B3Scenario, B4Result };
