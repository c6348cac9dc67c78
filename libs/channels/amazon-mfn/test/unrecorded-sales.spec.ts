import { AmazonMfnConnector, parseReceipt } from '../src';
import { type AmazonSandbox, captureLogger, channel, DE, fastClient, sandbox, seller, UK } from './support';

const signal = () => new AbortController().signal;
const u = (sku: string, quantity: number, lastAccepted: number | null, marketplaceIds = [UK]) => ({ updateId: `u-${sku}`, sku, quantity, marketplaceIds, lastAccepted });

/** Units Amazon sold (its quantity dropped below what it should show) are withheld from what is sent. */
describe('AmazonMfnConnector: units sold on Amazon and not recorded yet', () => {
  let sb: AmazonSandbox;
  beforeAll(async () => (sb = await sandbox()));
  afterAll(() => sb.close());
  const shown = (sellerId: string, sku: string) => sb.admin.quantities({ sellerId, sku })[0]?.['quantity'];

  it('patch: sends the desired quantity minus the drop and reports it; nothing withheld without a drop or a last accepted quantity', async () => {
    seller(sb, 'US1');
    // Amazon showed 10 (our last send); a buyer ordered 4: Amazon shows 6. A goods-in makes it 11.
    sb.admin.seedListings([
      { sellerId: 'US1', sku: 'SOLD', marketplaceId: UK, quantity: 6 },
      { sellerId: 'US1', sku: 'CALM', marketplaceId: UK, quantity: 10 },
      { sellerId: 'US1', sku: 'NEW', marketplaceId: UK, quantity: 3 },
      { sellerId: 'US1', sku: 'OVER', marketplaceId: UK, quantity: 1 },
    ]);
    const ch = channel(sb, 'US1');
    const c = new AmazonMfnConnector(ch, captureLogger(), fastClient);
    const results = await c.pushQuantities({ channel: ch, updates: [u('SOLD', 11, 10), u('CALM', 11, 10), u('NEW', 11, null), u('OVER', 2, 10)], signal: signal() });
    const by = new Map(results.map((r) => [r.updateId, r]));
    expect(by.get('u-SOLD')).toMatchObject({ status: 'accepted', withheld: 4 });
    expect(parseReceipt(by.get('u-SOLD')!.receipt!)).toMatchObject({ quantity: 7 });
    expect(by.get('u-CALM')?.withheld).toBeUndefined();
    expect(by.get('u-NEW')?.withheld).toBeUndefined();
    // 9 sold, 2 on hand: nothing offered, every unrecorded unit reported.
    expect(by.get('u-OVER')).toMatchObject({ status: 'accepted', withheld: 9 });
    expect([shown('US1', 'SOLD'), shown('US1', 'CALM'), shown('US1', 'NEW'), shown('US1', 'OVER')]).toEqual([7, 11, 11, 0]);
  });

  it('patch: reads Amazon every time a last accepted quantity is given (a cached merchant check would miss a sale)', async () => {
    seller(sb, 'US2');
    sb.admin.seedListings({ sellerId: 'US2', sku: 'A', marketplaceId: UK, quantity: 5 });
    const ch = channel(sb, 'US2');
    const c = new AmazonMfnConnector(ch, captureLogger(), fastClient);
    await c.pushQuantities({ channel: ch, updates: [u('A', 5, null)], signal: signal() });
    sb.admin.seedListings({ sellerId: 'US2', sku: 'A', marketplaceId: UK, quantity: 3 }); // 2 sold
    const [r] = await c.pushQuantities({ channel: ch, updates: [u('A', 6, 5)], signal: signal() });
    expect(r).toMatchObject({ status: 'accepted', withheld: 2 });
    expect(shown('US2', 'A')).toBe(4);
  });

  it('Amazon cannot be read: a lowering of a known merchant SKU is sent as it is, a raise waits', async () => {
    seller(sb, 'US3');
    sb.admin.seedListings({ sellerId: 'US3', sku: 'R', marketplaceId: UK, quantity: 10 });
    const ch = channel(sb, 'US3');
    const c = new AmazonMfnConnector(ch, captureLogger(), fastClient);
    await c.pushQuantities({ channel: ch, updates: [u('R', 10, null)], signal: signal() });
    sb.admin.injectFault({ kind: '500', count: 100_000, operation: 'getListingsItem', sellerId: 'US3' });
    try {
      const [raise] = await c.pushQuantities({ channel: ch, updates: [u('R', 12, 10)], signal: signal() });
      expect(raise.status).toBe('retry');
      expect(shown('US3', 'R')).toBe(10);
      const [lower] = await c.pushQuantities({ channel: ch, updates: [u('R', 8, 10)], signal: signal() });
      expect(lower).toMatchObject({ status: 'accepted' });
      expect(lower.withheld).toBeUndefined();
      expect(shown('US3', 'R')).toBe(8);
    } finally {
      sb.admin.clearFaults();
    }
  });

  it('EU: the seller + SKU pool dropped by a sale in any marketplace is withheld', async () => {
    seller(sb, 'EU2');
    sb.admin.seedListings([UK, DE].map((marketplaceId) => ({ sellerId: 'EU2', sku: 'POOL', marketplaceId, quantity: 10 })));
    sb.admin.seedListings({ sellerId: 'EU2', sku: 'POOL', marketplaceId: DE, quantity: 7 }); // 3 sold in DE: one pool
    const ch = channel(sb, 'EU2', { marketplaceId: UK });
    const c = new AmazonMfnConnector(ch, captureLogger(), fastClient);
    const [r] = await c.pushQuantities({ channel: ch, updates: [u('POOL', 12, 10, [DE, UK])], signal: signal() });
    expect(r).toMatchObject({ status: 'accepted', withheld: 3 });
    expect(sb.admin.quantities({ sellerId: 'EU2', sku: 'POOL' })).toEqual([expect.objectContaining({ quantity: 9 })]);
  });

  it('feed: the listings report read before the feed gives the drop', async () => {
    seller(sb, 'FEED2');
    sb.admin.seedListings([
      { sellerId: 'FEED2', sku: 'F-SOLD', marketplaceId: UK, quantity: 6 },
      ...['F-1', 'F-2'].map((sku) => ({ sellerId: 'FEED2', sku, marketplaceId: UK, quantity: 10 })),
    ]);
    const ch = channel(sb, 'FEED2', { feedThreshold: 2 });
    const c = new AmazonMfnConnector(ch, captureLogger(), fastClient);
    const results = await c.pushQuantities({ channel: ch, updates: [u('F-SOLD', 11, 10), u('F-1', 11, 10), u('F-2', 11, null)], signal: signal() });
    expect(results.find((r) => r.updateId === 'u-F-SOLD')).toMatchObject({ status: 'accepted', withheld: 4 });
    expect(results.filter((r) => r.withheld !== undefined)).toHaveLength(1);
    for (let i = 0; i < 200 && shown('FEED2', 'F-1') !== 11; i++) await new Promise((r) => setTimeout(r, 20));
    expect([shown('FEED2', 'F-SOLD'), shown('FEED2', 'F-1'), shown('FEED2', 'F-2')]).toEqual([7, 11, 11]);
  });
});
