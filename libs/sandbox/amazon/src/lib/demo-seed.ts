import type { SandboxAdmin } from './sandbox-admin';

export const DEMO_SELLER_ID = 'A1DEMOSELLER';
export const DEMO_CREDENTIALS = { refreshToken: 'demo-refresh-token', clientId: 'demo-client', clientSecret: 'demo-secret' } as const;

/** A listing whose Amazon SKU differs from the product SKU it is connected to in `npm run demo`. */
export const DEMO_AMAZON_ONLY_SKU = 'AMZ-GREEN-MUG-01';

/**
 * A demo seller in EU and NA with a few MFN and FBA listings and orders, for `SANDBOX_SEED=demo`.
 * Placing the MFN orders takes their units off the listings' quantities, as Amazon does.
 */
export function seedDemo(admin: SandboxAdmin): void {
  admin.seedSellers({ sellerId: DEMO_SELLER_ID, regions: ['EU', 'NA'], storeName: 'Demo Store', ...DEMO_CREDENTIALS });
  const UK = 'A1F83G8C2ARO7P';
  const DE = 'A1PA6795UKMFR9';
  const US = 'ATVPDKIKX0DER';
  const mfn = [
    { sku: 'DEMO-MUG-RED', title: 'Demo mug, red', quantity: 12 },
    { sku: 'DEMO-MUG-BLUE', title: 'Demo mug, blue', quantity: 0 },
    { sku: 'DEMO TEE/M #2', title: 'Demo tee, size M', quantity: 7 },
    // Listed under an Amazon SKU that is not the merchant's product SKU (the demo connects it to MUG-GREEN).
    { sku: DEMO_AMAZON_ONLY_SKU, title: 'Demo mug, green', quantity: 8 },
  ];
  for (const l of mfn) {
    for (const marketplaceId of [UK, DE, US]) {
      admin.seedListings({ sellerId: DEMO_SELLER_ID, sku: l.sku, marketplaceId, fulfillmentChannel: 'MFN', quantity: l.quantity, leadTimeToShipMaxDays: 2, title: l.title });
    }
  }
  admin.seedFba([
    { sellerId: DEMO_SELLER_ID, marketplaceId: UK, sku: 'DEMO-FBA-LAMP', fulfillable: 40, reserved: 3, inboundShipped: 10, unfulfillable: 1, productName: 'Demo lamp' },
    { sellerId: DEMO_SELLER_ID, marketplaceId: US, sku: 'DEMO-FBA-LAMP', fulfillable: 25, reserved: 1, productName: 'Demo lamp' },
  ]);
  const hourAgo = new Date(Date.now() - 3600_000).toISOString();
  admin.upsertOrders([
    { sellerId: DEMO_SELLER_ID, amazonOrderId: '202-0000001-0000001', marketplaceId: UK, fulfillmentChannel: 'MFN', purchaseDate: hourAgo, lastUpdateDate: hourAgo, items: [{ sku: 'DEMO-MUG-RED', quantity: 2 }] },
    { sellerId: DEMO_SELLER_ID, amazonOrderId: '202-0000002-0000002', marketplaceId: UK, fulfillmentChannel: 'AFN', orderStatus: 'Shipped', purchaseDate: hourAgo, lastUpdateDate: hourAgo, items: [{ sku: 'DEMO-FBA-LAMP', quantity: 1, quantityShipped: 1 }] },
    { sellerId: DEMO_SELLER_ID, amazonOrderId: '202-0000003-0000003', marketplaceId: UK, fulfillmentChannel: 'MFN', purchaseDate: hourAgo, lastUpdateDate: hourAgo, items: [{ sku: DEMO_AMAZON_ONLY_SKU, quantity: 1 }] },
  ]);
}
