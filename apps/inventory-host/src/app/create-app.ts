import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { INVENTORY_SYNC_API_VERSION } from '@invsync/plugin-api';
import { csvBodyParser, isCsvImportRequest } from '../csv/csv-http';
import { acquireSqliteLock } from '../database/sqlite-instance-lock';
import { redactor } from '../logging/redactor';
import { requestLogger } from '../logging/request-logger';
import { AppModule } from './app.module';
import type { HostOptions } from './host-options';
import { API_PREFIX } from '../common/api-prefix';
import { withErrorResponses } from '../common/error-responses';
import { withRequestIdHeader } from '../common/request-id-openapi';
import { serveConsole } from '../console/console-static';

export { API_PREFIX };

/**
 * Builds the Nest application with everything cross-cutting: validation, security headers, the
 * admin API prefix and OpenAPI. Used by main.ts and by the end-to-end tests.
 */
export async function createApp(options: HostOptions): Promise<NestExpressApplication> {
  redactor.addSecret(options.config.adminToken);
  const db = options.config.database;
  const lock = db.type === 'sqlite' ? acquireSqliteLock(db.path) : undefined;
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options, lock ?? null), {
      logger: options.logger,
      bufferLogs: false,
      bodyParser: false,
    });
  } catch (e) {
    lock?.release();
    throw e;
  }
  // First: every request is logged with its id, including those refused by the parsers below.
  app.use(requestLogger(options.logger));
  app.useBodyParser('json', { limit: '10mb' });
  app.use(csvBodyParser);
  app.use(requireJsonObjectBodies);
  // helmet's defaults, except `upgrade-insecure-requests`: the host serves plain HTTP itself (TLS is a
  // proxy's job), and over HTTP on any address but localhost that directive makes browsers fetch the
  // admin console's own scripts and styles over HTTPS, which fails.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.disable('x-powered-by');
  // The admin console: static files from this origin (helmet's CSP allows only 'self' scripts).
  serveConsole(app, options.config.consoleDir, options.logger);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      stopAtFirstError: false,
    }),
  );
  setupOpenApi(app);
  return app;
}

/**
 * Every admin API body is a JSON object, except on the CSV import routes (CSV text, see csv-http).
 * Express ignores a body of another content type (the route would see no body: a PATCH would answer 200 doing nothing), and a JSON array passes the DTO
 * validation as if empty: both are refused here with a message saying what is expected.
 */
function requireJsonObjectBodies(req: Request, res: Response, next: NextFunction): void {
  if (!req.originalUrl.startsWith(`/${API_PREFIX}/`)) return next();
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  // The CSV routes check their body themselves, after the token guard.
  if (isCsvImportRequest(req)) return next();
  if (!hasBody) return next();
  if (!req.is('application/json')) {
    res.status(415).json({ statusCode: 415, error: 'Unsupported Media Type', message: `Send the body as JSON with "Content-Type: application/json" (got "${req.headers['content-type'] ?? 'none'}")` });
    return;
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    res.status(400).json({ statusCode: 400, error: 'Bad Request', message: ['the body must be a JSON object'] });
    return;
  }
  // class-validator's whitelist does not see keys named like Object.prototype members ("valueOf",
  // "constructor", "__proto__"), so forbidNonWhitelisted alone would accept such a body.
  const bad = prototypeKey(req.body, 'body', 0);
  if (bad) {
    res.status(400).json({ statusCode: 400, error: 'Bad Request', message: [`property ${bad} should not exist`] });
    return;
  }
  next();
}

const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

function prototypeKey(value: unknown, path: string, depth: number): string | undefined {
  if (depth > 20 || typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (!Array.isArray(value) && PROTOTYPE_NAMES.has(k)) return `${path}.${k}`;
    const inner = prototypeKey(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Inventory-sync host: admin API')
    .setDescription(
      `Keeps marketplace listings' quantities equal to on hand. Plugin contract inventory-sync ${INVENTORY_SYNC_API_VERSION}. ` +
        'Every /api/v1 route needs "Authorization: Bearer <ADMIN_TOKEN>".',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = withRequestIdHeader(withErrorResponses(SwaggerModule.createDocument(app, config), API_PREFIX));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}
