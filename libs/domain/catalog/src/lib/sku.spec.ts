import fc from 'fast-check';
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
  it('refuses format characters: bidirectional overrides, zero-width characters, a BOM inside', () => {
    for (const s of ['A\u202eB', 'A\u200dB', 'A\u200bB', 'A\ufeffB', 'A\u2066B', '\u00adAB'])
      expect(checkSku(s)).toEqual({ problems: [expect.stringMatching(/sku must not contain invisible format characters/)] });
    // A BOM around the SKU is whitespace to trim, as JavaScript's trim() treats it.
    expect(checkSku('\ufeffAB')).toEqual({ sku: 'AB', key: 'AB' });
  });
  it('refuses every control (Cc) and format (Cf) character inside a SKU, and nothing else of the Basic Multilingual Plane', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff), (c) => {
        const ch = String.fromCharCode(c);
        const refused = 'problems' in checkSku(`A${ch}B`);
        expect(refused).toBe(/[\p{Cc}\p{Cf}]/u.test(ch));
      }),
      { numRuns: 2000 },
    );
  });
  it('refuses half of a surrogate pair (found by the bad-input e2e test: stored as given before)', () => {
    for (const s of ['\ud800', 'A-\udfff', '\ud83d-B', 'B\ude00']) expect(checkSku(s)).toEqual({ problems: [expect.stringMatching(/valid Unicode/)] });
    expect('sku' in checkSku('\ud83d\ude00-OK')).toBe(true);
  });
});
