/**
 * Receipts handed to the host with `accepted` results and given back to `confirmDeliveries`:
 * - `feed:<feedId>:<messageId>`: a message of a JSON_LISTINGS_FEED;
 * - `patch@<sentAtMs>:<sku>:<quantity>`: an ACCEPTED patchListingsItem and when it was sent (the SKU
 *   may itself contain `:`); `patch:<sku>:<quantity>` (no send time: stored by older versions) is still read.
 */
export type Receipt = { kind: 'feed'; feedId: string; messageId: number } | { kind: 'patch'; sku: string; quantity: number; sentAt?: number };

export function feedReceipt(feedId: string, messageId: number): string {
  return `feed:${feedId}:${messageId}`;
}

export function patchReceipt(sku: string, quantity: number, sentAt: number): string {
  return `patch@${Math.floor(sentAt)}:${sku}:${quantity}`;
}

/** Parses a receipt; undefined for one this plugin did not write. */
export function parseReceipt(receipt: string): Receipt | undefined {
  if (receipt.startsWith('feed:')) {
    const m = /^feed:([^:]+):(\d+)$/.exec(receipt);
    return m ? { kind: 'feed', feedId: m[1], messageId: Number(m[2]) } : undefined;
  }
  if (receipt.startsWith('patch@')) {
    const m = /^patch@(\d{1,15}):(.*)$/s.exec(receipt);
    if (!m) return undefined;
    const patch = skuAndQuantity(m[2]);
    return patch && { ...patch, sentAt: Number(m[1]) };
  }
  if (receipt.startsWith('patch:')) return skuAndQuantity(receipt.slice('patch:'.length));
  return undefined;
}

/** `<sku>:<quantity>`, the SKU possibly containing `:`. */
function skuAndQuantity(rest: string): { kind: 'patch'; sku: string; quantity: number } | undefined {
  const at = rest.lastIndexOf(':');
  if (at <= 0) return undefined;
  const quantity = Number(rest.slice(at + 1));
  if (!Number.isInteger(quantity) || quantity < 0 || rest.slice(at + 1) === '') return undefined;
  return { kind: 'patch', sku: rest.slice(0, at), quantity };
}
