import fc from 'fast-check';
import { parseTsv, toTsv } from './tsv';

const cell = fc.string({ maxLength: 12 }).map((s) => s.replace(/[\t\r\n]/g, ''));
const column = fc.string({ minLength: 1, maxLength: 10 }).map((s) => s.replace(/[\t\r\n]/g, '') || 'c');

describe('parseTsv', () => {
  it('round-trips rows keyed by header (no tabs or line breaks inside values)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(column, { minLength: 1, maxLength: 6 }), fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { maxLength: 20 }), fc.boolean(), (cols, cells, crlf) => {
        const rows = cells
          .map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])))
          .filter((r) => cols.map((c) => r[c]).join('\t') !== ''); // a row of empty cells is an empty line
        let text = toTsv(cols, rows);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        expect(parseTsv(text)).toEqual(rows);
      }),
    );
  });

  it('accepts a BOM, missing trailing cells and no final newline', () => {
    expect(parseTsv('\ufeffseller-sku\tquantity\tstatus\nA\t5\nB\t\tActive')).toEqual([
      { 'seller-sku': 'A', quantity: '5', status: '' },
      { 'seller-sku': 'B', quantity: '', status: 'Active' },
    ]);
    expect(parseTsv('')).toEqual([]);
  });
});

describe('parseTsv with hostile column names', () => {
  it('keeps a column named __proto__ as an own property (found by the property test above)', () => {
    const [row] = parseTsv('__proto__\tsku\n x\tA-1\n');
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['__proto__', 'sku']);
    expect(row['sku']).toBe('A-1');
  });
});
