import { text, type NextFunction, type Request, type RequestHandler, type Response } from 'express';

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

/** An import route's body must be CSV text: 415 for another content type, 400 for none. */
export function requireCsvBody(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('text/csv')) {
    res.status(415).json({ statusCode: 415, error: 'Unsupported Media Type', message: `Send the body as CSV with "Content-Type: text/csv" (got "${req.headers['content-type'] ?? 'none'}")` });
    return;
  }
  if (typeof req.body !== 'string' || !req.body.trim()) {
    res.status(400).json({ statusCode: 400, error: 'Bad Request', message: ['the body must be CSV text starting with a header row'] });
    return;
  }
  next();
}
