import { type AmazonSandbox, startAmazonSandbox } from '@invsync/amazon-sandbox';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { type HostProcess, spawnHost } from './support/host-process';
import { waitFor } from './support/test-host';

/**
 * Crash test: the host (the deployable bundle, SQLite) is SIGKILLed again and again at random
 * moments while it sends to the SP-API sandbox (patches and feeds in flight) and downloads orders,
 * and restarted each time. At the end every quantity has converged, no order is allocated twice and
 * no stock movement is lost or doubled.
 */
const TOKEN = 'crash-test-admin-token-0123456789abc';
const UK = 'A1F83G8C2ARO7P';
const SELLER = 'ACRASHSELLER1';
const credentials = { clientId: 'amzn1.application-oa2-client.crash', clientSecret: 'crash-client-secret-0123456789', refreshToken: 'Atzr|crash-refresh-0123456789' };
const ROUNDS = Number(process.env['CRASH_ROUNDS'] ?? 6);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  proc: HostProcess['proc'];
  url: string;
  exit: HostProcess['exit'];
}

async function start(env: Record<string, string>): Promise<Running> {
  const h = spawnHost(env);
  return { proc: h.proc, url: `http://127.0.0.1:${await h.port}`, exit: h.exit };
}

describe('SIGKILL while sending and downloading orders', () => {
  let sb: AmazonSandbox;
  let dir: string;
  let host: Running | undefined;

  beforeAll(async () => {
    // Amazon's bursts, but the slow refills (one call a minute or so) sped up: the sandbox's buckets
    // outlive the restarts while every restarted host's own pacing starts full, so a long run would
    // measure quotas (fault-budget and throttling do), not crash safety. A clean run uses about 8 of
    // 20 searchOrders and 6 of 10 getFeedDocument.
    const fastRefill = (burst: number) => ({ rate: 1, burst });
    sb = await startAmazonSandbox({
      port: 0,
      feedProcessingDelayMs: 300,
      reportProcessingDelayMs: 50,
      rateLimits: { searchOrders: fastRefill(20), createFeed: fastRefill(15), getFeedDocument: fastRefill(10), createReport: fastRefill(15), getReportDocument: fastRefill(15) },
    });
    sb.admin.seedSellers({ sellerId: SELLER, regions: ['EU'], ...credentials });
    dir = mkdtempSync(join(tmpdir(), 'invsync-crash-'));
  });
  afterAll(async () => {
    if (host && host.proc.exitCode === null) {
      host.proc.kill('SIGKILL');
      await host.exit;
    }
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('converges, allocates every order once, and keeps every acknowledged movement exactly once', async () => {
    const env = {
      DATA_DIR: dir,
      ADMIN_TOKEN: TOKEN,
      SECRETS_KEY: 'c'.repeat(64),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SYNC_WINDOW_MS: '150',
      SYNC_TICK_MS: '50',
      SYNC_CONFIRM_INTERVAL_MS: '300',
      SYNC_RETRY_BASE_MS: '200',
      SYNC_RETRY_CAP_MS: '1000',
    };
    host = await start(env);
    const api = () => {
      const auth = (t: request.Test) => t.set('Authorization', `Bearer ${TOKEN}`);
      const url = host!.url;
      return { get: (p: string) => auth(request(url).get(p)), post: (p: string) => auth(request(url).post(p)), patch: (p: string) => auth(request(url).patch(p)) };
    };
    await api().patch('/api/v1/jobs/amazon-mfn.download-orders').send({ cron: '*/1 * * * * *' }).expect(200);
    const w = (await api().post('/api/v1/warehouses').send({ code: 'CRASH', name: 'Crash' }).expect(201)).body;
    const channel = (
      await api()
        .post('/api/v1/channels')
        .send({
          type: 'amazon-mfn',
          name: 'Amazon UK',
          // Small batches go as feeds too, so feeds are in flight when the host dies.
          settings: { sellerId: SELLER, region: 'EU', marketplaceId: UK, credentials, spApiEndpoint: sb.url, lwaEndpoint: `${sb.url}/auth/o2/token`, feedThreshold: 8, syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id },
        })
        .expect(201)
    ).body;
    const products: { id: string; sku: string }[] = [];
    for (let i = 0; i < 16; i++) {
      const p = (await api().post('/api/v1/products').send({ sku: `CRASH-${i}`, name: `P${i}`, kind: 'stock' }).expect(201)).body;
      products.push(p);
      sb.admin.seedListings({ sellerId: SELLER, sku: p.sku, marketplaceId: UK, quantity: 0 });
      await api().post(`/api/v1/channels/${channel.id}/listings`).send({ sku: p.sku, productId: p.id }).expect(201);
    }

    // Every movement has an idempotency key: one the host answered is "acknowledged"; one whose
    // answer was lost in a crash is sent again after the restart and must not be booked twice.
    const expectedInStock = new Map<string, number>(products.map((p) => [p.id, 0]));
    const unanswered: { key: string; body: Record<string, unknown> }[] = [];
    let seq = 0;
    const orderQty = new Map<string, number>(products.map((p) => [p.id, 0]));
    let orders = 0;
    // Opening stock, so every order allocates in full whenever it is downloaded: one that arrives
    // before its goods-in is backordered (the domain's rule), which this test does not measure.
    const opening = { idempotencyKey: 'mv-opening', movements: products.map((p) => ({ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: 10 })) };
    await api().post('/api/v1/stock-movements/batch').send(opening).expect(201);
    for (const m of opening.movements) expectedInStock.set(m.productId, expectedInStock.get(m.productId)! + m.quantity);

    for (let round = 0; round < ROUNDS; round++) {
      // Stock changes (some batches large enough for a feed) and new Amazon orders, then a kill at a random moment.
      const sending = (async () => {
        for (let k = 0; k < 6; k++) {
          const body = { idempotencyKey: `mv-${++seq}`, movements: products.map((p, i) => ({ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: 1 + ((i + k + round) % 3) })) };
          for (const m of body.movements) expectedInStock.set(m.productId, expectedInStock.get(m.productId)! + m.quantity);
          const res = await api().post('/api/v1/stock-movements/batch').send(body).catch(() => undefined);
          if (!res || res.status >= 500) {
            unanswered.push({ key: body.idempotencyKey, body });
            return;
          }
          expect(res.status).toBe(201);
          await sleep(50);
        }
      })();
      const p = products[round % products.length];
      sb.admin.upsertOrders([{ sellerId: SELLER, amazonOrderId: `208-${round}000000-0000001`, marketplaceId: UK, orderStatus: 'Unshipped', items: [{ sku: p.sku, quantity: 2 }] }]);
      orderQty.set(p.id, orderQty.get(p.id)! + 2);
      orders++;
      await sleep(300 + Math.floor(Math.random() * 900));
      host.proc.kill('SIGKILL');
      await host.exit;
      await sending;
      host = await start(env);
      // Requests whose answer was lost are sent again with the same key: booked once either way.
      for (const u of unanswered.splice(0)) {
        const res = await api().post('/api/v1/stock-movements/batch').send(u.body);
        expect([200, 201]).toContain(res.status);
      }
    }

    const inventory = async (p: { id: string }) => (await api().get(`/api/v1/products/${p.id}/inventory`).expect(200)).body.total as { inStock: number; allocated: number; onHand: number };
    // Every order downloaded and allocated exactly once.
    await waitFor(async () => {
      for (const p of products) {
        const { allocated } = await inventory(p);
        if (allocated !== orderQty.get(p.id)) throw new Error(`${p.sku}: ${allocated} allocated, ${orderQty.get(p.id)} ordered`);
      }
      return true;
    }, 30_000, 300);
    // Every movement exactly once, and the levels are the sum of the ledger.
    for (const p of products) {
      const total = await inventory(p);
      expect({ sku: p.sku, inStock: total.inStock }).toEqual({ sku: p.sku, inStock: expectedInStock.get(p.id) });
      let cursor: string | null = null;
      let sum = 0;
      do {
        const page: { items: { inStockDelta: number }[]; nextCursor: string | null } = (await api().get(`/api/v1/stock-movements?productId=${p.id}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body;
        sum += page.items.reduce((s, m) => s + m.inStockDelta, 0);
        cursor = page.nextCursor;
      } while (cursor);
      expect(sum).toBe(total.inStock);
    }
    // And Amazon shows on hand for every listing.
    const shown = (sku: string) => (sb.admin.quantities({ sellerId: SELLER, sku })[0] as { quantity: number | null } | undefined)?.quantity;
    await waitFor(async () => {
      for (const p of products) {
        const { onHand } = await inventory(p);
        if (shown(p.sku) !== onHand) throw new Error(`${p.sku}: Amazon shows ${shown(p.sku)}, on hand ${onHand}`);
      }
      return true;
    }, 60_000, 300);
    expect(orders).toBe(ROUNDS);
    host.proc.kill('SIGTERM');
    await host.exit;
  }, 300_000);
});
