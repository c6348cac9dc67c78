import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { text, type Request, type RequestHandler } from 'express';

/** The routes that take a CSV body (`Content-Type: text/csv`); every other admin route takes JSON. */
export const CSV_IMPORT_PATHS = ['/api/v1/products/import', '/api/v1/stock-levels/import', '/api/v1/listings/import'] as const;
/** Enough for 100,000 product rows with bundle recipes. */
export const CSV_BODY_LIMIT = '32mb';

export function isCsvImportRequest(req: Request): boolean {
  return req.method === 'POST' && (CSV_IMPORT_PATHS as readonly string[]).includes(req.path.replace(/\/+$/, ''));
}

const parseCsvText = text({ type: 'text/csv', limit: CSV_BODY_LIMIT });

/** Reads a CSV body as text on the import routes only; elsewhere a text/csv body stays unread (and refused). */
export const csvBodyParser: RequestHandler = (req, res, next) => (isCsvImportRequest(req) ? parseCsvText(req, res, next) : next());

/**
 * An import route's body as CSV text: 415 for another content type, 400 for none. Checked in the
 * route (after the token guard), so an unauthenticated request learns nothing but 401.
 */
export function csvBodyOf(contentType: string | undefined, body: unknown): string {
  if ((contentType ?? '').split(';')[0].trim().toLowerCase() !== 'text/csv') {
    throw new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message: `Send the body as CSV with "Content-Type: text/csv" (got "${contentType ?? 'none'}")` });
  }
  if (typeof body !== 'string' || !body.trim()) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['the body must be CSV text starting with a header row'] });
  return body;
}
