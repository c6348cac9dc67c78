import { InvalidInputError } from './domain-errors';

/** One page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** Opaque cursor: base64url of a JSON array of the sort key values of the last item. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` with the given element types; InvalidInputError otherwise. */
export function decodeCursor<T extends (string | number)[]>(cursor: string, types: ('string' | 'number')[]): T {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === types.length && values.every((v, i) => typeof v === types[i])) {
      return values as T;
    }
  } catch {
    // fall through
  }
  throw new InvalidInputError(['cursor is not a cursor returned by this list (use nextCursor unchanged)']);
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError([`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`]);
  }
  return limit;
}
