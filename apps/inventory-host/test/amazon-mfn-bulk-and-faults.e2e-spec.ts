import { ListingService } from '@invsync/domain-channels';
import type { AmazonSandbox } from '@invsync/amazon-sandbox';
import { amazonMfnE2e, itShowsNoCredential, type AmazonMfnE2e, UK } from './support/amazon-mfn-e2e';
import { type TestHost, waitFor } from './support/test-host';

describe('amazon-mfn plugin end to end (host + SP-API sandbox over HTTP): feeds for many changes, and faults from Amazon', () => {
  const e = amazonMfnE2e();
  const { seller, channel, shown, calls, lastSeq, settled } = e;
  let sb: AmazonSandbox;
  let host: TestHost;
  let inv: AmazonMfnE2e['inv'];
  let w1: { id: string };
  beforeAll(() => {
    ({ sb, host, inv, w1 } = e);
  });

  it('3,000 changed listings go as one feed, 10 as patches', async () => {
    const big = seller();
    const small = seller();
    const p = await inv.product();
    await inv.move(p.id, w1.id, 10);
    const n = 3000;
    const skus = Array.from({ length: n }, (_, i) => `BULK-${String(i).padStart(4, '0')}`);
    sb.admin.seedListings(skus.map((sku) => ({ sellerId: big.sellerId, sku, marketplaceId: UK, quantity: 0, leadTimeToShipMaxDays: 4 })));
    sb.admin.seedListings(skus.slice(0, 10).map((sku) => ({ sellerId: small.sellerId, sku, marketplaceId: UK, quantity: 0 })));
    // The 3,000 are connected with sync off (nothing sent), so that switching it on changes them all at once.
    const bigChannel = await channel(big, UK, { syncInventory: false });
    const smallChannel = await channel(small, UK);
    // Set-up shortcut: the connections through the host's listing service (what the HTTP route calls).
    const listings = host.app.get(ListingService);
    for (let i = 0; i < n; i += 20) await Promise.all(skus.slice(i, i + 20).map((sku) => listings.connect(bigChannel.id, { sku, productId: p.id })));
    for (const sku of skus.slice(0, 10)) await inv.connect(smallChannel.id, sku, p.id);
    await waitFor(async () => skus.slice(0, 10).every((sku) => sb.admin.quantities({ sellerId: small.sellerId, sku })[0]?.['quantity'] === 10), 15_000);
    await settled(smallChannel.id);

    // A goods-in changes the 10 (sync on): 10 patches, no feed.
    const mark = lastSeq();
    await inv.move(p.id, w1.id, 5);
    // Counted by Amazon's answers: a 429 at the bucket's edge is retried and is not a second patch.
    const patched = () => calls(small.sellerId, 'patchListingsItem', mark).filter((c) => c.status === 200);
    await waitFor(async () => patched().length >= 10, 15_000);
    await waitFor(async () => skus.slice(0, 10).every((sku) => sb.admin.quantities({ sellerId: small.sellerId, sku })[0]?.['quantity'] === 15), 15_000);
    expect(patched().map((c) => c.sku).sort()).toEqual(skus.slice(0, 10));
    expect(calls(small.sellerId, 'createFeed', mark)).toHaveLength(0);
    // Sync on for the 3,000: one feed of 3,000 messages, no patch.
    await host.api().patch(`/api/v1/channels/${bigChannel.id}/settings`).send({ syncInventory: true }).expect(200);
    await waitFor(async () => calls(big.sellerId, 'createFeed').length === 1, 20_000);
    const liveBig = await settled(bigChannel.id, 90_000);
    expect(liveBig.filter((l) => l.status === 'synced' && l.quantity === 15)).toHaveLength(n);
    expect(calls(big.sellerId, 'createFeed')).toHaveLength(1);
    expect(calls(big.sellerId, 'patchListingsItem')).toHaveLength(0);
    expect(calls(small.sellerId, 'createFeed')).toHaveLength(0);
    const [feed] = [...sb.state.feeds.values()].filter((f) => f.sellerId === big.sellerId);
    const doc = JSON.parse(sb.state.documents.get(feed.inputFeedDocumentId)!.content!.toString('utf8'));
    expect(doc.messages).toHaveLength(n);
    expect(doc.messages[0].patches[0]).toEqual({ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 15 }] });
    expect(sb.admin.quantities({ sellerId: big.sellerId, sku: skus[n - 1] })[0]).toMatchObject({ quantity: 15, leadTimeToShipMaxDays: 4 });
  }, 180_000); // about 20 s on SQLite, 50 s on PostgreSQL (3,000 connections and confirmations); the bound is for a loaded CI machine

  it('a 429 storm, 500s and INVALID patches end with every listing synced or showing its error', async () => {
    const s = seller();
    const products = await Promise.all(Array.from({ length: 8 }, () => inv.product()));
    for (const [i, p] of products.entries()) await inv.move(p.id, w1.id, i + 1);
    sb.admin.seedListings(products.map((p) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0 })));
    const bad = [products[2].sku, products[5].sku];
    sb.admin.markSkusInvalid(bad, s.sellerId);
    sb.admin.injectFault({ kind: '429', count: 20, operation: 'patchListingsItem', sellerId: s.sellerId });
    sb.admin.injectFault({ kind: '500', count: 6, operation: 'getListingsItem', sellerId: s.sellerId });
    const c = await channel(s);
    for (const p of products) await inv.connect(c.id, p.sku, p.id);
    const end = await settled(c.id, 60_000);
    for (const [i, p] of products.entries()) {
      const l = end.find((x) => x.sku === p.sku)!;
      if (bad.includes(p.sku)) {
        expect(l).toMatchObject({ status: 'error', lastError: expect.stringMatching(/INVALID: 90000900/) });
      } else {
        expect(l).toMatchObject({ status: 'synced', quantity: i + 1 });
        expect(shown(s.sellerId, p.sku)?.quantity).toBe(i + 1);
      }
    }
    expect(calls(s.sellerId, 'patchListingsItem').filter((x) => x.status === 429).length).toBe(20);
    sb.admin.clearFaults();
  }, 70_000);

  it('a FATAL feed is sent again and INVALID feed messages show their error; lead time survives', async () => {
    const s = seller();
    const products = await Promise.all(Array.from({ length: 6 }, () => inv.product()));
    for (const p of products) await inv.move(p.id, w1.id, 2);
    sb.admin.seedListings(products.map((p) => ({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: 0, leadTimeToShipMaxDays: 9 })));
    sb.admin.markSkusInvalid([products[0].sku], s.sellerId);
    sb.admin.failNextFeeds(1);
    sb.admin.injectFault({ kind: '500', count: 2, operation: 'createFeedDocument', sellerId: s.sellerId });
    const c = await channel(s, UK, { feedThreshold: 3, syncInventory: false });
    for (const p of products) await inv.connect(c.id, p.sku, p.id);
    await host.api().patch(`/api/v1/channels/${c.id}/settings`).send({ syncInventory: true }).expect(200);
    const end = await settled(c.id, 45_000);
    expect(end.find((l) => l.sku === products[0].sku)).toMatchObject({ status: 'error', lastError: expect.stringMatching(/90000900/) });
    expect(end.filter((l) => l.status === 'synced' && l.quantity === 2)).toHaveLength(5);
    const feeds = [...sb.state.feeds.values()].filter((f) => f.sellerId === s.sellerId);
    expect(feeds.map((f) => f.processingStatus)).toEqual(['FATAL', 'DONE']);
    for (const p of products.slice(1)) expect(shown(s.sellerId, p.sku)).toMatchObject({ quantity: 2, leadTimeToShipMaxDays: 9 });
    expect(calls(s.sellerId, 'patchListingsItem')).toHaveLength(0);
  }, 60_000);

  itShowsNoCredential(e);
});
