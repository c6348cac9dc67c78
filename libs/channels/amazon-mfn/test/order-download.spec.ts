import type { ChannelOrder, JobRunContext, PluginStateStore } from '@invsync/plugin-api';
import { checkpointKey, downloadOrders, parkedKey, type ChannelDownloadSummary } from '../src';
import { PAGES_PER_RUN } from '../src/lib/order-download.job';
import { createClient } from '../src/lib/client-factory';
import { type AmazonSandbox, captureLogger, channel, fastClient, sandbox, seller, UK } from './support';

/**
 * What the host does with a recorded order, reduced to what the job can observe: a SKU in `parkSkus`
 * is parked by the host (no listing or product explains it); any other unknown SKU throws.
 */
function fakeHost(knownSkus: Set<string>, parkSkus = new Set<string>()) {
  const orders = new Map<string, ChannelOrder>();
  const calls: ChannelOrder[] = [];
  return {
    orders,
    calls,
    recorder: {
      async record(o: ChannelOrder) {
        calls.push(o);
        const missing = o.lines.filter((l) => !knownSkus.has(l.sku)).map((l) => l.sku);
        if (missing.length && missing.every((m) => parkSkus.has(m))) return { orderId: o.externalId, created: true, status: 'parked', parkedReason: `No listing for ${missing.join(', ')}` };
        if (missing.length) throw new Error(`No product with SKU ${missing.join(', ')}`);
        const existing = orders.get(o.externalId);
        if (existing) {
          if (existing.status === 'open' && o.status !== 'open') existing.status = o.status;
          return { orderId: o.externalId, created: false, status: existing.status };
        }
        orders.set(o.externalId, { ...o });
        return { orderId: o.externalId, created: true, status: o.status };
      },
    },
  };
}

function memoryState(): PluginStateStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get<T>(k: string) {
      return data.get(k) as T | undefined;
    },
    async set<T>(k: string, v: T) {
      data.set(k, JSON.parse(JSON.stringify(v)));
    },
  };
}

describe('download-orders job against the sandbox', () => {
  let sb: AmazonSandbox;
  beforeAll(async () => (sb = await sandbox()));
  afterAll(() => sb.close());

  it('records MFN orders with items, leaves AFN to Amazon, keeps an order whose recording throws, moves the checkpoint, de-allocates cancellations', async () => {
    seller(sb, 'ORD1');
    sb.admin.seedListings([{ sellerId: 'ORD1', sku: 'MUG', marketplaceId: UK, quantity: 5 }]);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    sb.admin.upsertOrders([
      { sellerId: 'ORD1', amazonOrderId: 'O-1', marketplaceId: UK, lastUpdateDate: hourAgo, purchaseDate: hourAgo, items: [{ sku: 'MUG', quantity: 2 }] },
      { sellerId: 'ORD1', amazonOrderId: 'O-UNKNOWN', marketplaceId: UK, orderStatus: 'Pending', lastUpdateDate: hourAgo, purchaseDate: hourAgo, items: [{ sku: 'NOPE', quantity: 1 }] },
      { sellerId: 'ORD1', amazonOrderId: 'O-AFN', marketplaceId: UK, fulfillmentChannel: 'AFN', lastUpdateDate: hourAgo, purchaseDate: hourAgo, items: [{ sku: 'MUG', quantity: 1 }] },
      { sellerId: 'ORD1', amazonOrderId: 'O-OLD', marketplaceId: UK, lastUpdateDate: old, purchaseDate: old, items: [{ sku: 'MUG', quantity: 1 }] },
    ]);
    const known = new Set(['MUG']);
    const host = fakeHost(known);
    const state = memoryState();
    const logger = captureLogger();
    const ch = channel(sb, 'ORD1');
    const client = createClient(ch.settings, logger, fastClient);
    const run: JobRunContext = { signal: new AbortController().signal, logger, channels: async () => [ch], progress: () => undefined };
    const deps = { orders: host.recorder, state, logger, clientFor: () => client };

    const first = (await downloadOrders(run, deps)) as { perChannel: Record<string, ChannelDownloadSummary>; failed: number };
    const s1 = first.perChannel[ch.id];
    // AMAZON-fulfilled orders are not even asked for (fulfilledBy=MERCHANT).
    expect(s1).toMatchObject({ orders: 2, recorded: 1, afn: 0, failed: 1, parked: 1, pages: 1, windowOpen: false });
    expect(host.calls.some((c) => c.externalId === 'O-AFN')).toBe(false);
    expect(s1.failures[0]).toMatchObject({ amazonOrderId: 'O-UNKNOWN', skus: ['NOPE'] });
    expect(host.orders.get('O-1')).toMatchObject({ status: 'open', lines: [{ sku: 'MUG', quantity: 2 }] });
    expect(host.orders.has('O-OLD')).toBe(false); // older than the look-back
    expect(logger.lines.join('\n')).toMatch(/O-UNKNOWN/);
    const cp = state.data.get(checkpointKey(ch.id)) as { lastUpdatedAfter: string };
    expect(Date.parse(cp.lastUpdatedAfter)).toBeGreaterThan(Date.parse(hourAgo));
    // The next window starts a little over two minutes before this read: Amazon may show updates that late.
    expect(Date.parse(cp.lastUpdatedAfter)).toBeLessThanOrEqual(Date.now() - 120_000);

    // Nothing new: no order is read again; the parked one is retried (still failing).
    const second = (await downloadOrders(run, deps)) as { perChannel: Record<string, ChannelDownloadSummary> };
    expect(second.perChannel[ch.id]).toMatchObject({ orders: 0, recorded: 0, parked: 1 });

    // The product appears; Amazon cancels O-1: the parked order is recorded, O-1 moves to cancelled.
    known.add('NOPE');
    sb.admin.updateOrder('O-1', { fulfillmentStatus: 'CANCELLED' });
    const third = (await downloadOrders(run, deps)) as { perChannel: Record<string, ChannelDownloadSummary> };
    expect(third.perChannel[ch.id]).toMatchObject({ orders: 1, updated: 1, recoveredFromParked: 1, parked: 0 });
    expect(host.orders.get('O-1')!.status).toBe('cancelled');
    expect(host.orders.get('O-UNKNOWN')).toMatchObject({ status: 'open' });
    expect(logger.lines.join('\n')).not.toContain('very-secret');
    expect(new Set(sb.admin.calls({ sellerId: 'ORD1' }).map((c) => c.operation).filter((o) => o !== 'lwaToken'))).toEqual(new Set(['searchOrders']));
  });

  it("counts an order the host parks as recorded: it moves the checkpoint and is not retried by the job", async () => {
    seller(sb, 'ORD3');
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    sb.admin.upsertOrders({ sellerId: 'ORD3', amazonOrderId: 'P-1', marketplaceId: UK, lastUpdateDate: hourAgo, purchaseDate: hourAgo, items: [{ sku: 'AMZ-ONLY', quantity: 1 }] });
    const host = fakeHost(new Set(), new Set(['AMZ-ONLY']));
    const state = memoryState();
    const logger = captureLogger();
    const ch = channel(sb, 'ORD3');
    const client = createClient(ch.settings, logger, fastClient);
    const run: JobRunContext = { signal: new AbortController().signal, logger, channels: async () => [ch], progress: () => undefined };
    const out = (await downloadOrders(run, { orders: host.recorder, state, logger, clientFor: () => client })) as { perChannel: Record<string, ChannelDownloadSummary> };
    expect(out.perChannel[ch.id]).toMatchObject({ orders: 1, parkedByHost: 1, failed: 0, parked: 0 });
    expect(state.data.get(parkedKey(ch.id))).toEqual([]);
    expect(host.calls.map((c) => c.lines)).toEqual([[{ sku: 'AMZ-ONLY', quantity: 1 }]]);
  });

  it('keeps the checkpoint when Amazon cannot be read, and downloads a seller + marketplace once', async () => {
    seller(sb, 'ORD2');
    const state = memoryState();
    const logger = captureLogger();
    const a = channel(sb, 'ORD2', {}, 'a');
    const b = channel(sb, 'ORD2', {}, 'b');
    const client = createClient(a.settings, logger, fastClient);
    const run: JobRunContext = { signal: new AbortController().signal, logger, channels: async () => [b, a], progress: () => undefined };
    sb.admin.injectFault({ kind: '500', count: 10, operation: 'searchOrders', sellerId: 'ORD2' });
    await expect(downloadOrders(run, { orders: fakeHost(new Set()).recorder, state, logger, clientFor: () => client })).rejects.toThrow(/every channel/);
    expect(state.data.has(checkpointKey('a'))).toBe(false);
    sb.admin.clearFaults();
    const ok = (await downloadOrders(run, { orders: fakeHost(new Set()).recorder, state, logger, clientFor: () => client })) as { perChannel: Record<string, unknown> };
    expect(ok.perChannel['b']).toMatchObject({ skipped: expect.stringMatching(/already downloads/) });
    expect(state.data.has(checkpointKey('a'))).toBe(true);
  });
});

describe('download-orders pacing', () => {
  let sb: AmazonSandbox;
  beforeAll(async () => (sb = await sandbox({ ordersPageSize: 1 })));
  afterAll(() => sb.close());

  it('reads a long window over several runs from the saved page token, a few pages a run', async () => {
    seller(sb, 'PACE');
    const total = PAGES_PER_RUN + 2;
    for (let i = 0; i < total; i++) {
      const at = new Date(Date.now() - (60 - i) * 60_000).toISOString();
      sb.admin.upsertOrders({ sellerId: 'PACE', amazonOrderId: `Q-${i}`, marketplaceId: UK, lastUpdateDate: at, purchaseDate: at, items: [{ sku: 'MUG', quantity: 1 }] });
    }
    const host = fakeHost(new Set(['MUG']));
    const state = memoryState();
    const logger = captureLogger();
    const ch = channel(sb, 'PACE');
    const client = createClient(ch.settings, logger, fastClient);
    const run: JobRunContext = { signal: new AbortController().signal, logger, channels: async () => [ch], progress: () => undefined };
    const deps = { orders: host.recorder, state, logger, clientFor: () => client };

    const first = ((await downloadOrders(run, deps)) as { perChannel: Record<string, ChannelDownloadSummary> }).perChannel[ch.id];
    expect(first).toMatchObject({ pages: PAGES_PER_RUN, orders: PAGES_PER_RUN, recorded: PAGES_PER_RUN, windowOpen: true });
    const mid = state.data.get(checkpointKey(ch.id)) as { lastUpdatedAfter: string; settledBefore?: string; paginationToken?: string };
    expect(mid).toMatchObject({ lastUpdatedAfter: first.from, settledBefore: first.to, paginationToken: expect.any(String) });

    const second = ((await downloadOrders(run, deps)) as { perChannel: Record<string, ChannelDownloadSummary> }).perChannel[ch.id];
    expect(second).toMatchObject({ from: first.from, to: first.to, pages: 2, orders: 2, recorded: 2, windowOpen: false });
    expect([...host.orders.keys()].sort()).toEqual(Array.from({ length: total }, (_, i) => `Q-${i}`).sort());
    const done = state.data.get(checkpointKey(ch.id)) as { lastUpdatedAfter: string; paginationToken?: string };
    expect(done).toEqual({ lastUpdatedAfter: first.to, updatedAt: expect.any(String) });
    expect(sb.admin.calls({ sellerId: 'PACE', operation: 'searchOrders' })).toHaveLength(total);
  });

  it('restarts the window when Amazon refuses a stale page token', async () => {
    seller(sb, 'STALE');
    const at = new Date(Date.now() - 3600_000).toISOString();
    sb.admin.upsertOrders({ sellerId: 'STALE', amazonOrderId: 'S-1', marketplaceId: UK, lastUpdateDate: at, purchaseDate: at, items: [{ sku: 'MUG', quantity: 1 }] });
    const host = fakeHost(new Set(['MUG']));
    const state = memoryState();
    const logger = captureLogger();
    const ch = channel(sb, 'STALE');
    const from = new Date(Date.now() - 2 * 3600_000).toISOString();
    const to = new Date(Date.now() - 10 * 60_000).toISOString();
    await state.set(checkpointKey(ch.id), { lastUpdatedAfter: from, settledBefore: to, paginationToken: 'expired-token', updatedAt: from });
    const client = createClient(ch.settings, logger, fastClient);
    const run: JobRunContext = { signal: new AbortController().signal, logger, channels: async () => [ch], progress: () => undefined };
    const s = ((await downloadOrders(run, { orders: host.recorder, state, logger, clientFor: () => client })) as { perChannel: Record<string, ChannelDownloadSummary> }).perChannel[ch.id];
    expect(s).toMatchObject({ from, to, recorded: 1, windowOpen: false });
    expect(logger.lines.join('\n')).toMatch(/page token/);
  });
});
