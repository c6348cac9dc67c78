/**
 * Receipts handed to the host with `accepted` results and given back to `confirmDeliveries`:
 * - `feed:<feedId>:<messageId>`: a message of a JSON_LISTINGS_FEED;
 * - `patch:<sku>:<quantity>`: an ACCEPTED patchListingsItem (the SKU may itself contain `:`).
 */
export type Receipt = { kind: 'feed'; feedId: string; messageId: number } | { kind: 'patch'; sku: string; quantity: number };

export function feedReceipt(feedId: string, messageId: number): string {
  return `feed:${feedId}:${messageId}`;
}

export function patchReceipt(sku: string, quantity: number): string {
  return `patch:${sku}:${quantity}`;
}

/** Parses a receipt; undefined for one this plugin did not write. */
export function parseReceipt(receipt: string): Receipt | undefined {
  if (receipt.startsWith('feed:')) {
    const m = /^feed:([^:]+):(\d+)$/.exec(receipt);
    return m ? { kind: 'feed', feedId: m[1], messageId: Number(m[2]) } : undefined;
  }
  if (receipt.startsWith('patch:')) {
    const rest = receipt.slice('patch:'.length);
    const at = rest.lastIndexOf(':');
    if (at <= 0) return undefined;
    const quantity = Number(rest.slice(at + 1));
    if (!Number.isInteger(quantity) || quantity < 0 || rest.slice(at + 1) === '') return undefined;
    return { kind: 'patch', sku: rest.slice(0, at), quantity };
  }
  return undefined;
}
