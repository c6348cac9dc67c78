import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HostProcess, spawnHost } from './support/host-process';
import { waitFor } from './support/test-host';

/**
 * Durability of SQLite in WAL mode: the built bundle is SIGKILLed repeatedly while clients post
 * stock movements (single and batched). After every crash the host restarts on the same file; at
 * the end the database passes PRAGMA integrity_check, every stock level equals the sum of its
 * movements, every acknowledged request's movements are there exactly once, and an unacknowledged
 * batch is there entirely or not at all. Spawns the bundle on SQLite: not part of test-postgres.
 */
const TOKEN = 'durability-admin-token-0123456789abcdef';
const ROUNDS = Number(process.env['DURABILITY_ROUNDS'] ?? 6);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(dir: string): HostProcess {
  return spawnHost({
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'inventory.sqlite')}`,
    ADMIN_TOKEN: TOKEN,
    SECRETS_KEY: '2'.repeat(64),
    PORT: '0',
    HOST: '127.0.0.1',
    SCHEDULER: 'off',
    LOG_LEVEL: 'info', // the "listening" line (with the port) is at info
  });
}

describe('SQLite durability under SIGKILL (built bundle)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'invsync-durable-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the ledger consistent and every acknowledged movement exactly once across repeated SIGKILLs', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    let p = run(dir);
    let base = `http://127.0.0.1:${await p.port}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };
    const w = await post('/api/v1/warehouses', { code: 'DUR', name: 'Durable' });
    const products: { id: string }[] = [];
    for (let i = 0; i < 3; i++) products.push(await post('/api/v1/products', { sku: `DUR-${i}`, name: 'P', kind: 'stock' }));

    /** reason marker -> movements in the request, and whether the host acknowledged it. */
    const requests = new Map<string, { size: number; acked: boolean }>();
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let stop = false;
      let ackedThisRound = 0;
      const client = async () => {
        while (!stop) {
          const id = `r${++n}`;
          const batch = n % 2 === 0;
          const movement = (i: number) => ({ productId: products[(n + i) % 3].id, warehouseId: w.id, type: 'goods-in', quantity: 1 + ((n + i) % 5), reason: `${id}-${i}` });
          const size = batch ? 1 + (n % 7) : 1;
          requests.set(id, { size, acked: false });
          try {
            const res = await fetch(`${base}${batch ? '/api/v1/stock-movements/batch' : '/api/v1/stock-movements'}`, {
              method: 'POST',
              headers,
              body: JSON.stringify(batch ? { movements: Array.from({ length: size }, (_, i) => movement(i)) } : movement(0)),
            });
            if (res.status === 201) {
              requests.get(id)!.acked = true;
              ackedThisRound++;
            }
            else if (res.status < 500) throw new Error(`refused: ${res.status} ${await res.text()}`);
          } catch (e) {
            if ((e as Error).message.startsWith('refused')) throw e;
            return; // connection lost: the host was killed
          }
        }
      };
      const clients = [client(), client(), client()];
      // A freshly started bundle answers slowly on a loaded machine: the kill comes at a random
      // moment once the host has answered a few requests this round, not at a fixed delay.
      await waitFor(async () => ackedThisRound >= 3, 30_000, 10);
      await sleep(Math.floor(Math.random() * 600));
      p.proc.kill('SIGKILL');
      await p.exit;
      if (process.env['DURABILITY_DEBUG']) process.stderr.write(`round ${round} killed at ${Date.now()}\n`);
      stop = true;
      await Promise.all(clients);
      if (process.env['DURABILITY_DEBUG']) process.stderr.write(`round ${round} clients done ${Date.now()}\n`);
      p = run(dir);
      base = `http://127.0.0.1:${await p.port}`;
      if (process.env['DURABILITY_DEBUG']) process.stderr.write(`round ${round} restarted ${Date.now()}\n`);
    }
    p.proc.kill('SIGTERM');
    expect(await p.exit).toBe(0);

    const acked = [...requests.values()].filter((r) => r.acked).length;
    expect(acked).toBeGreaterThan(ROUNDS * 3);

    const db = new Database(join(dir, 'inventory.sqlite'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const levels = db
        .prepare(
          `SELECT l.product_id, l.warehouse_id, l.in_stock, l.allocated,
                  COALESCE((SELECT SUM(in_stock_delta) FROM stock_movement m WHERE m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id), 0) AS moved_in_stock,
                  COALESCE((SELECT SUM(allocated_delta) FROM stock_movement m WHERE m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id), 0) AS moved_allocated
             FROM stock_level l`,
        )
        .all() as { in_stock: number; allocated: number; moved_in_stock: number; moved_allocated: number }[];
      expect(levels.length).toBe(3);
      for (const l of levels) {
        expect(l.in_stock).toBe(l.moved_in_stock);
        expect(l.allocated).toBe(l.moved_allocated);
      }
      const counts = new Map<string, number>();
      for (const row of db.prepare('SELECT reason FROM stock_movement WHERE reason IS NOT NULL').all() as { reason: string }[]) {
        const id = row.reason.split('-')[0];
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const [id, r] of requests) {
        const found = counts.get(id) ?? 0;
        // Acknowledged: all of it, once. Not acknowledged (killed in flight): all of it or nothing.
        if (r.acked) expect({ id, found }).toEqual({ id, found: r.size });
        else expect([0, r.size]).toContain(found);
      }
      for (const id of counts.keys()) expect(requests.has(id)).toBe(true);
    } finally {
      db.close();
    }
  });
});
