import { identify, validateSettings, type AmazonMfnSettings } from './settings';
import { AMAZON_MFN_MANIFEST } from './manifest';

const base: AmazonMfnSettings = { sellerId: 'S1', region: 'EU', marketplaceId: 'A1F83G8C2ARO7P', credentials: { clientId: 'c', clientSecret: 's', refreshToken: 'r' } };

describe('amazon-mfn settings', () => {
  it('requires the marketplace to belong to the region', () => {
    expect(validateSettings(base)).toEqual([]);
    expect(validateSettings({ ...base, region: 'NA' })[0]).toMatch(/belongs to the EU region, not NA/);
    expect(validateSettings({ ...base, marketplaceId: 'NOPE' })[0]).toMatch(/not an Amazon marketplace ID/);
  });

  it('identifies EU channels by seller (one quantity per seller + SKU) and others by seller + marketplace', () => {
    expect(identify(base)).toEqual({ marketplaceId: 'A1F83G8C2ARO7P', quantityPool: 'S1:EU', accountId: 'S1' });
    expect(identify({ ...base, marketplaceId: 'A1PA6795UKMFR9' }).quantityPool).toBe('S1:EU');
    expect(identify({ ...base, region: 'NA', marketplaceId: 'ATVPDKIKX0DER' }).quantityPool).toBe('S1:ATVPDKIKX0DER');
  });

  it('marks the credentials secret and declares what the host may call', () => {
    const ct = AMAZON_MFN_MANIFEST.contributes.channelTypes![0];
    expect(ct.settingsSchema.properties!['credentials']['x-secret']).toBe(true);
    expect(ct.capabilities).toEqual({ pushQuantities: true, confirmDeliveries: true, pullQuantities: true, listRemoteListings: true, fetchOrders: true, healthCheck: true });
    expect(AMAZON_MFN_MANIFEST.contributes.jobs).toEqual([expect.objectContaining({ id: 'download-orders', defaultCron: '*/3 * * * *' })]);
  });
});
