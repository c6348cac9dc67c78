import { quantityPoolOf } from '@invsync/amazon-spapi';
import { amazonFbaManifest } from './manifest';
import { type AmazonFbaSettings, identifyFba, validateFbaSettings } from './settings';

const UK = 'A1F83G8C2ARO7P';
const DE = 'A1PA6795UKMFR9';
const US = 'ATVPDKIKX0DER';
const base: AmazonFbaSettings = { sellerId: 'S1', region: 'EU', marketplaceId: UK, credentials: { clientId: 'c', clientSecret: 's', refreshToken: 'r' } };

describe('amazon-fba settings', () => {
  it('accepts a marketplace of the region and http(s) endpoints', () => {
    expect(validateFbaSettings(base)).toEqual([]);
    expect(validateFbaSettings({ ...base, region: 'NA', marketplaceId: US, spApiEndpoint: 'http://127.0.0.1:4010', lwaEndpoint: 'https://api.amazon.com/auth/o2/token' })).toEqual([]);
  });

  it('refuses a marketplace of another region, an unknown one and non-http endpoints, saying what to do', () => {
    expect(validateFbaSettings({ ...base, region: 'NA' }).join()).toMatch(/belongs to the EU region, not NA: set region to "EU"/);
    expect(validateFbaSettings({ ...base, marketplaceId: 'NOPE' }).join()).toMatch(/"NOPE" is not an Amazon marketplace ID/);
    expect(validateFbaSettings({ ...base, spApiEndpoint: 'ftp://x' })).toEqual(['settings.spApiEndpoint must be an http(s) URL']);
    expect(validateFbaSettings({ ...base, lwaEndpoint: 'not a url' })).toEqual(['settings.lwaEndpoint must be an http(s) URL']);
  });

  it('pools FBA quantities per seller and marketplace, apart from the MFN pools (EU included)', () => {
    const uk = identifyFba(base);
    const de = identifyFba({ ...base, marketplaceId: DE });
    expect(uk).toEqual({ marketplaceId: UK, quantityPool: `S1:${UK}:fba`, accountId: 'S1' });
    expect(de.quantityPool).not.toBe(uk.quantityPool);
    expect(uk.quantityPool).not.toBe(quantityPoolOf('S1', UK));
    expect(identifyFba({ ...base, region: 'NA', marketplaceId: US }).quantityPool).not.toBe(quantityPoolOf('S1', US));
  });

  it('declares a channel-fulfilled type that never receives quantities, with the secret marked and the pull job', () => {
    const [ct] = amazonFbaManifest.contributes.channelTypes!;
    expect(ct).toMatchObject({ id: 'amazon-fba', fulfilment: 'channel', capabilities: { pushQuantities: false, pullQuantities: true, listRemoteListings: true, healthCheck: true } });
    expect(ct.settingsSchema.properties!['credentials']['x-secret']).toBe(true);
    expect(ct.settingsSchema.properties!['staleAfterMinutes'].default).toBe(90);
    expect(ct.managedWarehouse).toEqual({ staleAfterMinutes: { default: 90, settingKey: 'staleAfterMinutes' } });
    expect(amazonFbaManifest.contributes.jobs).toEqual([expect.objectContaining({ id: 'pull-inventory', defaultCron: '*/30 * * * *' })]);
    expect(amazonFbaManifest.activationEvents).toEqual(expect.arrayContaining(['onChannelType:amazon-fba', 'onJob:pull-inventory']));
    // Plain data: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(amazonFbaManifest))).toEqual(amazonFbaManifest);
  });
});
