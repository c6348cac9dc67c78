import { AmazonMfnConnector, parseReceipt, patchReceipt } from '../src';
import { type AmazonSandbox, captureLogger, channel, collect, DE, fastClient, sandbox, seller, UK } from './support';

const signal = () => new AbortController().signal;
/** Asks until no answer is `accepted` (the feed is still in queue or in progress until then). */
async function untilAnswered<T extends { status: string }>(ask: () => Promise<T[]>): Promise<T[]> {
  for (let i = 0; ; i++) {
    const answers = await ask();
    if (answers.every((a) => a.status !== 'accepted') || i > 100) return answers;
    await new Promise((r) => setTimeout(r, 30));
  }
}
const u = (sku: string, quantity: number, marketplaceIds = [UK]) => ({ updateId: `u-${sku}`, sku, quantity, marketplaceIds });

describe('AmazonMfnConnector against the sandbox', () => {
  let sb: AmazonSandbox;
  beforeAll(async () => (sb = await sandbox()));
  afterAll(() => sb.close());

  it('patches small batches with merge (lead time kept), URL-encodes odd SKUs, never sends to FBA or unknown SKUs, and confirms by reading back', async () => {
    const creds = seller(sb, 'PATCH1');
    const odd = 'MUG/RED #1 XL';
    sb.admin.seedListings([
      { sellerId: 'PATCH1', sku: odd, marketplaceId: UK, quantity: 1, leadTimeToShipMaxDays: 6 },
      { sellerId: 'PATCH1', sku: 'PLAIN', marketplaceId: UK, quantity: 1 },
      { sellerId: 'PATCH1', sku: 'FBA-1', marketplaceId: UK, fulfillmentChannel: 'AFN' },
    ]);
    sb.admin.markSkusInvalid(['PLAIN'], 'PATCH1');
    const logger = captureLogger();
    const c = new AmazonMfnConnector(channel(sb, 'PATCH1'), logger, fastClient);
    const results = await c.pushQuantities({ channel: channel(sb, 'PATCH1'), updates: [u(odd, 9), u('PLAIN', 3), u('FBA-1', 4), u('GHOST', 2)], signal: signal() });
    const by = new Map(results.map((r) => [r.updateId, r]));
    const parsed = parseReceipt(by.get(`u-${odd}`)?.receipt ?? '');
    expect(parsed).toMatchObject({ kind: 'patch', sku: odd, quantity: 9, sentAt: expect.any(Number) });
    expect(by.get(`u-${odd}`)).toMatchObject({ status: 'accepted' });
    expect(by.get('u-PLAIN')).toMatchObject({ status: 'rejected', message: expect.stringMatching(/INVALID: 90000900/) });
    expect(by.get('u-FBA-1')).toMatchObject({ status: 'rejected', message: expect.stringMatching(/fulfilled by Amazon/) });
    expect(by.get('u-GHOST')).toMatchObject({ status: 'rejected', message: expect.stringMatching(/no listing on Amazon/) });
    expect(sb.admin.quantities({ sellerId: 'PATCH1', sku: odd })[0]).toMatchObject({ quantity: 9, leadTimeToShipMaxDays: 6 });
    expect(sb.admin.quantities({ sellerId: 'PATCH1', sku: 'FBA-1' })).toEqual([]);
    expect(sb.admin.calls({ sellerId: 'PATCH1', operation: 'patchListingsItem' }).map((x) => x.sku)).toEqual([odd, 'PLAIN']);

    const confirmed = await c.confirmDeliveries([{ receipt: by.get(`u-${odd}`)!.receipt!, updateId: `u-${odd}` }], signal());
    expect(confirmed).toEqual([{ receipt: by.get(`u-${odd}`)?.receipt, updateId: `u-${odd}`, status: 'synced' }]);
    // Amazon shows another quantity: soon after the patch it may not be applied yet (ask later);
    // long after, it was overwritten (a late stale send, an edit in Seller Central): send it again.
    sb.admin.seedListings({ sellerId: 'PATCH1', sku: odd, marketplaceId: UK, quantity: 5 });
    const ask = async (receipt: string) => (await c.confirmDeliveries([{ receipt, updateId: 'x' }], signal()))[0];
    expect(await ask(patchReceipt(odd, 9, Date.now() - 60_000))).toMatchObject({ status: 'accepted' });
    expect(await ask(patchReceipt(odd, 9, Date.now() - 16 * 60_000))).toMatchObject({ status: 'retry', message: expect.stringMatching(/Amazon shows 5 .* not the 9 accepted 9\d\d s ago/) });
    // A receipt written before receipts carried the send time waits for the host's timeout.
    expect(await ask(`patch:${odd}:9`)).toMatchObject({ status: 'accepted' });
    expect(logger.lines.join('\n')).not.toContain(creds.clientSecret);
  });

  it('EU: one message per update whatever the number of marketplaces', async () => {
    seller(sb, 'EU1');
    sb.admin.seedListings([UK, DE].map((marketplaceId) => ({ sellerId: 'EU1', sku: 'SHARED', marketplaceId, quantity: 1 })));
    const c = new AmazonMfnConnector(channel(sb, 'EU1', { marketplaceId: DE }), captureLogger(), fastClient);
    const [r] = await c.pushQuantities({ channel: channel(sb, 'EU1'), updates: [u('SHARED', 7, [DE, UK])], signal: signal() });
    expect(r.status).toBe('accepted');
    const patches = sb.admin.calls({ sellerId: 'EU1', operation: 'patchListingsItem' });
    expect(patches).toHaveLength(1);
    expect(patches[0].marketplaceIds).toEqual([DE]);
    expect(sb.admin.quantities({ sellerId: 'EU1', sku: 'SHARED' })).toEqual([expect.objectContaining({ quantity: 7, marketplaceId: null })]);
  });

  it('sends batches at the threshold as a feed; confirms DONE messages per message, a FATAL feed as retry', async () => {
    seller(sb, 'FEED1');
    const skus = Array.from({ length: 6 }, (_, i) => `F-${i}`);
    sb.admin.seedListings([...skus.map((sku) => ({ sellerId: 'FEED1', sku, marketplaceId: UK, quantity: 0, leadTimeToShipMaxDays: 4 })), { sellerId: 'FEED1', sku: 'F-FBA', marketplaceId: UK, fulfillmentChannel: 'AFN' as const }]);
    sb.admin.markSkusInvalid(['F-2'], 'FEED1');
    const ch = channel(sb, 'FEED1', { feedThreshold: 5 });
    const c = new AmazonMfnConnector(ch, captureLogger(), fastClient);
    const updates = [...skus.map((sku, i) => u(sku, 10 + i)), u('F-FBA', 1)];
    const results = await c.pushQuantities({ channel: ch, updates, signal: signal() });
    expect(sb.admin.calls({ sellerId: 'FEED1', operation: 'createFeed' })).toHaveLength(1);
    expect(sb.admin.calls({ sellerId: 'FEED1', operation: 'patchListingsItem' })).toHaveLength(0);
    expect(results.find((r) => r.updateId === 'u-F-FBA')).toMatchObject({ status: 'rejected' });
    const accepted = results.filter((r) => r.status === 'accepted');
    expect(accepted).toHaveLength(6);
    expect(accepted.map((r) => parseReceipt(r.receipt!))).toEqual(skus.map((_, i) => expect.objectContaining({ kind: 'feed', messageId: i + 1 })));
    const receipts = accepted.map((r) => ({ receipt: r.receipt!, updateId: r.updateId }));
    const done = new Map((await untilAnswered(() => c.confirmDeliveries(receipts, signal()))).map((x) => [x.updateId, x]));
    expect(done.get('u-F-2')).toMatchObject({ status: 'rejected', message: expect.stringMatching(/90000900/) });
    expect([...done.values()].filter((x) => x.status === 'synced')).toHaveLength(5);
    expect(sb.admin.quantities({ sellerId: 'FEED1', sku: 'F-5' })[0]).toMatchObject({ quantity: 15, leadTimeToShipMaxDays: 4 });

    sb.admin.failNextFeeds(1);
    const again = await c.pushQuantities({ channel: ch, updates: skus.map((sku) => u(sku, 1)), signal: signal() });
    const fatal = await untilAnswered(() => c.confirmDeliveries(again.map((r) => ({ receipt: r.receipt!, updateId: r.updateId })), signal()));
    expect(fatal.every((x) => x.status === 'retry' && /FATAL/.test(x.message ?? ''))).toBe(true);
  });

  it('patches the decreases of a batch that goes by feed, ahead of it (plugin contract 1.4 priority)', async () => {
    seller(sb, 'LANE1');
    const skus = Array.from({ length: 6 }, (_, i) => `L-${i}`);
    sb.admin.seedListings(skus.map((sku) => ({ sellerId: 'LANE1', sku, marketplaceId: UK, quantity: 10 })));
    const ch = channel(sb, 'LANE1', { feedThreshold: 5 });
    const c = new AmazonMfnConnector(ch, captureLogger(), fastClient);
    const updates = skus.map((sku, i) => (i < 2 ? { ...u(sku, 3), lastAccepted: 10, priority: 'decrease' as const } : { ...u(sku, 12), lastAccepted: 10 }));
    const results = await c.pushQuantities({ channel: ch, updates, signal: signal() });
    expect(results.map((r) => r.updateId).sort()).toEqual(skus.map((sku) => `u-${sku}`).sort());
    expect(sb.admin.calls({ sellerId: 'LANE1', operation: 'patchListingsItem' }).map((x) => [x.sku, x.quantity])).toEqual([['L-0', 3], ['L-1', 3]]);
    expect(sb.admin.calls({ sellerId: 'LANE1', operation: 'createFeed' })).toHaveLength(1);
    expect(sb.admin.quantities({ sellerId: 'LANE1', sku: 'L-0' })[0]).toMatchObject({ quantity: 3 });
    // Fewer updates than the threshold: all by patch, as before.
    const small = await c.pushQuantities({ channel: ch, updates: [{ ...u('L-0', 2), lastAccepted: 3, priority: 'decrease' }], signal: signal() });
    expect(small).toEqual([expect.objectContaining({ status: 'accepted' })]);
  });

  it('reads back merchant-fulfilled quantities and lists every listing with its fulfilment', async () => {
    seller(sb, 'READ1');
    sb.admin.seedListings([
      { sellerId: 'READ1', sku: 'M-1', marketplaceId: UK, quantity: 4 },
      { sellerId: 'READ1', sku: 'M 2/#', marketplaceId: UK, quantity: 0 },
      { sellerId: 'READ1', sku: 'A-1', marketplaceId: UK, fulfillmentChannel: 'AFN' },
    ]);
    const c = new AmazonMfnConnector(channel(sb, 'READ1'), captureLogger(), fastClient);
    expect((await collect(c.pullQuantities(signal()))).sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([
      { sku: 'M 2/#', quantity: 0, fulfilment: 'merchant' },
      { sku: 'M-1', quantity: 4, fulfilment: 'merchant' },
    ]);
    const listed = await collect(c.listRemoteListings(signal()));
    expect(listed.map((l) => [l.sku, l.fulfilment]).sort()).toEqual([
      ['A-1', 'channel'],
      ['M 2/#', 'merchant'],
      ['M-1', 'merchant'],
    ]);
  });

  it('checks health with a token exchange and the marketplace participations', async () => {
    seller(sb, 'HEALTH1');
    const ok = await new AmazonMfnConnector(channel(sb, 'HEALTH1'), captureLogger(), fastClient).checkHealth(signal());
    expect(ok).toMatchObject({ ok: true, message: expect.stringMatching(/Credentials valid/) });
    const bad = channel(sb, 'HEALTH1');
    const refused = await new AmazonMfnConnector({ ...bad, settings: { ...bad.settings, credentials: { ...bad.settings.credentials, clientSecret: 'wrong-secret-value' } } }, captureLogger(), fastClient).checkHealth(signal());
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/LWA refused/) });
    expect(refused.message).not.toContain('wrong-secret-value');
  });

  it('answers retry for throttling and server errors that outlive the client retries', async () => {
    seller(sb, 'FAULT1');
    sb.admin.seedListings({ sellerId: 'FAULT1', sku: 'T-1', marketplaceId: UK, quantity: 1 });
    sb.admin.injectFault({ kind: '429', count: 10, operation: 'patchListingsItem', sellerId: 'FAULT1' });
    const c = new AmazonMfnConnector(channel(sb, 'FAULT1'), captureLogger(), fastClient);
    const [r] = await c.pushQuantities({ channel: channel(sb, 'FAULT1'), updates: [u('T-1', 3)], signal: signal() });
    expect(r).toMatchObject({ status: 'retry', message: expect.stringMatching(/429/) });
    sb.admin.clearFaults();
    // The SKU was read as merchant-fulfilled above: the next patch goes without a read first.
    const reads = sb.admin.calls({ sellerId: 'FAULT1', operation: 'getListingsItem' }).length;
    sb.admin.injectFault({ kind: '500', count: 10, operation: 'patchListingsItem', sellerId: 'FAULT1' });
    const [r2] = await c.pushQuantities({ channel: channel(sb, 'FAULT1'), updates: [u('T-1', 3)], signal: signal() });
    expect(r2).toMatchObject({ status: 'retry', message: expect.stringMatching(/500/) });
    expect(sb.admin.calls({ sellerId: 'FAULT1', operation: 'getListingsItem' })).toHaveLength(reads);
    sb.admin.clearFaults();
    // A new connector (a restart) knows nothing: a failing read is a retry too.
    sb.admin.injectFault({ kind: '500', count: 10, operation: 'getListingsItem', sellerId: 'FAULT1' });
    const fresh = new AmazonMfnConnector(channel(sb, 'FAULT1'), captureLogger(), fastClient);
    const [r3] = await fresh.pushQuantities({ channel: channel(sb, 'FAULT1'), updates: [u('T-1', 3)], signal: signal() });
    expect(r3).toMatchObject({ status: 'retry', message: expect.stringMatching(/500/) });
    sb.admin.clearFaults();
  });
});
