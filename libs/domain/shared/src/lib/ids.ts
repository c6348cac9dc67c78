import { randomUUID } from 'node:crypto';

/** A new random id (UUID v4). Products, warehouses and movements use these. */
export const newId = (): string => randomUUID();

/**
 * The current time as an ISO-8601 UTC string. Every timestamp is stored this way in a varchar(32):
 * fixed width, so it sorts and compares as text, identical on SQLite and PostgreSQL.
 */
export const nowIso = (): string => new Date().toISOString();

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True for a syntactically valid UUID (ids from outside are checked before they reach SQL). */
export const isUuid = (value: string): boolean => UUID_RE.test(value);
