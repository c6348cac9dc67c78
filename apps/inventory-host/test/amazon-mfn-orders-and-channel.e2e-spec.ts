import type { AmazonSandbox } from '@invsync/amazon-sandbox';
import { amazonMfnE2e, itShowsNoCredential, type AmazonMfnE2e, DE, UK } from './support/amazon-mfn-e2e';
import { type TestHost, waitFor } from './support/test-host';
import { runToSummary } from './support/job-runs';

type ImportSummary = { dryRun: boolean; matched: { sku: string; listingId?: string }[]; unmatched: string[]; alreadyConnected: string[]; skipped: { sku: string; reason: string }[] };

describe('amazon-mfn plugin end to end (host + SP-API sandbox over HTTP): order download, listing import, health', () => {
  const e = amazonMfnE2e();
  const { seller, channel, waitShown, calls, runJob, onHand, bodies, secrets } = e;
  let sb: AmazonSandbox;
  let host: TestHost;
  let inv: AmazonMfnE2e['inv'];
  let w1: { id: string };
  let w2: { id: string };
  beforeAll(() => {
    ({ sb, host, inv, w1, w2 } = e);
  });

  it('downloads an MFN order (allocated from the allocation warehouse, lower quantity sent), ignores AFN, keeps going past an unknown SKU, repeats nothing, de-allocates a cancellation', async () => {
    const s = seller();
    const p = await inv.product();
    await inv.move(p.id, w1.id, 5);
    await inv.move(p.id, w2.id, 3);
    sb.admin.seedListings({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 });
    const c = await channel(s, UK, { onHandWarehouseIds: [w1.id, w2.id], allocationWarehouseId: w2.id });
    await inv.connect(c.id, p.sku, p.id);
    await waitShown(s.sellerId, p.sku, 8);

    // Placed a while ago: a later run's window (which starts a little over two minutes before the previous read) no longer sees them.
    const placed = new Date(Date.now() - 10 * 60_000).toISOString();
    const orderId = `202-${e.sellerSeq}000001-0000001`;
    sb.admin.upsertOrders([
      { sellerId: s.sellerId, amazonOrderId: orderId, marketplaceId: UK, fulfillmentStatus: 'UNSHIPPED', purchaseDate: placed, lastUpdateDate: placed, items: [{ sku: p.sku, quantity: 2 }] },
      { sellerId: s.sellerId, amazonOrderId: `203-${e.sellerSeq}000002-0000002`, marketplaceId: UK, fulfillmentChannel: 'AFN', purchaseDate: placed, lastUpdateDate: placed, items: [{ sku: p.sku, quantity: 1 }] },
      { sellerId: s.sellerId, amazonOrderId: `204-${e.sellerSeq}000003-0000003`, marketplaceId: UK, purchaseDate: placed, lastUpdateDate: placed, items: [{ sku: 'NO-SUCH-PRODUCT', quantity: 1 }] },
    ]);
    // Amazon took the ordered units off the listing at once.
    expect(sb.admin.quantities({ sellerId: s.sellerId, sku: p.sku })[0]).toMatchObject({ quantity: 6 });
    const run = await runJob('amazon-mfn.download-orders');
    expect(run.status).toBe('succeeded');
    const mine = (run.summary!['perChannel'] as Record<string, Record<string, unknown>>)[c.id];
    // Only merchant-fulfilled orders are asked for: the AFN one never reaches the host. The unknown
    // SKU's order is kept parked by the host (recorded for the plugin), allocating nothing.
    expect(mine).toMatchObject({ orders: 2, recorded: 1, parkedByHost: 1, afn: 0, failed: 0, parked: 0 });
    const parked = (await host.api().get(`/api/v1/orders?channelId=${c.id}&status=parked`).expect(200)).body.items;
    expect(parked).toMatchObject([{ externalId: `204-${e.sellerSeq}000003-0000003`, lines: [{ sku: 'NO-SUCH-PRODUCT', productId: null }] }]);
    const levels = await onHand(p.id);
    expect(levels.warehouses.find((w: { warehouseId: string }) => w.warehouseId === w2.id)).toMatchObject({ inStock: 3, allocated: 2, onHand: 1 });
    expect(levels.total).toMatchObject({ allocated: 2, onHand: 6 });
    await waitShown(s.sellerId, p.sku, 6);

    // A repeat (the order read again) allocates nothing twice.
    sb.admin.updateOrder(orderId, { fulfillmentStatus: 'UNSHIPPED' });
    const again = await runJob('amazon-mfn.download-orders');
    expect((again.summary!['perChannel'] as Record<string, Record<string, unknown>>)[c.id]).toMatchObject({ orders: 1, recorded: 0, updated: 1 });
    expect((await onHand(p.id)).total).toMatchObject({ allocated: 2, onHand: 6 });

    sb.admin.updateOrder(orderId, { fulfillmentStatus: 'CANCELLED' });
    await runJob('amazon-mfn.download-orders');
    expect((await onHand(p.id)).total).toMatchObject({ allocated: 0, onHand: 8 });
    // The download used Orders API 2026-01-01 only.
    expect(calls(s.sellerId, 'searchOrders').length).toBeGreaterThanOrEqual(3);
    for (const v0 of ['getOrders', 'getOrderItems', 'getOrder']) expect(calls(s.sellerId, v0)).toEqual([]);
    await waitShown(s.sellerId, p.sku, 8);
  });

  it("downloads orders by the listing's Amazon SKU, not the product's; an order for a SKU not connected yet is parked, then recorded once its listing is connected", async () => {
    const s = seller();
    const p = await inv.product();
    const q = await inv.product();
    await inv.move(p.id, w1.id, 5);
    await inv.move(q.id, w1.id, 4);
    const amazonSku = `AMZ-${p.sku}-01`;
    const lateSku = `AMZ-${q.sku}-LATE`;
    sb.admin.seedListings([
      { sellerId: s.sellerId, sku: amazonSku, marketplaceId: UK, quantity: 0 },
      { sellerId: s.sellerId, sku: lateSku, marketplaceId: UK, quantity: 4 },
    ]);
    const c = await channel(s);
    await inv.connect(c.id, amazonSku, p.id);
    await waitShown(s.sellerId, amazonSku, 5);

    const placed = new Date(Date.now() - 60_000).toISOString();
    const first = `205-${e.sellerSeq}000001-0000001`;
    const late = `206-${e.sellerSeq}000002-0000002`;
    sb.admin.upsertOrders([
      { sellerId: s.sellerId, amazonOrderId: first, marketplaceId: UK, fulfillmentStatus: 'UNSHIPPED', purchaseDate: placed, lastUpdateDate: placed, items: [{ sku: amazonSku, quantity: 2 }] },
      { sellerId: s.sellerId, amazonOrderId: late, marketplaceId: UK, fulfillmentStatus: 'UNSHIPPED', purchaseDate: placed, lastUpdateDate: placed, items: [{ sku: lateSku, quantity: 1 }] },
    ]);
    expect(e.shown(s.sellerId, amazonSku)?.quantity).toBe(3);
    const run = await runJob('amazon-mfn.download-orders');
    expect((run.summary!['perChannel'] as Record<string, Record<string, unknown>>)[c.id]).toMatchObject({ orders: 2, recorded: 1, parkedByHost: 1, failed: 0 });
    // The listing's Amazon SKU resolved to its connected product, whose own SKU Amazon never saw.
    const orders = (await host.api().get(`/api/v1/orders?channelId=${c.id}`).expect(200)).body.items as { externalId: string; status: string; lines: { sku: string; productId: string | null; allocated: number }[] }[];
    expect(orders.find((o) => o.externalId === first)).toMatchObject({ status: 'open', lines: [{ sku: amazonSku, productId: p.id, allocated: 2 }] });
    expect((await onHand(p.id)).total).toMatchObject({ allocated: 2, onHand: 3 });
    const parked = (await host.api().get(`/api/v1/orders?channelId=${c.id}&status=parked`).expect(200)).body.items;
    expect(parked).toMatchObject([{ externalId: late, lines: [{ sku: lateSku, productId: null, allocated: 0 }] }]);
    expect((await onHand(q.id)).total).toMatchObject({ allocated: 0, onHand: 4 });

    // Connecting the listing records the parked order without another download.
    await inv.connect(c.id, lateSku, q.id);
    await waitFor(async () => (await host.api().get(`/api/v1/orders?channelId=${c.id}&status=parked`).expect(200)).body.items.length === 0);
    expect((await onHand(q.id)).total).toMatchObject({ allocated: 1, onHand: 3 });
    await waitShown(s.sellerId, lateSku, 3);
    await waitShown(s.sellerId, amazonSku, 3);
    // Amazon was only ever told about its own SKUs.
    expect(calls(s.sellerId, 'patchListingsItem').map((x) => x.sku).filter((sku) => sku === p.sku || sku === q.sku)).toEqual([]);
  });

  it('imports listings: dry run lists the matches, the import connects merchant-fulfilled SKUs with a product and reports the rest', async () => {
    const s = seller();
    const a = await inv.product();
    const b = await inv.product();
    const fba = await inv.product();
    await inv.move(a.id, w1.id, 2);
    await inv.move(b.id, w1.id, 5);
    sb.admin.seedListings([
      { sellerId: s.sellerId, sku: a.sku.toLowerCase(), marketplaceId: UK, quantity: 0 },
      { sellerId: s.sellerId, sku: b.sku, marketplaceId: UK, quantity: 1 },
      { sellerId: s.sellerId, sku: 'NOT-IN-CATALOG', marketplaceId: UK, quantity: 3 },
      { sellerId: s.sellerId, sku: fba.sku, marketplaceId: UK, fulfillmentChannel: 'AFN' },
    ]);
    const c = await channel(s);
    const dry = { body: await runToSummary<ImportSummary>(host, `/api/v1/channels/${c.id}/listings/import`, { dryRun: true }) };
    bodies.push(JSON.stringify(dry.body));
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.matched.map((m: { sku: string }) => m.sku).sort()).toEqual([a.sku.toLowerCase(), b.sku].sort());
    expect(dry.body.unmatched).toEqual(['NOT-IN-CATALOG']);
    expect(dry.body.skipped).toEqual([expect.objectContaining({ sku: fba.sku, reason: expect.stringMatching(/fulfilled by the marketplace/) })]);
    expect((await host.api().get(`/api/v1/channels/${c.id}/listings`).expect(200)).body.items).toHaveLength(0);

    const real = { body: await runToSummary<ImportSummary>(host, `/api/v1/channels/${c.id}/listings/import`) };
    expect(real.body.matched).toHaveLength(2);
    expect(real.body.matched.every((m: { listingId?: string }) => !!m.listingId)).toBe(true);
    await waitShown(s.sellerId, a.sku.toLowerCase(), 2);
    await waitShown(s.sellerId, b.sku, 5);
    const again = { body: await runToSummary<ImportSummary>(host, `/api/v1/channels/${c.id}/listings/import`) };
    expect(again.body.matched).toEqual([]);
    expect(again.body.alreadyConnected.sort()).toEqual([a.sku.toLowerCase(), b.sku].sort());
    expect(calls(s.sellerId, 'patchListingsItem').some((x) => x.sku === fba.sku)).toBe(false);
  });

  it('checks health with a token exchange, stores it on the channel and summarises it in /health', async () => {
    const s = seller();
    const good = await channel(s);
    const ok = await host.api().post(`/api/v1/channels/${good.id}/health-check`).expect(200);
    expect(ok.body).toMatchObject({ ok: true, message: expect.stringMatching(/Credentials valid/) });
    const wrong = await channel({ sellerId: s.sellerId, credentials: { ...s.credentials, clientSecret: 'cs-wrong-secret-0123456789' } }, DE);
    secrets.push('cs-wrong-secret-0123456789');
    const refused = await host.api().post(`/api/v1/channels/${wrong.id}/health-check`).expect(200);
    bodies.push(ok.text, refused.text);
    expect(refused.body).toMatchObject({ ok: false, message: expect.stringMatching(/LWA refused/) });
    expect((await host.api().get(`/api/v1/channels/${wrong.id}`).expect(200)).body.health).toMatchObject({ ok: false, checkedAt: expect.any(String) });
    const before = sb.state.calls.length;
    const health = await host.anon().get('/health').expect(200);
    bodies.push(health.text);
    expect(sb.state.calls.length).toBe(before); // /health reports the stored answers; it calls no marketplace
    expect(health.body.channels).toMatchObject({ failing: expect.any(Number), ok: expect.any(Number) });
    expect(health.body.channels.failingChannels).toEqual(expect.arrayContaining([expect.objectContaining({ id: wrong.id, type: 'amazon-mfn' })]));
    expect(health.body.plugins).toEqual(expect.arrayContaining([{ id: 'amazon-mfn', state: 'active' }]));

    // The host's periodic job refreshes every channel's stored health.
    const run = await runJob('host.channel-health');
    expect(run.status).toBe('succeeded');
    expect(run.summary).toMatchObject({ failing: expect.arrayContaining([expect.objectContaining({ channelId: wrong.id, message: expect.stringMatching(/LWA refused/) })]) });
    const after = (await host.anon().get('/health').expect(200)).body.channels;
    expect(after.unchecked).toBe(0);
    expect(after.ok + after.failing).toBe(after.total);
  });

  itShowsNoCredential(e);
});
