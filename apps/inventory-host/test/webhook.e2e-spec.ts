import { webhookPlugin } from '@invsync/webhook';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost, waitFor } from './support/test-host';

const SECRET = 'whsec-e2e-0123456789abcdef';

interface Delivery {
  path: string;
  verified: boolean;
  body: { channelId: string; sentAt: string; updates: { updateId: string; sku: string; marketplaceIds: string[]; quantity: number }[] };
}
/** What a path of the receiver answers to its n-th verified request (1-based). */
type Answer = (d: Delivery, n: number, res: ServerResponse) => void;

/**
 * A receiver on 127.0.0.1 that checks each request's signature the way the plugin README tells
 * merchants to (its own HMAC, constant-time compare, timestamp tolerance), with the secret it was
 * given for that path; a request that fails the check gets a 401.
 */
async function startReceiver() {
  const deliveries: Delivery[] = [];
  const routes = new Map<string, { secret: string; answer: Answer; n: number }>();
  const verify = (secret: string, headers: IncomingHttpHeaders, raw: string) => {
    const ts = String(headers['x-invsync-timestamp'] ?? '');
    const sig = String(headers['x-invsync-signature'] ?? '');
    if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
    const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`;
    return expected.length === sig.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sig));
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf-8');
      const route = routes.get(req.url ?? '');
      if (!route) return void res.writeHead(404).end();
      const d: Delivery = { path: req.url!, verified: verify(route.secret, req.headers, raw), body: JSON.parse(raw) };
      deliveries.push(d);
      if (!d.verified) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'invalid signature' }));
      route.answer(d, ++route.n, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let seq = 0;
  return {
    deliveries,
    /** A new path answered by `answer`, checking signatures with `secret`; returns its URL. */
    route(answer: Answer = ok, secret = SECRET): { url: string; path: string } {
      const path = `/hooks/${++seq}`;
      routes.set(path, { secret, answer, n: 0 });
      return { url: `${base}${path}`, path };
    },
    /** Verified quantities received on a path, per SKU, last one wins. */
    quantities(path: string): Map<string, number> {
      const out = new Map<string, number>();
      for (const d of deliveries) if (d.path === path && d.verified) for (const u of d.body.updates) out.set(u.sku, u.quantity);
      return out;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const ok: Answer = (_d, _n, res) => void res.writeHead(204).end();
const reply = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('webhook channel end to end (real host, local receiver)', () => {
  let host: TestHost;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let inv: ReturnType<typeof inventoryApi>;
  let wh: { id: string };

  const channel = (url: string, extra: Record<string, unknown> = {}) =>
    inv.channel({ url, secret: SECRET, syncInventory: true, onHandWarehouseIds: [wh.id], ...extra }, 'webhook');
  const live = async (channelId: string, listingId: string) => (await inv.live(channelId)).items.find((i) => i['listingId'] === listingId);

  beforeAll(async () => {
    receiver = await startReceiver();
    host = await startHost({
      plugins: [webhookPlugin],
      env: { SYNC_WINDOW_MS: '100', SYNC_TICK_MS: '50', SYNC_RETRY_BASE_MS: '200', SYNC_RETRY_CAP_MS: '400', SCHEDULER: 'off' },
    });
    inv = inventoryApi(host);
    wh = await inv.warehouse('WH-HOOK');
  });
  afterAll(async () => {
    await host?.close();
    await receiver?.close();
  });

  it('connecting listings delivers their quantities, signed with the channel secret; a stock change follows', async () => {
    const a = await inv.product();
    const b = await inv.product();
    await inv.move(a.id, wh.id, 7);
    await inv.move(b.id, wh.id, 2);
    const r = receiver.route();
    const c = await channel(r.url, { account: 'erp', marketplace: 'web-shop' });
    expect(c.settings['secret']).toEqual({ set: true });
    const la = await inv.connect(c.id, a.sku, a.id);
    const lb = await inv.connect(c.id, b.sku, b.id);
    await waitFor(async () => receiver.quantities(r.path).get(a.sku) === 7 && receiver.quantities(r.path).get(b.sku) === 2);
    const mine = receiver.deliveries.filter((d) => d.path === r.path);
    expect(mine.every((d) => d.verified)).toBe(true);
    expect(mine[0].body.channelId).toBe(c.id);
    expect(mine.flatMap((d) => d.body.updates).find((u) => u.sku === a.sku)).toMatchObject({ marketplaceIds: ['web-shop'], quantity: 7, updateId: la.id });
    await waitFor(async () => (await live(c.id, la.id))?.['status'] === 'synced' && (await live(c.id, lb.id))?.['status'] === 'synced');
    expect(await live(c.id, la.id)).toMatchObject({ quantity: 7, lastError: null });

    await inv.move(a.id, wh.id, -3, 'correction');
    await waitFor(async () => receiver.quantities(r.path).get(a.sku) === 4);
    expect(JSON.stringify(host.logs)).not.toContain(SECRET);
  });

  it('a 500 from the receiver is retried and the quantity lands', async () => {
    const p = await inv.product();
    await inv.move(p.id, wh.id, 5);
    const r = receiver.route((_d, n, res) => (n === 1 ? void res.writeHead(500).end('temporarily broken') : ok(_d, n, res)));
    const c = await channel(r.url);
    const l = await inv.connect(c.id, p.sku, p.id);
    await waitFor(async () => (await live(c.id, l.id))?.['status'] === 'synced');
    expect(await live(c.id, l.id)).toMatchObject({ quantity: 5, lastError: null });
    const mine = receiver.deliveries.filter((d) => d.path === r.path);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((d) => d.verified && d.body.updates[0].quantity === 5)).toBe(true);
  });

  it('a receiver that keeps failing shows the error in Live Listings and is retried by the host until it lands', async () => {
    const p = await inv.product();
    await inv.move(p.id, wh.id, 3);
    // Down until the test has seen the error (so the check does not race the host's retry), then up.
    let down = true;
    const r = receiver.route((_d, n, res) => (down ? reply(res, 503, { message: 'maintenance' }) : ok(_d, n, res)));
    const c = await channel(r.url, { maxAttempts: 2 });
    const l = await inv.connect(c.id, p.sku, p.id);
    const failed = await waitFor(async () => {
      const item = await live(c.id, l.id);
      return item?.['status'] === 'error' ? item : undefined;
    });
    expect(failed['lastError']).toBe('will retry: the receiver answered HTTP 503: maintenance (after 2 attempts)');
    down = false;
    await waitFor(async () => (await live(c.id, l.id))?.['status'] === 'synced');
    expect(receiver.quantities(r.path).get(p.sku)).toBe(3);
  });

  it('a wrong signature secret on the receiver side (401) is visible as an error in Live Listings; the right secret fixes it', async () => {
    const p = await inv.product();
    await inv.move(p.id, wh.id, 6);
    const r = receiver.route(ok, 'the-receiver-has-another-secret');
    const c = await channel(r.url);
    const l = await inv.connect(c.id, p.sku, p.id);
    const failed = await waitFor(async () => {
      const item = await live(c.id, l.id);
      return item?.['status'] === 'error' ? item : undefined;
    });
    expect(failed['lastError']).toBe('the receiver refused the batch (HTTP 401): invalid signature');
    expect(receiver.deliveries.filter((d) => d.path === r.path && d.verified)).toEqual([]);
    const errors = (await inv.live(c.id, '?status=error')).items.map((i) => i['listingId']);
    expect(errors).toContain(l.id);

    // The merchant puts the receiver's secret on the channel; the next change is delivered.
    await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ secret: 'the-receiver-has-another-secret' }).expect(200);
    await inv.move(p.id, wh.id, 1);
    await waitFor(async () => (await live(c.id, l.id))?.['status'] === 'synced');
    expect(receiver.quantities(r.path).get(p.sku)).toBe(7);
  });

  it("per-listing results from the receiver are honoured: synced, rejected with its message, retried", async () => {
    const [a, b, c3] = [await inv.product(), await inv.product(), await inv.product()];
    for (const p of [a, b, c3]) await inv.move(p.id, wh.id, 4);
    const r = receiver.route((d, _n, res) =>
      reply(res, 200, {
        results: d.body.updates.map((u) => {
          if (u.sku === b.sku) return { updateId: u.updateId, status: 'rejected', message: `unknown SKU ${u.sku}` };
          // c3 is busy on its first delivery only.
          const seen = receiver.deliveries.filter((x) => x.path === d.path && x.body.updates.some((v) => v.sku === u.sku)).length;
          if (u.sku === c3.sku && seen === 1) return { updateId: u.updateId, status: 'retry', message: 'record locked' };
          return { updateId: u.updateId, status: 'synced' };
        }),
      }),
    );
    const c = await channel(r.url);
    const [la, lb, lc] = [await inv.connect(c.id, a.sku, a.id), await inv.connect(c.id, b.sku, b.id), await inv.connect(c.id, c3.sku, c3.id)];
    await waitFor(async () => {
      const [ia, ib, ic] = [await live(c.id, la.id), await live(c.id, lb.id), await live(c.id, lc.id)];
      return ia?.['status'] === 'synced' && ib?.['status'] === 'error' && ic?.['status'] === 'synced';
    });
    expect(await live(c.id, lb.id)).toMatchObject({ status: 'error', lastError: `unknown SKU ${b.sku}` });
    const sentFor = (sku: string) => receiver.deliveries.filter((d) => d.path === r.path).flatMap((d) => d.body.updates).filter((u) => u.sku === sku);
    // The retried one was sent again by the host; the rejected one was not.
    expect(sentFor(c3.sku).length).toBeGreaterThanOrEqual(2);
    expect(sentFor(b.sku)).toHaveLength(1);
    expect(sentFor(a.sku)).toHaveLength(1);
  });
});
