// Generators of invalid values for the write routes' fields, and of invalid variants of a valid payload.
import fc from 'fast-check';

export const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

export type Body = Record<string, unknown>;
export interface Field {
  required: boolean;
  /** Values that make the payload invalid on their own. */
  bad: fc.Arbitrary<unknown>;
}
export interface Route {
  name: string;
  method: 'post' | 'patch';
  path: () => string;
  valid: () => Body;
  fields: Record<string, Field>;
}

// ---- invalid values ----
export const wrongTypes = (...except: Array<'string' | 'number' | 'boolean' | 'object' | 'array'>) =>
  fc.oneof(
    ...[
      { k: 'string', a: fc.string({ maxLength: 5 }).map((s) => `x${s}`) },
      { k: 'number', a: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
      { k: 'boolean', a: fc.boolean() },
      { k: 'object', a: fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }) },
      { k: 'array', a: fc.array(fc.integer(), { maxLength: 3 }) },
    ]
      .filter((x) => !except.includes(x.k as never))
      .map((x) => x.a as fc.Arbitrary<unknown>),
  );
export const hugeString = fc.integer({ min: 1, max: 200_000 }).map((n) => 'A'.repeat(Math.max(n, 1)));
export const badString = (maxLength: number, required = true) =>
  fc.oneof(
    wrongTypes('string'),
    fc.integer({ min: maxLength + 1, max: maxLength + 100_000 }).map((n) => 'é'.repeat(n)),
    ...(required ? [fc.constant(''), fc.constant(null)] : []),
  );
/**
 * Unicode control (Cc) and format (Cf) characters an identifier or a name must refuse: C0 and C1
 * controls, bidirectional overrides and isolates, zero-width characters, the BOM, the soft hyphen,
 * invisible operators, tag characters.
 */
export const controlOrFormatChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(
    '\u202e', '\u202d', '\u202a', '\u202b', '\u202c', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c',
    '\u200b', '\u200c', '\u200d', '\u2060', '\u2062', '\ufeff', '\u00ad', '\ufff9', '\u{e0041}', '\u{1d173}',
  ),
);
/** Text that is valid but for one control or format character inside (never trimmed away). */
export const withControlOrFormat = (prefix: string) =>
  fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9 -]{0,6}$/), controlOrFormatChar, fc.stringMatching(/^[A-Za-z0-9-]{0,6}$/))
    .map(([a, c, b]) => `${prefix}${a}${c}${b}Z`);
/** Identifiers and names that break a rule: wrong type, too long, empty, or control / format characters. */
export const badText = (maxLength: number, prefix = 'X') => fc.oneof(badString(maxLength), withControlOrFormat(prefix));
/** SKUs that break the SKU rule: control and format characters, nothing left after trimming, too long, broken UTF-16. */
export const badSku = fc.oneof(
  badString(40),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0, max: 0x1f }).chain((c) => fc.constantFrom(c, 0x7f, 0x85, 0x9f)), fc.string({ maxLength: 10 }))
    .map(([a, c, b]) => `SKU${a}${String.fromCharCode(c)}${b}`),
  fc.array(fc.constantFrom(' ', '\t', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u2003'), { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
  fc.integer({ min: 41, max: 300 }).map((n) => 'Ж'.repeat(n)),
  fc.constantFrom('\ud800', 'SKU-\udfff', '\ud83d-A', 'A\u0000B', 'A\u202eB', 'A\u200dB', 'A\ufeffB'),
  withControlOrFormat('SKU'),
);
export const badInt = (min: number, max: number, required = true) =>
  fc.oneof(
    wrongTypes('number'),
    fc.double({ min: min + 0.01, max: Math.min(max, 1e6) - 0.01, noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.integer({ min: -1e9, max: min - 1 }),
    fc.integer({ min: max + 1, max: max + 1e9 }),
    fc.constantFrom(1e20, -1e20, Number.MAX_SAFE_INTEGER + 2, 1e308, -0.5),
    fc.integer().map((n) => String(n)),
    ...(required ? [fc.constant(null)] : []),
  );
export const badId = fc.oneof(wrongTypes('string'), fc.uuid(), fc.constant(UNKNOWN_ID), hugeString, fc.constant(''));
export const badBool = (required = false) => fc.oneof(wrongTypes('boolean'), fc.constantFrom('true', 'false', 0, 1), ...(required ? [fc.constant(null)] : []));

/** One invalid variant of a route's valid payload. */
export function invalidPayload(route: Route): fc.Arbitrary<{ what: string; body: unknown }> {
  const names = Object.keys(route.fields);
  const required = names.filter((n) => route.fields[n].required);
  const variants: fc.Arbitrary<{ what: string; body: unknown }>[] = [
    fc.constantFrom(...names).chain((f) => route.fields[f].bad.map((v) => ({ what: `${f} = ${JSON.stringify(v)?.slice(0, 80)}`, body: { ...route.valid(), [f]: v } }))),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !names.includes(k) && k !== '__proto__'), fc.jsonValue())
      .map(([k, v]) => ({ what: `unknown field ${JSON.stringify(k)}`, body: { ...route.valid(), [k]: v } })),
    fc.constantFrom<unknown>([], [route.valid()], 'text', 42, null, true).map((b) => ({ what: `body ${JSON.stringify(b)}`, body: b })),
  ];
  if (required.length) {
    variants.push(
      fc.subarray(required, { minLength: 1 }).map((drop) => {
        const body = route.valid();
        for (const d of drop) delete body[d];
        return { what: `missing ${drop.join(', ')}`, body };
      }),
    );
  }
  return fc.oneof(...variants);
}
