/** One row of GET_MERCHANT_LISTINGS_ALL_DATA, as this plugin uses it. */
export interface MerchantListingRow {
  sku: string;
  /** DEFAULT = merchant-fulfilled; AMAZON_EU, AMAZON_NA ... = fulfilled by Amazon. */
  fulfillmentChannel: string;
  quantity?: number;
  title?: string;
}

export function isMerchantFulfilled(fulfillmentChannel: string): boolean {
  return fulfillmentChannel.trim().toUpperCase() === 'DEFAULT';
}

export function toMerchantListingRow(row: Record<string, string>): MerchantListingRow | undefined {
  const sku = row['seller-sku'];
  if (!sku) return undefined;
  const raw = (row['quantity'] ?? '').trim();
  const quantity = raw === '' ? undefined : Number.parseInt(raw, 10);
  return {
    sku,
    fulfillmentChannel: (row['fulfillment-channel'] ?? '').trim() || 'DEFAULT',
    ...(quantity !== undefined && Number.isFinite(quantity) ? { quantity: Math.max(0, quantity) } : {}),
    ...(row['item-name'] ? { title: row['item-name'] } : {}),
  };
}
