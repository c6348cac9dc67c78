import type { ChannelOrder, JobRunContext, PluginStateStore } from '@invsync/plugin-api';
import { checkpointKey, downloadOrders, type ChannelDownloadSummary } from '../src';
import { createClient } from '../src/lib/client-factory';
import { type AmazonSandbox, captureLogger, channel, fastClient, sandbox, seller, UK } from './support';

/** What the host does with a recorded order, reduced to what the job can observe. */
function fakeHost(knownSkus: Set<string>) {
  const orders = new Map<string, ChannelOrder>();
  const calls: ChannelOrder[] = [];
  return {
    orders,
    calls,
    recorder: {
      async record(o: ChannelOrder) {
        calls.push(o);
        const missing = o.lines.filter((l) => !knownSkus.has(l.sku)).map((l) => l.sku);
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

  it('records MFN orders with items, ignores AFN, parks an unknown SKU without stopping, moves the checkpoint, de-allocates cancellations', async () => {
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
    expect(s1).toMatchObject({ orders: 3, recorded: 1, afn: 1, failed: 1, parked: 1 });
    expect(s1.failures[0]).toMatchObject({ amazonOrderId: 'O-UNKNOWN', skus: ['NOPE'] });
    expect(host.orders.get('O-1')).toMatchObject({ status: 'open', lines: [{ sku: 'MUG', quantity: 2 }] });
    expect(host.orders.has('O-OLD')).toBe(false); // older than the look-back
    expect(logger.lines.join('\n')).toMatch(/O-UNKNOWN/);
    const cp = state.data.get(checkpointKey(ch.id)) as { lastUpdatedAfter: string };
    expect(Date.parse(cp.lastUpdatedAfter)).toBeGreaterThan(Date.parse(hourAgo));

    // Nothing new: no order is read again; the parked one is retried (still failing).
    const second = (await downloadOrders(run, deps)) as { perChannel: Record<string, ChannelDownloadSummary> };
    expect(second.perChannel[ch.id]).toMatchObject({ orders: 0, recorded: 0, parked: 1 });

    // The product appears; Amazon cancels O-1: the parked order is recorded, O-1 moves to cancelled.
    known.add('NOPE');
    sb.admin.updateOrder('O-1', { orderStatus: 'Canceled' });
    const third = (await downloadOrders(run, deps)) as { perChannel: Record<string, ChannelDownloadSummary> };
    expect(third.perChannel[ch.id]).toMatchObject({ orders: 1, updated: 1, recoveredFromParked: 1, parked: 0 });
    expect(host.orders.get('O-1')!.status).toBe('cancelled');
    expect(host.orders.get('O-UNKNOWN')).toMatchObject({ status: 'open' });
    expect(logger.lines.join('\n')).not.toContain('very-secret');
  });

  it('keeps the checkpoint when Amazon cannot be read, and downloads a seller + marketplace once', async () => {
    seller(sb, 'ORD2');
    const state = memoryState();
    const logger = captureLogger();
    const a = channel(sb, 'ORD2', {}, 'a');
    const b = channel(sb, 'ORD2', {}, 'b');
    const client = createClient(a.settings, logger, fastClient);
    const run: JobRunContext = { signal: new AbortController().signal, logger, channels: async () => [b, a], progress: () => undefined };
    sb.admin.injectFault({ kind: '500', count: 10, operation: 'getOrders', sellerId: 'ORD2' });
    await expect(downloadOrders(run, { orders: fakeHost(new Set()).recorder, state, logger, clientFor: () => client })).rejects.toThrow(/every channel/);
    expect(state.data.has(checkpointKey('a'))).toBe(false);
    sb.admin.clearFaults();
    const ok = (await downloadOrders(run, { orders: fakeHost(new Set()).recorder, state, logger, clientFor: () => client })) as { perChannel: Record<string, unknown> };
    expect(ok.perChannel['b']).toMatchObject({ skipped: expect.stringMatching(/already downloads/) });
    expect(state.data.has(checkpointKey('a'))).toBe(true);
  });
});
