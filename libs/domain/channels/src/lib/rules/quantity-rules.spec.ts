import fc from 'fast-check';
import { applyQuantityRules, checkRules, effectiveRules, type QuantityRules } from './quantity-rules';

describe('quantity rules', () => {
  it('sends on hand when no rule is set, clamped at 0', () => {
    expect(applyQuantityRules(12, {}).quantity).toBe(12);
    expect(applyQuantityRules(-3, {}).quantity).toBe(0);
  });

  it('applies threshold, reserve, percentage (rounded down) and maximum in order', () => {
    const r = applyQuantityRules(20, { zeroAtOrBelow: 2, reserve: 3, percentage: 50, maxQuantity: 5 });
    expect(r.steps.map((s) => [s.rule, s.quantity])).toEqual([
      ['on-hand', 20],
      ['zeroAtOrBelow', 20],
      ['reserve', 17],
      ['percentage', 8],
      ['maxQuantity', 5],
    ]);
    expect(r.quantity).toBe(5);
    expect(applyQuantityRules(2, { zeroAtOrBelow: 2 }).quantity).toBe(0);
    expect(applyQuantityRules(3, { zeroAtOrBelow: 2 }).quantity).toBe(3);
    expect(applyQuantityRules(7, { percentage: 33 }).quantity).toBe(2);
  });

  it('lets listing overrides win, and null clear a channel value', () => {
    expect(effectiveRules({ reserve: 2, maxQuantity: 10 }, { reserve: 5, maxQuantity: null })).toEqual({ reserve: 5 });
    expect(effectiveRules({ reserve: 2 }, undefined)).toEqual({ reserve: 2 });
  });

  it('flags bad rule values', () => {
    expect(checkRules({ percentage: 101, reserve: -1, maxQuantity: 1.5 })).toHaveLength(3);
    expect(checkRules({ percentage: 100, reserve: 0 })).toEqual([]);
  });

  const rules = fc.record<QuantityRules>(
    {
      reserve: fc.option(fc.nat(50), { nil: undefined }),
      percentage: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      maxQuantity: fc.option(fc.nat(200), { nil: undefined }),
      zeroAtOrBelow: fc.option(fc.nat(20), { nil: undefined }),
    },
    { requiredKeys: [] },
  );

  it('never sends more than on hand, never a negative number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100_000 }), rules, (onHand, r) => {
        const q = applyQuantityRules(onHand, r).quantity;
        return Number.isInteger(q) && q >= 0 && q <= Math.max(0, onHand) && (r.maxQuantity == null || q <= r.maxQuantity);
      }),
    );
  });

  it('is monotone: more on hand never lowers the quantity (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(100), rules, (a, d, r) => applyQuantityRules(a, r).quantity <= applyQuantityRules(a + d, r).quantity),
    );
  });
});
