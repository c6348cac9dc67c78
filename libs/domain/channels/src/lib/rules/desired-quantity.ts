import { applyQuantityRules, effectiveRules, type QuantityRules, type RuledQuantity } from './quantity-rules';

/** A listing's quantity with the rules that made it and each step (what explain shows). */
export interface DesiredQuantity extends RuledQuantity {
  /** The channel's rules with the listing's overrides applied. */
  rules: QuantityRules;
}

/**
 * The quantity a channel should show for a listing: its on hand over the channel's warehouses, then
 * the channel's rules with the listing's overrides (as stored, JSON text, or parsed). The one place
 * the dispatcher, the nightly reconciliation and explain compute it.
 */
export function desiredQuantity(onHand: number, channelRules: QuantityRules, overrides: string | QuantityRules | null | undefined): DesiredQuantity {
  const rules = effectiveRules(channelRules, typeof overrides === 'string' ? parseOverrides(overrides) : overrides);
  return { rules, ...applyQuantityRules(onHand, rules) };
}

/** Most listings have no overrides: skip the JSON parse for the common "{}". */
function parseOverrides(raw: string): QuantityRules {
  return raw === '{}' ? {} : (JSON.parse(raw) as QuantityRules);
}
