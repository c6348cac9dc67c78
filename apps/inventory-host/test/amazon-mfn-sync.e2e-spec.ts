import type { AmazonSandbox } from '@invsync/amazon-sandbox';
import { amazonMfnE2e, itShowsNoCredential, type AmazonMfnE2e, DE, UK, WINDOW, sleep } from './support/amazon-mfn-e2e';
import { type TestHost } from './support/test-host';

describe('amazon-mfn plugin end to end (host + SP-API sandbox over HTTP): sends: connect, sync on again, the nightly run, EU marketplaces sharing a quantity', () => {
  const e = amazonMfnE2e();
  const { seller, channel, shown, waitShown, calls, lastSeq, settled, runJob, bodies } = e;
  let sb: AmazonSandbox;
  let host: TestHost;
  let inv: AmazonMfnE2e['inv'];
  let w1: { id: string };
  let w2: { id: string };
  beforeAll(() => {
    ({ sb, host, inv, w1, w2 } = e);
  });

  it('connect sets the Amazon quantity to on hand (multi-warehouse, variant, bundle; odd SKU characters), keeps lead time, and a goods-in follows within the window', async () => {
    const s = seller();
    const mug = await inv.product('MUG/RED #1 XL');
    const parent = await inv.product(`TEE-${s.sellerId}`, { kind: 'parent' });
    const variant = await inv.product(`TEE-${s.sellerId}-M`, { parentId: parent.id });
    const bundle = await inv.product(`SET-${s.sellerId}`, { kind: 'bundle', components: [{ productId: mug.id, quantity: 2 }, { productId: variant.id, quantity: 1 }] });
    await inv.move(mug.id, w1.id, 5);
    await inv.move(mug.id, w2.id, 3);
    await inv.move(variant.id, w1.id, 4);
    sb.admin.seedListings([
      { sellerId: s.sellerId, sku: mug.sku, marketplaceId: UK, quantity: 99, leadTimeToShipMaxDays: 5 },
      { sellerId: s.sellerId, sku: variant.sku, marketplaceId: UK, quantity: 99 },
      { sellerId: s.sellerId, sku: bundle.sku, marketplaceId: UK, quantity: 99, leadTimeToShipMaxDays: 3 },
    ]);
    const c = await channel(s, UK, { onHandWarehouseIds: [w1.id, w2.id] });
    expect(c.settings['credentials']).toEqual({ set: true });
    for (const p of [mug, variant, bundle]) await inv.connect(c.id, p.sku, p.id);
    // mug 5 + 3; variant 4; bundle per warehouse: W1 min(5/2, 4) = 2, W2 min(3/2, 0) = 0.
    await waitShown(s.sellerId, mug.sku, 8);
    await waitShown(s.sellerId, variant.sku, 4);
    await waitShown(s.sellerId, bundle.sku, 2);
    const settledLive = await settled(c.id);
    expect(settledLive.map((l) => [l.sku, l.status, l.quantity]).sort()).toEqual([
      [mug.sku, 'synced', 8],
      [bundle.sku, 'synced', 2],
      [variant.sku, 'synced', 4],
    ].sort());
    expect(shown(s.sellerId, mug.sku)?.leadTimeToShipMaxDays).toBe(5);
    expect(calls(s.sellerId, 'patchListingsItem').map((x) => x.sku).sort()).toEqual([mug.sku, variant.sku, bundle.sku].sort());

    const t0 = Date.now();
    await inv.move(mug.id, w1.id, 2);
    await waitShown(s.sellerId, mug.sku, 10, 5000);
    await waitShown(s.sellerId, bundle.sku, 3, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(shown(s.sellerId, mug.sku)?.leadTimeToShipMaxDays).toBe(5);
    expect(shown(s.sellerId, bundle.sku)?.leadTimeToShipMaxDays).toBe(3);
  });

  it('sync off, change, sync on: the channel is sent again', async () => {
    const s = seller();
    const p = await inv.product();
    await inv.move(p.id, w1.id, 6);
    sb.admin.seedListings({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 });
    const c = await channel(s);
    await inv.connect(c.id, p.sku, p.id);
    await waitShown(s.sellerId, p.sku, 6);
    await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: false }).expect(200);
    await inv.move(p.id, w1.id, 3);
    await sleep(WINDOW * 4);
    expect(shown(s.sellerId, p.sku)?.quantity).toBe(6);
    const res = await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: true }).expect(200);
    bodies.push(res.text);
    expect(res.body.resent).toBe(true);
    await waitShown(s.sellerId, p.sku, 9);
  });

  it('the nightly run puts right a quantity changed on Amazon and sends nothing for unchanged listings', async () => {
    const s = seller();
    const a = await inv.product();
    const b = await inv.product();
    await inv.move(a.id, w1.id, 3);
    await inv.move(b.id, w1.id, 4);
    sb.admin.seedListings([a, b].map((p) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0, leadTimeToShipMaxDays: 2 })));
    const c = await channel(s);
    await inv.connect(c.id, a.sku, a.id);
    await inv.connect(c.id, b.sku, b.id);
    await waitShown(s.sellerId, a.sku, 3);
    await waitShown(s.sellerId, b.sku, 4);
    await settled(c.id);
    sb.admin.seedListings({ sellerId: s.sellerId, sku: b.sku, marketplaceId: UK, quantity: 40 });
    const mark = lastSeq();
    const run = await runJob('host.sync-nightly');
    expect(run.status).toBe('succeeded');
    await waitShown(s.sellerId, b.sku, 4);
    await settled(c.id);
    await sleep(WINDOW * 2);
    const sent = [...calls(s.sellerId, 'patchListingsItem', mark), ...calls(s.sellerId, 'createFeed', mark)];
    expect(sent.map((x) => x.sku)).toEqual([b.sku]);
    expect(calls(s.sellerId, 'createReport', mark).length).toBeGreaterThanOrEqual(1);
    expect(shown(s.sellerId, b.sku)?.leadTimeToShipMaxDays).toBe(2);
  });

  it('EU: two marketplaces of one seller sharing a SKU get one update per change', async () => {
    const s = seller(['EU']);
    const p = await inv.product();
    await inv.move(p.id, w1.id, 7);
    sb.admin.seedListings([UK, DE].map((marketplaceId) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId, quantity: 0 })));
    const uk = await channel(s, UK);
    const de = await channel(s, DE);
    expect([uk.quantityPool, de.quantityPool]).toEqual([`${s.sellerId}:EU`, `${s.sellerId}:EU`]);
    await inv.connect(uk.id, p.sku, p.id);
    await inv.connect(de.id, p.sku, p.id);
    await waitShown(s.sellerId, p.sku, 7);
    await settled(uk.id);
    await settled(de.id);
    await sleep(WINDOW * 2);
    expect(calls(s.sellerId, 'patchListingsItem')).toHaveLength(1);
    await inv.move(p.id, w1.id, 1);
    await waitShown(s.sellerId, p.sku, 8);
    await sleep(WINDOW * 3);
    const patches = calls(s.sellerId, 'patchListingsItem');
    expect(patches).toHaveLength(2);
    expect(patches.every((x) => x.marketplaceIds?.length === 1)).toBe(true);
    expect(sb.admin.quantities({ sellerId: s.sellerId, sku: p.sku })).toEqual([expect.objectContaining({ marketplaceId: null, quantity: 8 })]);
  });

  itShowsNoCredential(e);
});
