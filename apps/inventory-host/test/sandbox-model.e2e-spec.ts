import { type AmazonSandbox, startAmazonSandbox } from '@invsync/amazon-sandbox';
import { createAmazonMfnPlugin } from '@invsync/amazon-mfn';
import { RateLimiter } from '@invsync/amazon-spapi';
import fc from 'fast-check';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost, waitFor } from './support/test-host';
import { runToSummary } from './support/job-runs';

/**
 * Model-based property test against the SP-API sandbox with injected faults (429, 500, timeouts,
 * FATAL feeds, INVALID messages): random stock changes, orders and cancellations; after the faults
 * stop and a reconciliation run, Amazon shows the model's quantity for every SKU, and no quantity
 * above the most the product ever had on hand was ever sent. Each sequence has its own seller.
 * 200 sequences by default (MODEL_FAULT_RUNS for more).
 */
const UK = 'A1F83G8C2ARO7P';

type Cmd =
  | { kind: 'move'; p: number; d: number }
  | { kind: 'order'; p: number; q: number }
  | { kind: 'cancel' }
  | { kind: 'fault'; fault: '429' | '500' | 'timeout'; n: number; op: 'patchListingsItem' | 'createFeed' | 'getListingsItem' }
  | { kind: 'fatal' }
  | { kind: 'invalid'; p: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), p: fc.nat(2), d: fc.integer({ min: -4, max: 9 }).filter((d) => d !== 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('order' as const), p: fc.nat(2), q: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      fault: fc.constantFrom('429' as const, '500' as const, 'timeout' as const),
      n: fc.integer({ min: 1, max: 4 }),
      op: fc.constantFrom('patchListingsItem' as const, 'createFeed' as const, 'getListingsItem' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fatal' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalid' as const), p: fc.nat(2) }) },
);

describe('sync against the SP-API sandbox with faults, against a model (property-based)', () => {
  let sb: AmazonSandbox;
  let host: TestHost;
  let run = 0;

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, rateLimits: 'off', feedProcessingDelayMs: 20, reportProcessingDelayMs: 10, timeoutHangMs: 300 });
    // The plugin with a fast client (short retries and timeouts), so faults cost milliseconds.
    const plugin = createAmazonMfnPlugin({
      client: { rateLimiter: new RateLimiter(), retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, initialPollIntervalMs: 10, pollIntervalMs: 20, timeoutMs: 200 },
    });
    host = await startHost({
      plugins: [plugin],
      env: { SCHEDULER: 'off', LOG_LEVEL: 'warn', SYNC_WINDOW_MS: '20', SYNC_TICK_MS: '20', SYNC_CONFIRM_INTERVAL_MS: '60', SYNC_RETRY_BASE_MS: '30', SYNC_RETRY_CAP_MS: '150' },
    });
  });
  afterAll(async () => {
    await host?.close();
    await sb?.close();
  });

  it('converges to the model after faults, never sending more than was on hand', async () => {
    const numRuns = Number(process.env['MODEL_FAULT_RUNS'] ?? 200);
    const inv = inventoryApi(host);
    const w = await inv.warehouse('MODEL');
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 8 }), async (cmds) => {
        const r = ++run;
        const sellerId = `AMODEL${r}SELLER`;
        const credentials = { clientId: `amzn1.application-oa2-client.m${r}`, clientSecret: `model-secret-${r}-0123456789`, refreshToken: `Atzr|model-${r}-0123456789` };
        sb.admin.seedSellers({ sellerId, regions: ['EU'], ...credentials });
        const channel = await inv.channel(
          { sellerId, region: 'EU', marketplaceId: UK, credentials, spApiEndpoint: sb.url, lwaEndpoint: `${sb.url}/auth/o2/token`, feedThreshold: 3, syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id },
          'amazon-mfn',
        );
        const products: { id: string; sku: string }[] = [];
        const onHand: number[] = [5, 0, 2];
        const maxSeen = [...onHand];
        for (let i = 0; i < 3; i++) {
          const p = await inv.product(`M${r}-P${i}`);
          products.push(p);
          sb.admin.seedListings({ sellerId, sku: p.sku, marketplaceId: UK, quantity: 50 });
          if (onHand[i]) await inv.move(p.id, w.id, onHand[i]);
          await inv.connect(channel.id, p.sku, p.id);
        }
        const orders: { id: string; p: number; allocated: number; open: boolean }[] = [];
        for (const c of cmds) {
          if (c.kind === 'move') {
            const ok = onHand[c.p] + c.d >= 0;
            const res = await host.api().post('/api/v1/stock-movements').send({ productId: products[c.p].id, warehouseId: w.id, type: c.d > 0 ? 'goods-in' : 'correction', quantity: c.d });
            expect(res.status).toBe(ok ? 201 : 409);
            if (ok) onHand[c.p] += c.d;
          } else if (c.kind === 'order') {
            const allocated = Math.min(c.q, onHand[c.p]);
            const res = await host.api().post('/api/v1/orders').send({ channelId: channel.id, externalId: `o-${r}-${orders.length}`, lines: [{ sku: products[c.p].sku, quantity: c.q }] }).expect(201);
            expect(res.body.lines[0].allocated).toBe(allocated);
            onHand[c.p] -= allocated;
            orders.push({ id: res.body.id, p: c.p, allocated, open: true });
          } else if (c.kind === 'cancel') {
            const o = orders.find((x) => x.open);
            if (!o) continue;
            await host.api().post(`/api/v1/orders/${o.id}/cancel`).expect(200);
            o.open = false;
            onHand[o.p] += o.allocated;
          } else if (c.kind === 'fault') {
            sb.admin.injectFault({ kind: c.fault, count: c.n, operation: c.op, sellerId });
          } else if (c.kind === 'fatal') {
            sb.admin.failNextFeeds(1);
          } else {
            sb.admin.markSkusInvalid([products[c.p].sku], sellerId);
          }
          for (let i = 0; i < 3; i++) maxSeen[i] = Math.max(maxSeen[i], onHand[i]);
          await new Promise((res) => setTimeout(res, 15));
        }

        // Faults stop; the engine settles; the nightly reconciliation puts right what Amazon refused.
        sb.admin.clearFaults();
        const shown = (sku: string) => (sb.admin.quantities({ sellerId, sku })[0] as { quantity: number | null } | undefined)?.quantity;
        const converged = () => products.every((p, i) => shown(p.sku) === onHand[i]);
        let attempt = 0;
        await waitFor(
          async () => {
            if (converged()) return true;
            if (++attempt % 15 === 0) await runToSummary(host, `/api/v1/channels/${channel.id}/reconcile`);
            return false;
          },
          20_000,
          40,
        ).catch(() => {
          throw new Error(`not converged: amazon ${JSON.stringify(products.map((p) => shown(p.sku)))}, model ${JSON.stringify(onHand)}`);
        });
        // Never more than was on hand: every quantity Amazon was sent is at most the most the product ever had.
        for (const [i, p] of products.entries()) {
          for (const call of sb.admin.calls({ sellerId, operation: 'patchListingsItem' }).filter((x) => x.sku === p.sku && typeof x.quantity === 'number')) {
            expect(call.quantity!).toBeLessThanOrEqual(maxSeen[i]);
          }
        }
      }),
      { numRuns, endOnFailure: true },
    );
  }, 900_000);
});
