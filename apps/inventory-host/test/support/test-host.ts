import type { PluginPackage } from '@invsync/plugin-api';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/host-config';
import { JsonLogger } from '../../src/logging/json-logger';
import { createThrowawaySchema, type ThrowawaySchema } from './postgres';

/**
 * The database engine the host end-to-end tests run on: SQLite by default, PostgreSQL with
 * TEST_DB=postgres (each host in its own throwaway schema). `npm test` runs the suite on both.
 */
export const TEST_DB: 'sqlite' | 'postgres' = process.env['TEST_DB'] === 'postgres' ? 'postgres' : 'sqlite';

export const TEST_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_SECRETS_KEY = '0'.repeat(63) + '1';

export interface TestHost {
  app: NestExpressApplication;
  schema?: ThrowawaySchema;
  url: string;
  dir: string;
  logs: string[];
  /** supertest agent with the admin token set. */
  api(): TestAgent;
  /** supertest agent without a token. */
  anon(): request.Agent;
  close(): Promise<void>;
}

type TestAgent = {
  get(path: string): request.Test;
  post(path: string): request.Test;
  patch(path: string): request.Test;
  delete(path: string): request.Test;
};

export interface StartOptions {
  plugins?: readonly PluginPackage[];
  env?: Record<string, string>;
  /** Reuse a data folder (restart tests); on PostgreSQL the schema is kept with it. */
  dir?: string;
  /** Reuse a PostgreSQL schema (restart and multi-instance tests). */
  schema?: ThrowawaySchema;
}

const schemasByDir = new Map<string, ThrowawaySchema>();

/** Boots the real app on a real SQLite file in a fresh temp folder, listening on a free port. */
export async function startHost(opts: StartOptions = {}): Promise<TestHost> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'invsync-e2e-'));
  let schema: ThrowawaySchema | undefined;
  if (TEST_DB === 'postgres') {
    schema = opts.schema ?? schemasByDir.get(dir) ?? (await createThrowawaySchema('e2e'));
    schemasByDir.set(dir, schema);
  }
  const config = loadConfig({
    DATABASE_URL: schema ? schema.url : `sqlite:${join(dir, 'inventory.sqlite')}`,
    DATA_DIR: dir,
    ADMIN_TOKEN: TEST_TOKEN,
    SECRETS_KEY: TEST_SECRETS_KEY,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  const logs: string[] = [];
  const logger = new JsonLogger(config.logLevel, (line) => logs.push(line));
  const app = await createApp({ config, plugins: opts.plugins ?? [], logger });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const auth = (t: request.Test) => t.set('Authorization', `Bearer ${TEST_TOKEN}`);
  let closed = false;
  return {
    app,
    schema,
    url,
    dir,
    logs,
    api: () => ({
      get: (p) => auth(request(url).get(p)),
      post: (p) => auth(request(url).post(p)),
      patch: (p) => auth(request(url).patch(p)),
      delete: (p) => auth(request(url).delete(p)),
    }),
    anon: () => request.agent(url),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      if (!opts.dir) {
        rmSync(dir, { recursive: true, force: true });
        if (schema && !opts.schema) {
          schemasByDir.delete(dir);
          await schema.drop();
        }
      }
    },
  };
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
