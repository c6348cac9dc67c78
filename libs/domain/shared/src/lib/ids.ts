import { randomBytes } from 'node:crypto';

/**
 * A new id: a UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74 random bits. Ids made
 * close in time sort close together, so the indexes on ids grow at their right edge instead of
 * touching a random page per insert (a movement's id and batch id: with random v4 ids every ledger
 * write dirtied pages all over two large indexes). Ids, not secrets: 74 random bits keep them unique.
 */
export function newId(): string {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70; // version 7
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The current time as an ISO-8601 UTC string. Every timestamp is stored this way in a varchar(32):
 * fixed width, so it sorts and compares as text, identical on SQLite and PostgreSQL.
 */
export const nowIso = (): string => new Date().toISOString();

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True for a syntactically valid UUID (ids from outside are checked before they reach SQL). */
export const isUuid = (value: string): boolean => UUID_RE.test(value);
