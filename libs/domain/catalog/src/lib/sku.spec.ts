import { checkSku, skuKey } from './sku';

describe('SKU rule', () => {
  it('trims, keeps inner characters, and keys case-insensitively (NFC, upper case)', () => {
    expect(checkSku('  abc-1 ')).toEqual({ sku: 'abc-1', key: 'ABC-1' });
    expect(checkSku('a b/c#1')).toEqual({ sku: 'a b/c#1', key: 'A B/C#1' });
    expect(skuKey('abc-1')).toBe(skuKey(' ABC-1'));
    expect(skuKey('Cafe\u0301')).toBe(skuKey('CAFÉ'));
  });
  it('allows 1..40 characters and no control characters', () => {
    expect(checkSku('x'.repeat(40))).toEqual({ sku: 'x'.repeat(40), key: 'X'.repeat(40) });
    expect(checkSku('x'.repeat(41))).toEqual({ problems: [expect.stringMatching(/sku must be at most 40 characters/)] });
    expect(checkSku('   ')).toEqual({ problems: [expect.stringMatching(/sku must not be empty/)] });
    expect(checkSku('a\tb')).toEqual({ problems: [expect.stringMatching(/control characters/)] });
    expect(checkSku(5)).toEqual({ problems: ['sku must be a string'] });
    // 40 emoji are 80 UTF-16 units but 40 characters
    expect('sku' in checkSku('😀'.repeat(40))).toBe(true);
  });
  it('refuses half of a surrogate pair (found by the bad-input e2e test: stored as given before)', () => {
    for (const s of ['\ud800', 'A-\udfff', '\ud83d-B', 'B\ude00']) expect(checkSku(s)).toEqual({ problems: [expect.stringMatching(/valid Unicode/)] });
    expect('sku' in checkSku('\ud83d\ude00-OK')).toBe(true);
  });
});
