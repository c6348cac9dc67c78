import fc from 'fast-check';
import { clientFor, sandbox, seedSeller, EU_UK, type AmazonSandbox } from './support/sandbox';

describe('SKU encoding (patchListingsItem through the SDK)', () => {
  let sb: AmazonSandbox;
  beforeAll(async () => {
    sb = await sandbox({ rateLimits: 'off' });
    seedSeller(sb, 'SKUS');
  });
  afterAll(() => sb.close());

  it('any SKU (/, #, spaces, %, +, ?, unicode) reaches Amazon intact', async () => {
    const c = clientFor(sb, 'SKUS', { rateLimits: { patchListingsItem: { rate: 1000, burst: 1000 } } });
    const sku = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((s) => s.trim() !== '' && s !== '.' && s !== '..');
    await fc.assert(
      fc.asyncProperty(fc.oneof(sku, fc.constantFrom('A/B', 'A#1', 'with space', '50%+off?', 'x/../y', 'ü€😀')), fc.nat(1000), async (s, q) => {
        sb.admin.seedListings({ sellerId: 'SKUS', sku: s, marketplaceId: EU_UK });
        const r = await c.listingsItems.patchListingsItemQuantity(s, [EU_UK], q);
        expect(r).toMatchObject({ sku: s, status: 'ACCEPTED' });
        expect(sb.admin.quantities({ sellerId: 'SKUS', sku: s })[0]?.['quantity']).toBe(q);
      }),
      { numRuns: 60 },
    );
  });
});
