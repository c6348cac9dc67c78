import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { formatComponents, PRODUCT_COLUMNS, toProductRow } from './csv-columns';
import { readCsv } from './csv-format';

const columns = [...PRODUCT_COLUMNS.required, ...PRODUCT_COLUMNS.optional];
// SKUs as a recipe cell can hold them: no ";" (the pair separator), no surrounding whitespace.
const sku = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => !s.includes(';') && s.trim() === s && !/[\r\n]/.test(s));
const cell = fc.string({ maxLength: 60, unit: 'grapheme' });

describe('CSV columns', () => {
  it('a recipe written by the export reads back as the same components', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ sku, quantity: fc.integer({ min: 1, max: 10_000 }) }), { minLength: 1, maxLength: 40 }), (components) => {
        const row = toProductRow({ row: 2, values: { sku: 'B', name: 'b', kind: 'bundle', components: formatComponents(components) } });
        expect(row.components).toEqual(components);
      }),
    );
  });

  it('any cell text (commas, quotes, line breaks) survives stringify and read', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell, cell, cell), { minLength: 1, maxLength: 5 }), (rows) => {
        rows.push(['', '', '', '', '']);
        const text = stringify(rows, { header: true, columns });
        const read = readCsv(text, PRODUCT_COLUMNS);
        expect(read.map((r) => columns.map((c) => r.values[c]))).toEqual(rows);
      }),
    );
  });

  it('reads a bad quantity as NaN so the domain reports it, and an empty recipe as none', () => {
    expect(toProductRow({ row: 2, values: { sku: 'B', name: 'b', kind: 'bundle', components: 'A:x;C' } }).components).toEqual([
      { sku: 'A', quantity: Number.NaN },
      { sku: 'C', quantity: Number.NaN },
    ]);
    expect(toProductRow({ row: 2, values: { sku: 'S', name: 's', kind: ' stock ', components: ' ', parentSku: '' } })).toEqual({ sku: 'S', name: 's', kind: 'stock', parentSku: null, components: null });
  });
});
