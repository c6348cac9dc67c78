import { feedReceipt, parseReceipt, patchReceipt } from './receipts';

describe('receipts', () => {
  it('round-trip feed and patch receipts, SKUs with colons, slashes, hashes and spaces included', () => {
    expect(parseReceipt(feedReceipt('50000123', 7))).toEqual({ kind: 'feed', feedId: '50000123', messageId: 7 });
    const at = Date.parse('2026-11-27T12:00:00Z');
    for (const sku of ['A', 'MUG/RED #1 XL', 'a:b:c', ' lead space', 'ü-ñ', '@1:2']) {
      expect(parseReceipt(patchReceipt(sku, 12, at))).toEqual({ kind: 'patch', sku, quantity: 12, sentAt: at });
    }
    expect(parseReceipt(patchReceipt('X', 0, at))).toEqual({ kind: 'patch', sku: 'X', quantity: 0, sentAt: at });
  });

  it('still reads patch receipts written before they carried the send time', () => {
    expect(parseReceipt('patch:a:b:7')).toEqual({ kind: 'patch', sku: 'a:b', quantity: 7 });
  });

  it('refuses receipts it did not write', () => {
    for (const r of ['', 'feed:1', 'feed:1:x', 'patch:', 'patch::3', 'patch:X:', 'patch:X:-1', 'patch:X:1.5', 'other:1:2', 'patch@:X:1', 'patch@12', 'patch@12:X:', 'patch@x:X:1', 'patch@12::1']) expect(parseReceipt(r)).toBeUndefined();
  });
});
