import { type AmazonSandbox, startAmazonSandbox } from '@invsync/amazon-sandbox';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { inventoryApi } from './support/inventory-api';
import { startHost, type TestHost, waitFor } from './support/test-host';

/**
 * Fault budget: under a 429 storm Amazon sees no more than its published rate per seller and
 * operation (patchListingsItem: 5/s, burst 5), retries back off and stop, and every listing ends
 * synced (or visibly in error), none silently lost.
 */
const UK = 'A1F83G8C2ARO7P';
const SELLER = 'ASTORMSELLER1';
const credentials = { clientId: 'amzn1.application-oa2-client.storm', clientSecret: 'storm-client-secret-0123456789', refreshToken: 'Atzr|storm-refresh-0123456789' };

describe('429 storm: rate and retry budget', () => {
  let sb: AmazonSandbox;
  let host: TestHost;

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, rateLimits: 'amazon' });
    sb.admin.seedSellers({ sellerId: SELLER, regions: ['EU'], ...credentials });
    host = await startHost({
      plugins: [amazonMfnPlugin],
      env: { SCHEDULER: 'off', SYNC_WINDOW_MS: '100', SYNC_TICK_MS: '50', SYNC_CONFIRM_INTERVAL_MS: '500', SYNC_RETRY_BASE_MS: '300', SYNC_RETRY_CAP_MS: '2000' },
    });
  });
  afterAll(async () => {
    await host?.close();
    await sb?.close();
  });

  it('stays within Amazon rate, backs off, and ends with every listing synced', async () => {
    const inv = inventoryApi(host);
    const w = await inv.warehouse('STORM');
    const channel = await inv.channel(
      { sellerId: SELLER, region: 'EU', marketplaceId: UK, credentials, spApiEndpoint: sb.url, lwaEndpoint: `${sb.url}/auth/o2/token`, syncInventory: true, onHandWarehouseIds: [w.id] },
      'amazon-mfn',
    );
    const products: { id: string; sku: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await inv.product(`STORM-${i}`);
      products.push(p);
      sb.admin.seedListings({ sellerId: SELLER, sku: p.sku, marketplaceId: UK, quantity: 0 });
      await inv.move(p.id, w.id, 5);
    }
    const mark = sb.state.calls.at(-1)?.seq ?? 0;
    // The storm: the next 60 patches of this seller are answered 429.
    sb.admin.injectFault({ kind: '429', count: 60, operation: 'patchListingsItem', sellerId: SELLER });
    for (const p of products) await inv.connect(channel.id, p.sku, p.id);

    const shown = (sku: string) => (sb.admin.quantities({ sellerId: SELLER, sku })[0] as { quantity: number | null } | undefined)?.quantity;
    await waitFor(async () => products.every((p) => shown(p.sku) === 5), 60_000, 200);
    const live = await waitFor(async () => {
      const items = (await inv.live(channel.id, '?limit=1000')).items as { status: string; quantity: number }[];
      return items.length === 20 && items.every((i) => i.status === 'synced' || i.status === 'sent') ? items : undefined;
    }, 30_000);
    expect(live.every((i) => i.quantity === 5)).toBe(true);

    const patches = sb.admin.calls({ sellerId: SELLER, operation: 'patchListingsItem', afterSeq: mark });
    expect(patches.filter((c) => c.status === 429).length).toBe(60);
    // Amazon's bucket: 5/s with a burst of 5, so at most 5 + 5 in any one second (one of slack for timing).
    const times = patches.map((c) => c.timeMs).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i] && t < times[i] + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(11);
    }
    // Retries stop: a SKU is never hammered. The client waits at least half of each backoff delay
    // (attempts at 0, >=250, >=750, >=1750, >=3750 ms: at most 3 in a second), and the engine's retry
    // of a call the client gave up on comes at least SYNC_RETRY_BASE_MS / 2 after its last attempt, so
    // one second can hold the last attempt of one call and the first three of the next: 4 at most.
    for (const p of products) {
      const mine = patches.filter((c) => c.sku === p.sku).map((c) => c.timeMs);
      expect(mine.length).toBeLessThanOrEqual(12);
      for (let i = 0; i < mine.length; i++) expect(mine.filter((t) => t >= mine[i] && t < mine[i] + 1000).length).toBeLessThanOrEqual(4);
    }
  }, 150_000); // the waits inside add up to 90 s
});
