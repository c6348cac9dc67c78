import { type AmazonSandbox, startAmazonSandbox } from '@invsync/amazon-sandbox';
import { createAmazonMfnPlugin } from '@invsync/amazon-mfn';
import { inventoryApi } from './support/inventory-api';
import { runJob } from './support/job-runs';
import { startHost, type TestHost, waitFor } from './support/test-host';

/**
 * Units Amazon sold that the host has not downloaded are never offered again (docs/reliability.md):
 * Amazon shows 10 = on hand; a buyer orders 4 (Amazon takes them off at once: 6); a goods-in of 1
 * arrives before the order is downloaded. Amazon's quantity is read over HTTP all along: it never
 * shows more than 7, and shows 7 once the order is recorded.
 */
const UK = 'A1F83G8C2ARO7P';
const DE = 'A1PA6795UKMFR9';
const SELLER = 'AUNRECORDED1';
const credentials = { clientId: 'amzn1.application-oa2-client.unrec', clientSecret: 'unrec-client-secret-0123456789', refreshToken: 'Atzr|unrec-refresh-0123456789' };

describe('units Amazon sold that are not downloaded yet', () => {
  let sb: AmazonSandbox;
  let host: TestHost;

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0 });
    sb.admin.seedSellers({ sellerId: SELLER, regions: ['EU'], ...credentials });
    host = await startHost({
      plugins: [createAmazonMfnPlugin()],
      env: { SCHEDULER: 'off', SYNC_WINDOW_MS: '100', SYNC_TICK_MS: '50', SYNC_CONFIRM_INTERVAL_MS: '200', SYNC_RETRY_BASE_MS: '200', SYNC_RETRY_CAP_MS: '1000' },
    });
  });
  afterAll(async () => {
    await host?.close();
    await sb?.close();
  });

  /** Reads what Amazon shows over HTTP, as often as it can, until stopped. */
  function sampleAmazon(sku: string) {
    const samples: number[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const res = await fetch(`${sb.url}/_sandbox/quantities?sellerId=${SELLER}&sku=${encodeURIComponent(sku)}`);
        const body = (await res.json()) as { quantities: { quantity: number }[] };
        samples.push(body.quantities[0].quantity);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    return {
      samples,
      async stop() {
        running = false;
        await loop;
        return samples;
      },
    };
  }

  it('Amazon never shows more than on hand minus the units sold and not recorded, and shows on hand once the order is recorded', async () => {
    const inv = inventoryApi(host);
    const w = await inv.warehouse('UNREC');
    const p = await inv.product('UNREC-1');
    await inv.move(p.id, w.id, 10);
    sb.admin.seedListings({ sellerId: SELLER, sku: p.sku, marketplaceId: UK, quantity: 0 });
    const channel = await inv.channel(
      {
        sellerId: SELLER, region: 'EU', marketplaceId: UK, credentials, spApiEndpoint: sb.url, lwaEndpoint: `${sb.url}/auth/o2/token`,
        syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id,
      },
      'amazon-mfn',
    );
    const l = await inv.connect(channel.id, p.sku, p.id);
    const item = async () => (await inv.live(channel.id)).items.find((i) => i['listingId'] === l.id);
    await waitFor(async () => (await item())?.['status'] === 'synced', 15_000);
    expect(sb.admin.quantities({ sellerId: SELLER, sku: p.sku })[0]).toMatchObject({ quantity: 10 });

    // A buyer orders 4: Amazon takes them off the listing at once. The order is not downloaded yet.
    const now = new Date().toISOString();
    sb.admin.upsertOrders({ sellerId: SELLER, amazonOrderId: '026-0000000-0000001', marketplaceId: UK, fulfillmentStatus: 'UNSHIPPED', purchaseDate: now, lastUpdateDate: now, items: [{ sku: p.sku, quantity: 4 }] });
    expect(sb.admin.quantities({ sellerId: SELLER, sku: p.sku })[0]).toMatchObject({ quantity: 6 });
    const sampler = sampleAmazon(p.sku);
    const mark = sb.state.calls.at(-1)?.seq ?? 0;
    await inv.move(p.id, w.id, 1); // goods-in: on hand 11
    await waitFor(async () => sb.admin.calls({ sellerId: SELLER, operation: 'patchListingsItem', afterSeq: mark }).some((c) => c.status === 200), 15_000);
    await waitFor(async () => (await item())?.['status'] === 'synced', 15_000);
    expect(sb.admin.quantities({ sellerId: SELLER, sku: p.sku })[0]).toMatchObject({ quantity: 7 });
    const explained = (await host.api().get(`/api/v1/listings/${l.id}/explain`).expect(200)).body;
    expect(explained).toMatchObject({ onHand: 11, quantity: 11, withheld: 4 });
    expect(explained.steps.at(-1)).toMatchObject({ rule: 'withheld', setting: 4, quantity: 7, note: expect.stringMatching(/withheld: 4 units/) });
    // Live Listings shows what Amazon was given and the units held back; /metrics counts them.
    expect(await item()).toMatchObject({ quantity: 7, computedQuantity: 11, withheld: 4 });
    const withheldMetric = async () => Number(/^invsync_units_withheld (\d+)$/m.exec((await host.api().get('/metrics').expect(200)).text)?.[1]);
    expect(await withheldMetric()).toBeGreaterThanOrEqual(4);

    // The order download records it: allocated, on hand 7, nothing withheld any more.
    const run = await runJob(host, 'amazon-mfn.download-orders');
    expect(run).toMatchObject({ status: 'succeeded' });
    expect((run.summary!['perChannel'] as Record<string, unknown>)[channel.id]).toMatchObject({ recorded: 1, failed: 0 });
    await waitFor(async () => (await host.api().get(`/api/v1/listings/${l.id}/explain`).expect(200)).body.withheld === 0, 15_000);
    await waitFor(async () => {
      const it = await item();
      return it?.['status'] === 'synced' && it['quantity'] === 7 && it['withheld'] === 0;
    }, 15_000);
    const samples = await sampler.stop();

    expect(samples.length).toBeGreaterThan(5);
    expect(Math.max(...samples)).toBeLessThanOrEqual(7);
    expect(samples.at(-1)).toBe(7);
    expect(sb.admin.quantities({ sellerId: SELLER, sku: p.sku })[0]).toMatchObject({ quantity: 7 });
    expect((await host.api().get(`/api/v1/listings/${l.id}/explain`).expect(200)).body).toMatchObject({ onHand: 7, quantity: 7, withheld: 0 });
  });

  it('EU: a sale in one marketplace lowers the seller + SKU quantity; a push through another channel of the pool withholds it', async () => {
    const inv = inventoryApi(host);
    const w = await inv.warehouse('UNREC-EU');
    const p = await inv.product('UNREC-EU-1');
    await inv.move(p.id, w.id, 10);
    sb.admin.seedListings([UK, DE].map((marketplaceId) => ({ sellerId: SELLER, sku: p.sku, marketplaceId, quantity: 0 })));
    const settings = (marketplaceId: string) => ({
      sellerId: SELLER, region: 'EU', marketplaceId, credentials, spApiEndpoint: sb.url, lwaEndpoint: `${sb.url}/auth/o2/token`,
      syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id,
    });
    const uk = await inv.channel(settings(UK), 'amazon-mfn');
    const de = await inv.channel(settings(DE), 'amazon-mfn');
    const lu = await inv.connect(uk.id, p.sku, p.id);
    const ld = await inv.connect(de.id, p.sku, p.id);
    const synced = async () => (await inv.live(uk.id)).items.find((i) => i['listingId'] === lu.id)?.['status'] === 'synced';
    await waitFor(synced, 15_000);
    expect(sb.admin.quantities({ sellerId: SELLER, sku: p.sku })).toEqual([expect.objectContaining({ quantity: 10 })]);

    // Sold in Germany: Amazon takes the 4 units off the seller's one EU quantity.
    const now = new Date().toISOString();
    sb.admin.upsertOrders({ sellerId: SELLER, amazonOrderId: '028-0000000-0000001', marketplaceId: DE, fulfillmentStatus: 'UNSHIPPED', purchaseDate: now, lastUpdateDate: now, items: [{ sku: p.sku, quantity: 4 }] });
    expect(sb.admin.quantities({ sellerId: SELLER, sku: p.sku })).toEqual([expect.objectContaining({ quantity: 6 })]);
    const sampler = sampleAmazon(p.sku);
    const mark = sb.state.calls.at(-1)?.seq ?? 0;
    await inv.move(p.id, w.id, 1);
    await waitFor(async () => sb.admin.calls({ sellerId: SELLER, operation: 'patchListingsItem', afterSeq: mark }).some((c) => c.status === 200), 15_000);
    await waitFor(async () => (await host.api().get(`/api/v1/listings/${lu.id}/explain`).expect(200)).body.withheld === 4, 15_000);

    const run = await runJob(host, 'amazon-mfn.download-orders');
    expect((run.summary!['perChannel'] as Record<string, unknown>)[de.id]).toMatchObject({ recorded: 1, failed: 0 });
    await waitFor(async () => (await host.api().get(`/api/v1/listings/${ld.id}/explain`).expect(200)).body.withheld === 0, 15_000);
    await waitFor(async () => (await synced()) && sb.admin.quantities({ sellerId: SELLER, sku: p.sku })[0]?.['quantity'] === 7, 15_000);
    const samples = await sampler.stop();

    expect(samples.length).toBeGreaterThan(5);
    expect(Math.max(...samples)).toBeLessThanOrEqual(7);
    expect(samples.at(-1)).toBe(7);
  });
});
