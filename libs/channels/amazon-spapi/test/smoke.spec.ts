import { clientFor, sandbox, seedSeller, EU_UK, EU_DE, type AmazonSandbox } from './support/sandbox';

describe('smoke', () => {
  let sb: AmazonSandbox;
  beforeAll(async () => {
    sb = await sandbox();
  });
  afterAll(() => sb.close());

  it('patches and reads back', async () => {
    seedSeller(sb, 'S1');
    sb.admin.seedListings([{ sellerId: 'S1', sku: 'A/B #1 x', marketplaceId: EU_UK, quantity: 3, leadTimeToShipMaxDays: 4 }]);
    const c = clientFor(sb, 'S1');
    const r = await c.listingsItems.patchListingsItemQuantity('A/B #1 x', [EU_DE], 9);
    expect(r.status).toBe('ACCEPTED');
    const item = await c.listingsItems.getListingsItem('A/B #1 x', [EU_UK]);
    expect(item.fulfillmentAvailability?.[0]?.quantity).toBe(9);
    expect(sb.admin.quantities({ sellerId: 'S1' })).toEqual([expect.objectContaining({ quantity: 9, leadTimeToShipMaxDays: 4, region: 'EU' })]);
  });
});
