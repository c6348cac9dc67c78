import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OrderItem2026 } from '@invsync/amazon-spapi';
import { orderLinesOf, orderStatusOf } from './order-mapping';

const model = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../amazon-spapi/amazon-models/models/orders_2026-01-01.json'), 'utf8'));

describe('Orders API 2026-01-01 orders as the host records them', () => {
  it("maps every fulfillmentStatus of Amazon's model", () => {
    const statuses: string[] = model.definitions.FulfillmentStatus.enum;
    expect(Object.fromEntries(statuses.map((s) => [s, orderStatusOf(s) ?? null]))).toEqual({
      PENDING_AVAILABILITY: 'open',
      PENDING: 'open',
      UNSHIPPED: 'open',
      PARTIALLY_SHIPPED: 'open',
      SHIPPED: 'shipped',
      CANCELLED: 'cancelled',
      UNFULFILLABLE: null,
    });
    expect(orderStatusOf('Unshipped')).toBeUndefined(); // v0 words are not 2026-01-01 words
    expect(orderStatusOf(undefined)).toBeUndefined();
  });

  it('makes lines of items with a seller SKU and a quantity (a cancelled order keeps its SKUs to find the order)', () => {
    const item = (sku: string | undefined, quantityOrdered: number) => ({ orderItemId: `${sku}-${quantityOrdered}`, quantityOrdered, product: sku ? { sellerSku: sku } : {} }) as OrderItem2026;
    const items = [item('A', 2), item('B', 0), item(undefined, 1)];
    expect(orderLinesOf(items, 'open')).toEqual([{ sku: 'A', quantity: 2 }]);
    expect(orderLinesOf(items, 'cancelled')).toEqual([{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 1 }]);
    // Open lines hold exactly the ordered units of items with a SKU, never a line of 0.
    fc.assert(
      fc.property(fc.array(fc.record({ sku: fc.option(fc.string({ minLength: 1 }), { nil: undefined }), q: fc.nat(50) })), (rows) => {
        const lines = orderLinesOf(rows.map((r) => item(r.sku, r.q)), 'open');
        expect(lines.every((l) => l.quantity > 0)).toBe(true);
        expect(lines.reduce((s, l) => s + l.quantity, 0)).toBe(rows.filter((r) => r.sku).reduce((s, r) => s + r.q, 0));
      }),
    );
  });
});
