import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { inventoryApi } from './support/inventory-api';
import { runJob } from './support/job-runs';
import { startHost, type TestHost, waitFor } from './support/test-host';

/**
 * One wake-up path: every committed write that changes on hand, orders, listings or channels wakes
 * the dispatcher through the transaction runner's after-commit hook, whoever made it (REST or a
 * plugin). The runner's tick is set to its maximum (60 s), far beyond every wait below, so a
 * quantity reaching Amazon here was sent because a commit woke the dispatcher. The coalescing
 * window is 0: a windowed listing is claimed by the first pass after its window, which the tick
 * schedules, and that is not what this file is about.
 */
const UK = 'A1F83G8C2ARO7P';
const TICK_MS = 60_000;
const PROMPT_MS = 20_000;

describe('wake-up on commit (host + SP-API sandbox over HTTP, long tick)', () => {
  let sb: AmazonSandbox;
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  let w: { id: string };
  let sellerSeq = 0;

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, feedProcessingDelayMs: 50, reportProcessingDelayMs: 50 });
    host = await startHost({
      plugins: [amazonMfnPlugin],
      env: {
        SCHEDULER: 'off',
        SYNC_WINDOW_MS: '0',
        SYNC_TICK_MS: String(TICK_MS),
        SYNC_CONFIRM_INTERVAL_MS: '3600000',
      },
    });
    inv = inventoryApi(host);
    w = await inv.warehouse('WAKE');
  });
  afterAll(async () => {
    await host?.close();
    await sb?.close();
  });

  async function mfnChannel() {
    const sellerId = `A${++sellerSeq}WAKE${Date.now() % 10000}`;
    const credentials = { clientId: `amzn1.application-oa2-client.${sellerId}`, clientSecret: `cs-${sellerId}-0123456789abcdef`, refreshToken: `Atzr|rt-${sellerId}-0123456789abcdef` };
    sb.admin.seedSellers({ sellerId, regions: ['EU'], ...credentials });
    const channel = await inv.channel(
      {
        sellerId,
        region: 'EU',
        marketplaceId: UK,
        credentials,
        spApiEndpoint: sb.url,
        lwaEndpoint: `${sb.url}/auth/o2/token`,
        syncInventory: true,
        onHandWarehouseIds: [w.id],
        allocationWarehouseId: w.id,
      },
      'amazon-mfn',
      `Amazon UK ${sellerId}`,
    );
    return { sellerId, channel };
  }

  const shown = (sellerId: string, sku: string) => (sb.admin.quantities({ sellerId, sku })[0] as { quantity: number | null } | undefined)?.quantity;
  /** Waits for Amazon to show `quantity`, well within the tick. */
  const promptly = (sellerId: string, sku: string, quantity: number) =>
    waitFor(async () => shown(sellerId, sku) === quantity, PROMPT_MS, 50).catch(() => {
      throw new Error(`Amazon shows ${shown(sellerId, sku)} for ${sku}, expected ${quantity} within ${PROMPT_MS} ms (tick ${TICK_MS} ms)`);
    });

  it('a listing connected over REST is sent at once, and an order the MFN plugin downloads lowers Amazon without waiting for the tick', async () => {
    const { sellerId, channel } = await mfnChannel();
    const p = await inv.product();
    await inv.move(p.id, w.id, 7);
    sb.admin.seedListings({ sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 });

    await inv.connect(channel.id, p.sku, p.id);
    await promptly(sellerId, p.sku, 7);

    const orderId = `205-${sellerSeq}000001-0000001`;
    sb.admin.upsertOrders([{ sellerId, amazonOrderId: orderId, marketplaceId: UK, orderStatus: 'Unshipped', items: [{ sku: p.sku, quantity: 3 }] }]);
    const run = await runJob(host, 'amazon-mfn.download-orders');
    expect(run.status).toBe('succeeded');
    expect((run.summary!['perChannel'] as Record<string, Record<string, unknown>>)[channel.id]).toMatchObject({ recorded: 1 });
    await promptly(sellerId, p.sku, 4);

    // The plugin reports the cancellation: the de-allocation wakes the dispatcher too.
    sb.admin.updateOrder(orderId, { orderStatus: 'Canceled' });
    await runJob(host, 'amazon-mfn.download-orders');
    await promptly(sellerId, p.sku, 7);
  });

  it('REST orders, stock movements and a sync re-activation wake the dispatcher with no kick from the controllers', async () => {
    const { sellerId, channel } = await mfnChannel();
    const p = await inv.product();
    await inv.move(p.id, w.id, 5);
    sb.admin.seedListings({ sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 });
    await inv.connect(channel.id, p.sku, p.id);
    await promptly(sellerId, p.sku, 5);

    const order = await host.api().post('/api/v1/orders').send({ channelId: channel.id, externalId: `REST-${sellerId}`, lines: [{ sku: p.sku, quantity: 2 }] }).expect(201);
    await promptly(sellerId, p.sku, 3);
    await host.api().post(`/api/v1/orders/${order.body.id}/cancel`).expect(200);
    await promptly(sellerId, p.sku, 5);

    await inv.move(p.id, w.id, 4);
    await promptly(sellerId, p.sku, 9);

    // Sync off, a change on Amazon's side, sync on: the channel's settings commit re-sends everything.
    // (Amazon raised, not lowered: a drop would look like units sold and not downloaded yet, withheld.)
    await host.api().patch(`/api/v1/channels/${channel.id}/settings`).send({ syncInventory: false }).expect(200);
    sb.admin.seedListings({ sellerId, sku: p.sku, marketplaceId: UK, quantity: 20 });
    const res = await host.api().patch(`/api/v1/channels/${channel.id}/settings`).send({ syncInventory: true }).expect(200);
    expect(res.body.resent).toBe(true);
    await promptly(sellerId, p.sku, 9);
  });
});
