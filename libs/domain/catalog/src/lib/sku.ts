/**
 * SKU rule (documented in the README and the API):
 * - surrounding whitespace is removed; the rest is kept as given (inner spaces, `/`, `#` occur in real SKUs);
 * - 1 to 40 characters (the shortest seller-SKU limit among the marketplaces served), no control or
 *   format characters (Unicode Cc, Cf: a bidirectional override shows a SKU reversed, a zero-width
 *   joiner or BOM makes two SKUs that look alike differ);
 * - uniqueness and lookup ignore case: the key is the trimmed SKU, Unicode NFC-normalised and
 *   upper-cased, because a marketplace treats `abc-1` and `ABC-1` as one SKU.
 */
export const SKU_MAX_LENGTH = 40;

const CONTROL = /\p{Cc}/u;
const FORMAT = /\p{Cf}/u;
/** Half of a UTF-16 surrogate pair alone: not a character, cannot be stored or sent as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The normalised key used for uniqueness and lookup. */
export function skuKey(sku: string): string {
  return sku.trim().normalize('NFC').toUpperCase();
}

/** Checks a SKU; returns the trimmed SKU and its key, or the problems (messages name the field). */
export function checkSku(raw: unknown, field = 'sku'): { sku: string; key: string } | { problems: string[] } {
  if (typeof raw !== 'string') return { problems: [`${field} must be a string`] };
  const sku = raw.trim();
  const problems: string[] = [];
  const length = [...sku].length;
  if (length < 1) problems.push(`${field} must not be empty or only whitespace`);
  if (length > SKU_MAX_LENGTH) problems.push(`${field} must be at most ${SKU_MAX_LENGTH} characters (the longest SKU marketplaces accept); it has ${length}`);
  if (CONTROL.test(sku)) problems.push(`${field} must not contain control characters (tabs, line breaks, ...)`);
  if (FORMAT.test(sku)) problems.push(`${field} must not contain invisible format characters (bidirectional overrides, zero-width characters, byte order marks)`);
  if (LONE_SURROGATE.test(sku)) problems.push(`${field} must be valid Unicode text (it contains half of a surrogate pair)`);
  return problems.length ? { problems } : { sku, key: skuKey(sku) };
}
