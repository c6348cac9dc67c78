import fc from 'fast-check';
import { desiredQuantity } from './desired-quantity';
import { applyQuantityRules, effectiveRules, type QuantityRules } from './quantity-rules';

const rule = fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined });
const rules = fc.record({ reserve: rule, percentage: rule, maxQuantity: rule, zeroAtOrBelow: rule }) as fc.Arbitrary<QuantityRules>;

describe('desiredQuantity', () => {
  it('applies the channel rules with the listing overrides, stored or parsed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 1000 }), rules, rules, (onHand, channel, overrides) => {
        const expected = applyQuantityRules(onHand, effectiveRules(channel, overrides));
        expect(desiredQuantity(onHand, channel, overrides)).toEqual({ ...expected, rules: effectiveRules(channel, overrides) });
        expect(desiredQuantity(onHand, channel, JSON.stringify(overrides)).quantity).toBe(expected.quantity);
      }),
    );
  });

  it('lets a null override clear a channel rule', () => {
    expect(desiredQuantity(10, { maxQuantity: 3 }, '{"maxQuantity":null}')).toMatchObject({ quantity: 10, rules: {} });
    expect(desiredQuantity(10, { maxQuantity: 3 }, '{}')).toMatchObject({ quantity: 3, rules: { maxQuantity: 3 } });
  });
});
