import { spawn } from 'node:child_process';
import type { AmazonWorld } from './amazon-world';
import { BENCH_TOKEN } from './host';

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface B4Result {
  durationSec: number;
  connections: number;
  movements: LoadResult;
  /** GET /health on the same host (public, two small reads). */
  baseline: LoadResult;
  /** GET /api/v1/warehouses on the same host: the same guards as the movement route, one small read. */
  authBaseline: LoadResult;
  /** movements / the authenticated baseline. */
  ratio: number;
}

/** autocannon (its CLI, in a child process, so it does not share the host's event loop). */
function autocannon(args: string[]): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [bin, '-j', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
      ok({ requestsPerSecond: r.requests.average, requests: r.requests.total, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    });
  });
}

/** B4: requests per second of POST /api/v1/stock-movements (a goods-in of one unit) on SQLite. */
export async function runB4(world: AmazonWorld, product: number, durationSec: number, connections = 10): Promise<B4Result> {
  const common = ['-c', String(connections), '-d', String(durationSec)];
  // Each route first gets an unmeasured run of a quarter of the time (at least 2 s): the JIT, the
  // prepared statements and SQLite's page cache warm up, as on a host that has been serving a while.
  const warmUp = ['-c', String(connections), '-d', String(Math.max(2, Math.round(durationSec / 4)))];
  const measure = async (args: string[]) => {
    await autocannon([...warmUp, ...args]);
    return autocannon([...common, ...args]);
  };
  const auth = ['-H', `authorization=Bearer ${BENCH_TOKEN}`];
  const baseline = await measure([`${world.host.url}/health`]);
  const authBaseline = await measure([...auth, `${world.host.url}/api/v1/warehouses`]);
  const body = JSON.stringify({ productId: world.d.products[product].id, warehouseId: world.d.warehouses[0].id, type: 'goods-in', quantity: 1 });
  const movements = await measure([...auth, '-m', 'POST', '-H', 'content-type=application/json', '-b', body, `${world.host.url}/api/v1/stock-movements`]);
  return { durationSec, connections, movements, baseline, authBaseline, ratio: movements.requestsPerSecond / authBaseline.requestsPerSecond };
}
