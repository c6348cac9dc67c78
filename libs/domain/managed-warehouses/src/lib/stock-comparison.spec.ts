import fc from 'fast-check';
import { compareProductStock, type ManagedListingQuantity, isStaleRead, type StalenessContext } from './stock-comparison';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const iso = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
const ctx = (over: Partial<StalenessContext> = {}): StalenessContext => ({ now: NOW, staleAfterMs: 90 * 60_000, latestReadAt: iso(5), ...over });
const listing = (sku: string, q: number | null, minutesAgo: number | null = 5): ManagedListingQuantity => ({
  productId: 'P',
  sku,
  remoteQuantity: q,
  remoteReadAt: minutesAgo === null ? null : iso(minutesAgo),
});
const stock = { kind: 'stock' };

describe('managed-warehouse stock comparison (pure)', () => {
  it('difference = channel sellable - warehouse in stock; equal levels are a match', () => {
    expect(compareProductStock('P', [listing('A', 12)], stock, 10, ctx())).toEqual({
      kind: 'discrepancy',
      productId: 'P',
      sku: 'A',
      skus: ['A'],
      channelQuantity: 12,
      warehouseQuantity: 10,
      difference: 2,
      readAt: iso(5),
      stale: false,
    });
    expect(compareProductStock('P', [listing('A', 3)], stock, 7, ctx())).toMatchObject({ kind: 'discrepancy', difference: -4 });
    expect(compareProductStock('P', [listing('A', 7)], stock, 7, ctx())).toEqual({ kind: 'match', productId: 'P', quantity: 7, readAt: iso(5), stale: false });
  });

  it('sums the fulfillable quantities of several listings of one product, reporting the oldest read', () => {
    const c = compareProductStock('P', [listing('B', 4, 10), listing('A', 5, 5)], stock, 6, ctx({ latestReadAt: iso(5) }));
    // B was read before the latest read: missing from it, so stale.
    expect(c).toMatchObject({ kind: 'discrepancy', sku: 'A', skus: ['A', 'B'], channelQuantity: 9, difference: 3, readAt: iso(10), stale: true });
  });

  it('does not compare a product with an unread listing, or one that holds no stock of its own', () => {
    expect(compareProductStock('P', [listing('A', 5), listing('B', null, null)], stock, 0, ctx())).toMatchObject({ kind: 'not-compared', reason: 'not-read', skus: ['A', 'B'] });
    expect(compareProductStock('P', [listing('A', 5)], { kind: 'bundle' }, 0, ctx())).toMatchObject({ kind: 'not-compared', reason: 'not-stock-tracked' });
  });

  it('flags reads older than the limit, missing from the latest read, or absent as stale', () => {
    expect(isStaleRead(iso(89), ctx({ latestReadAt: iso(89) }))).toBe(false);
    expect(isStaleRead(iso(91), ctx({ latestReadAt: iso(91) }))).toBe(true);
    expect(isStaleRead(iso(30), ctx({ latestReadAt: iso(5) }))).toBe(true);
    expect(isStaleRead(null, ctx())).toBe(true);
    expect(isStaleRead(iso(30), ctx({ latestReadAt: null, staleAfterMs: 20 * 60_000 }))).toBe(true);
  });

  it('property: applying the difference makes the warehouse equal to the channel, and a match has nothing to apply', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ q: fc.nat({ max: 100_000 }), age: fc.nat({ max: 500 }) }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 500_000 }),
        fc.integer({ min: 1, max: 600 }),
        (reads, inStock, limitMin) => {
          const ls = reads.map((r, i) => listing(`S${i}`, r.q, r.age));
          const newest = Math.min(...reads.map((r) => r.age));
          const c = ctx({ staleAfterMs: limitMin * 60_000, latestReadAt: iso(newest) });
          const out = compareProductStock('P', ls, stock, inStock, c);
          const amazon = reads.reduce((s, r) => s + r.q, 0);
          const stale = reads.some((r) => r.age > limitMin || r.age > newest);
          if (amazon === inStock) {
            expect(out).toMatchObject({ kind: 'match', quantity: amazon, stale });
          } else {
            expect(out.kind).toBe('discrepancy');
            if (out.kind !== 'discrepancy') return;
            expect(out.warehouseQuantity + out.difference).toBe(out.channelQuantity);
            expect(out.channelQuantity).toBe(amazon);
            expect(out.difference).not.toBe(0);
            expect(out.stale).toBe(stale);
            expect(out.readAt).toBe(iso(Math.max(...reads.map((r) => r.age))));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
