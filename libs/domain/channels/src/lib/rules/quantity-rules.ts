/**
 * The listing quantity rules (domain.md section 4): from on hand to the quantity a channel shows.
 * Channel-level values, overridable per listing. The result never exceeds on hand and is never
 * negative.
 */
export interface QuantityRules {
  /** Hold back this many units. */
  reserve?: number | null;
  /** Publish this percentage of what is left, rounded down (0..100). */
  percentage?: number | null;
  /** Never list more than this. */
  maxQuantity?: number | null;
  /** Send 0 when on hand is at or below this. */
  zeroAtOrBelow?: number | null;
}

export const RULE_KEYS = ['reserve', 'percentage', 'maxQuantity', 'zeroAtOrBelow'] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

export interface RuleStep {
  rule: 'on-hand' | RuleKey;
  /** The rule's setting (absent for `on-hand`). */
  setting?: number;
  /** The quantity after this step. */
  quantity: number;
  note: string;
}

export interface RuledQuantity {
  quantity: number;
  steps: RuleStep[];
}

/** Listing overrides win over channel values; `null` in an override clears the channel's value. */
export function effectiveRules(channel: QuantityRules, listing: QuantityRules | null | undefined): QuantityRules {
  const out: QuantityRules = {};
  for (const k of RULE_KEYS) {
    const v = listing && k in listing && listing[k] !== undefined ? listing[k] : channel[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Applies the rules in a fixed order (ours): on hand clamped at 0, then the zero threshold (on the
 * real on hand: "at or below N left, show 0"), the reserve, the percentage (rounded down), the maximum.
 */
export function applyQuantityRules(onHand: number, rules: QuantityRules): RuledQuantity {
  const base = Math.max(0, Math.floor(onHand));
  const steps: RuleStep[] = [{ rule: 'on-hand', quantity: base, note: onHand < 0 ? `on hand ${onHand} clamped at 0` : `on hand ${base}` }];
  let q = base;
  if (isSet(rules.zeroAtOrBelow)) {
    const t = rules.zeroAtOrBelow;
    q = base <= t ? 0 : q;
    steps.push({ rule: 'zeroAtOrBelow', setting: t, quantity: q, note: base <= t ? `on hand ${base} is at or below ${t}: send 0` : `on hand ${base} is above ${t}` });
  }
  if (isSet(rules.reserve)) {
    const r = rules.reserve;
    q = Math.max(0, q - r);
    steps.push({ rule: 'reserve', setting: r, quantity: q, note: `hold back ${r}` });
  }
  if (isSet(rules.percentage)) {
    const p = rules.percentage;
    q = Math.floor((q * p) / 100);
    steps.push({ rule: 'percentage', setting: p, quantity: q, note: `${p}% rounded down` });
  }
  if (isSet(rules.maxQuantity)) {
    const m = rules.maxQuantity;
    q = Math.min(q, m);
    steps.push({ rule: 'maxQuantity', setting: m, quantity: q, note: `at most ${m}` });
  }
  return { quantity: q, steps };
}

function isSet(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Messages for rule values a person could get wrong (used to validate settings and overrides). */
export function checkRules(rules: QuantityRules, prefix = ''): string[] {
  const problems: string[] = [];
  const nonNegInt = (k: RuleKey, max: number) => {
    const v = rules[k];
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) problems.push(`${prefix}${k} must be an integer from 0 to ${max}`);
  };
  nonNegInt('reserve', 1_000_000_000);
  nonNegInt('percentage', 100);
  nonNegInt('maxQuantity', 1_000_000_000);
  nonNegInt('zeroAtOrBelow', 1_000_000_000);
  return problems;
}
