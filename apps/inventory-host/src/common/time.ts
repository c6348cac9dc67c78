/**
 * Timestamps are stored as ISO-8601 UTC strings (fixed width, so they sort and compare as text):
 * the same column type and the same values on SQLite and PostgreSQL.
 */
export const nowIso = (): string => new Date().toISOString();
