import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { INVENTORY_SYNC_API_VERSION } from '@invsync/plugin-api';
import { acquireSqliteLock } from '../database/sqlite-instance-lock';
import { redactor } from '../logging/redactor';
import { AppModule } from './app.module';
import type { HostOptions } from './host-options';

export const API_PREFIX = 'api/v1';

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
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
      logger: options.logger,
      bufferLogs: false,
      bodyParser: false,
    });
  } catch (e) {
    lock?.release();
    throw e;
  }
  if (lock) {
    const close = app.close.bind(app);
    app.close = async () => {
      try {
        await close();
      } finally {
        lock.release();
      }
    };
  }
  app.useBodyParser('json', { limit: '10mb' });
  app.use(helmet());
  app.disable('x-powered-by');
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}
