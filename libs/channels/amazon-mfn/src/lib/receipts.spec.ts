import { feedReceipt, parseReceipt, patchReceipt } from './receipts';

describe('receipts', () => {
  it('round-trip feed and patch receipts, SKUs with colons, slashes, hashes and spaces included', () => {
    expect(parseReceipt(feedReceipt('50000123', 7))).toEqual({ kind: 'feed', feedId: '50000123', messageId: 7 });
    for (const sku of ['A', 'MUG/RED #1 XL', 'a:b:c', ' lead space', 'ü-ñ']) {
      expect(parseReceipt(patchReceipt(sku, 12))).toEqual({ kind: 'patch', sku, quantity: 12 });
    }
    expect(parseReceipt(patchReceipt('X', 0))).toEqual({ kind: 'patch', sku: 'X', quantity: 0 });
  });

  it('refuses receipts it did not write', () => {
    for (const r of ['', 'feed:1', 'feed:1:x', 'patch:', 'patch::3', 'patch:X:', 'patch:X:-1', 'patch:X:1.5', 'other:1:2']) expect(parseReceipt(r)).toBeUndefined();
  });
});
