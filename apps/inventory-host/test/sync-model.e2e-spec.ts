import fc from 'fast-check';
import { recorder, recordingPlugin } from './fixtures/recording-plugin';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost, waitFor } from './support/test-host';

/**
 * Model-based property test of the sync engine: random sequences of stock movements, orders,
 * connections, disconnections and settings changes, driven over HTTP; once quiet, what the channel
 * last accepted for every synced listing equals an independent model of domain.md.
 */

type Rules = { reserve?: number; percentage?: number; maxQuantity?: number; zeroAtOrBelow?: number };

// ---- the independent model -------------------------------------------------------------------
interface Level {
  inStock: number;
  allocated: number;
}
class Model {
  levels = new Map<string, Level>(); // product|warehouse
  level(p: string, w: string): Level {
    const k = `${p}|${w}`;
    if (!this.levels.has(k)) this.levels.set(k, { inStock: 0, allocated: 0 });
    return this.levels.get(k)!;
  }
  onHand(p: string, w: string) {
    const l = this.level(p, w);
    return l.inStock - l.allocated;
  }
  /** domain.md section 2: per warehouse, then summed. */
  available(product: ModelProduct, warehouses: string[]): number {
    const parts = product.parts;
    if (!parts) return warehouses.reduce((s, w) => s + Math.max(0, this.onHand(product.id, w)), 0);
    return warehouses.reduce((s, w) => s + Math.max(0, Math.min(...parts.map((c) => Math.floor(this.onHand(c.id, w) / c.qty)))), 0);
  }
  move(p: string, w: string, d: number): boolean {
    const l = this.level(p, w);
    if (l.inStock + d < 0 || l.allocated > l.inStock + d) return false;
    l.inStock += d;
    return true;
  }
}
interface ModelProduct {
  id: string;
  sku: string;
  parts?: { id: string; qty: number }[];
}
function applyRules(onHand: number, r: Rules): number {
  const base = Math.max(0, onHand);
  let q = base;
  if (r.zeroAtOrBelow !== undefined && base <= r.zeroAtOrBelow) q = 0;
  if (r.reserve !== undefined) q = Math.max(0, q - r.reserve);
  if (r.percentage !== undefined) q = Math.floor((q * r.percentage) / 100);
  if (r.maxQuantity !== undefined) q = Math.min(q, r.maxQuantity);
  return q;
}

// ---- commands ---------------------------------------------------------------------------------
type Cmd =
  | { kind: 'move'; p: number; w: number; d: number }
  | { kind: 'order'; p: number; q: number }
  | { kind: 'cancel'; i: number }
  | { kind: 'ship'; i: number }
  | { kind: 'connect'; c: number; p: number }
  | { kind: 'disconnect'; c: number; p: number }
  | { kind: 'sync'; c: number; on: boolean }
  | { kind: 'rules'; rules: Rules }
  | { kind: 'warehouses'; ws: number[] };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('move' as const), p: fc.nat(3), w: fc.nat(1), d: fc.integer({ min: -6, max: 12 }).filter((d) => d !== 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('order' as const), p: fc.nat(4), q: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), i: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ship' as const), i: fc.nat(10) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('connect' as const), c: fc.nat(2), p: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), c: fc.nat(2), p: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sync' as const), c: fc.nat(2), on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rules' as const),
      rules: fc.record(
        { reserve: fc.nat(3), percentage: fc.integer({ min: 10, max: 100 }), maxQuantity: fc.nat(20), zeroAtOrBelow: fc.nat(3) },
        { requiredKeys: [] },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('warehouses' as const), ws: fc.subarray([0, 1], { minLength: 1 }) }) },
);

describe('sync engine against a model (property-based, real host over HTTP)', () => {
  let host: TestHost;
  let run = 0;

  beforeAll(async () => {
    recorder.reset();
    host = await startHost({ plugins: [recordingPlugin], env: { SYNC_WINDOW_MS: '30', SYNC_TICK_MS: '20', LOG_LEVEL: 'warn' } });
  });
  afterAll(() => host?.close());

  it('once quiet, every synced listing shows the model quantity', async () => {
    const numRuns = Number(process.env['SYNC_MODEL_RUNS'] ?? 40);
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 25 }), async (cmds) => {
        const r = ++run;
        const inv = inventoryApi(host);
        const api = () => host.api();
        const model = new Model();
        const ws = [await inv.warehouse(`W1-${r}`), await inv.warehouse(`W2-${r}`)];
        const stock: ModelProduct[] = [];
        for (let i = 0; i < 4; i++) stock.push(await inv.product(`R${r}-P${i}`));
        const bundleRes = await inv.product(`R${r}-B`, { kind: 'bundle', components: [{ productId: stock[0].id, quantity: 1 }, { productId: stock[1].id, quantity: 2 }] });
        const products: ModelProduct[] = [...stock.map((p) => ({ id: p.id, sku: p.sku })), { id: bundleRes.id, sku: bundleRes.sku, parts: [{ id: stock[0].id, qty: 1 }, { id: stock[1].id, qty: 2 }] }];
        // Channel 0: its own pool (warehouses and rules change); channels 1 and 2: one EU seller, identical settings.
        const channelDefs = [
          { account: `na-${r}`, marketplace: 'US', region: 'NA', warehouses: [0], rules: {} as Rules, sync: true },
          { account: `eu-${r}`, marketplace: 'DE', region: 'EU', warehouses: [0, 1], rules: {} as Rules, sync: true },
          { account: `eu-${r}`, marketplace: 'FR', region: 'EU', warehouses: [0, 1], rules: {} as Rules, sync: true },
        ];
        const channels: { id: string }[] = [];
        for (const d of channelDefs) {
          channels.push(
            await inv.channel({
              account: d.account,
              marketplace: d.marketplace,
              region: d.region,
              apiKey: 'secret-api-key-123456',
              syncInventory: true,
              onHandWarehouseIds: d.warehouses.map((i) => ws[i].id),
              allocationWarehouseId: ws[0].id,
            }),
          );
        }
        const listings = new Map<string, { id: string; c: number; p: number }>(); // `${c}|${p}`
        const orders: { id: string; lines: { parts: { id: string; qty: number }[]; allocated: number }; open: boolean }[] = [];

        for (const c of cmds) {
          if (c.kind === 'move') {
            const p = stock[c.p];
            const ok = model.move(p.id, ws[c.w].id, c.d);
            const res = await api().post('/api/v1/stock-movements').send({ productId: p.id, warehouseId: ws[c.w].id, type: c.d > 0 ? 'goods-in' : 'correction', quantity: c.d });
            expect(res.status).toBe(ok ? 201 : 409);
          } else if (c.kind === 'order') {
            const p = products[c.p];
            const w = ws[0].id;
            const parts = p.parts ?? [{ id: p.id, qty: 1 }];
            const n = Math.max(0, Math.min(c.q, ...parts.map((x) => Math.floor(model.onHand(x.id, w) / x.qty))));
            for (const x of parts) model.level(x.id, w).allocated += n * x.qty;
            const res = await api().post('/api/v1/orders').send({ channelId: channels[0].id, externalId: `o-${r}-${orders.length}`, lines: [{ sku: p.sku, quantity: c.q }] }).expect(201);
            expect(res.body.lines[0].allocated).toBe(n);
            orders.push({ id: res.body.id, lines: { parts, allocated: n }, open: true });
          } else if (c.kind === 'cancel' || c.kind === 'ship') {
            const o = orders[c.i];
            if (!o) continue;
            const res = await api().post(`/api/v1/orders/${o.id}/${c.kind}`);
            expect(res.status).toBe(o.open ? 200 : 409);
            if (!o.open) continue;
            o.open = false;
            for (const x of o.lines.parts) {
              const l = model.level(x.id, ws[0].id);
              l.allocated -= o.lines.allocated * x.qty;
              if (c.kind === 'ship') l.inStock -= o.lines.allocated * x.qty;
            }
          } else if (c.kind === 'connect') {
            const key = `${c.c}|${c.p}`;
            const sku = `R${r}-L${c.p}`;
            const res = await api().post(`/api/v1/channels/${channels[c.c].id}/listings`).send({ sku, productId: products[c.p].id });
            if (listings.has(key)) expect(res.status).toBe(409);
            else {
              expect(res.status).toBe(201);
              listings.set(key, { id: res.body.id, c: c.c, p: c.p });
            }
          } else if (c.kind === 'disconnect') {
            const l = listings.get(`${c.c}|${c.p}`);
            if (!l) continue;
            await api().delete(`/api/v1/listings/${l.id}`).expect(204);
            listings.delete(`${c.c}|${c.p}`);
          } else if (c.kind === 'sync') {
            // The two EU channels switch together (they share quantities).
            const targets = c.c === 0 ? [0] : [1, 2];
            for (const t of targets) {
              await api().patch(`/api/v1/channels/${channels[t].id}/settings`).send({ syncInventory: c.on }).expect(200);
              channelDefs[t].sync = c.on;
            }
          } else if (c.kind === 'rules') {
            const body = { reserve: null, percentage: null, maxQuantity: null, zeroAtOrBelow: null, ...c.rules };
            await api().patch(`/api/v1/channels/${channels[0].id}/settings`).send(body).expect(200);
            channelDefs[0].rules = c.rules;
          } else if (c.kind === 'warehouses') {
            await api().patch(`/api/v1/channels/${channels[0].id}/settings`).send({ onHandWarehouseIds: c.ws.map((i) => ws[i].id) }).expect(200);
            channelDefs[0].warehouses = c.ws;
          }
        }

        // Expected: every listing of a channel with sync on shows the model's quantity.
        const expected = [...listings.values()]
          .filter((l) => channelDefs[l.c].sync)
          .map((l) => {
            const d = channelDefs[l.c];
            const pool = d.region === 'EU' ? `${d.account}:EU` : `${d.account}:${d.marketplace}`;
            const q = applyRules(model.available(products[l.p], d.warehouses.map((i) => ws[i].id)), d.rules);
            return { key: `${pool}\u0000R${r}-L${l.p}`.toUpperCase().replace(pool.toUpperCase(), pool), q, l };
          });
        // Quiet: the channel shows the model's quantity and the engine recorded it as accepted.
        const accepted = async () => {
          const out = new Map<string, number | null>();
          for (const c of new Set(expected.map((e) => e.l.c))) {
            const items = (await api().get(`/api/v1/channels/${channels[c].id}/live-listings?limit=1000`).expect(200)).body.items as { listingId: string; quantity: number | null }[];
            for (const i of items) out.set(i.listingId, i.quantity);
          }
          return out;
        };
        await waitFor(
          async () => {
            if (!expected.every((e) => recorder.shown.get(e.key) === e.q)) return false;
            const live = await accepted();
            return expected.every((e) => live.get(e.l.id) === e.q);
          },
          10_000,
          50,
        ).catch(async () => {
          const live = await accepted();
          const diff = expected
            .filter((e) => recorder.shown.get(e.key) !== e.q || live.get(e.l.id) !== e.q)
            .map((e) => ({ key: e.key, want: e.q, shown: recorder.shown.get(e.key), accepted: live.get(e.l.id) }));
          throw new Error(`not converged: ${JSON.stringify(diff)}`);
        });
      }),
      { numRuns, endOnFailure: true },
    );
  }, 600_000);
});
