import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { JsonLogger } from '../logging/json-logger';

/** Paths the console never answers: the admin API, its documentation, health and metrics. */
const HOST_PATHS = /^\/(api|docs|docs-json|health|metrics)(\/|$)/;

/**
 * Where the built console is: CONSOLE_DIR, else beside the running bundle (`console/` in the image,
 * `../console` in `dist/apps`, where `nx build console` writes it).
 */
export function findConsoleDir(configured: string | undefined, entry = process.argv[1]): string | undefined {
  const candidates = configured ? [configured] : entry ? [join(dirname(entry), 'console'), join(dirname(entry), '..', 'console')] : [];
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}

/**
 * Serves the admin console (a static single-page app) from the host's own origin: its files, and
 * index.html for any other GET outside the host's paths (the console's routes). Without a built
 * console the host still starts; `/` then says how to build it.
 */
export function serveConsole(app: NestExpressApplication, configured: string | undefined, logger: JsonLogger): string | undefined {
  const dir = findConsoleDir(configured);
  if (!dir) {
    logger.write('warn', 'Admin console not built: / answers how to build it (npx nx build console, or npm start); the API is unaffected', ['Console']);
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/') return next();
      res.status(404).json({
        statusCode: 404,
        error: 'Not Found',
        message: 'The admin console is not built on this host: run `npx nx build console` (npm start does it) and restart, or set CONSOLE_DIR. The admin API is at /api/v1, its documentation at /docs.',
      });
    });
    return undefined;
  }
  logger.write('info', `Admin console served at / from ${dir}`, ['Console'], { consoleDir: dir });
  const files = express.static(dir, {
    index: false,
    // Vite names built assets by content hash: they never change under one name.
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const index = join(dir, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || HOST_PATHS.test(req.path)) return next();
    files(req, res, () => {
      // A console route (no file extension): the app; a missing file keeps the host's 404.
      if (/\.[^/]*$/.test(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  });
  return dir;
}
