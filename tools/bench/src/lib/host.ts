import type { PluginPackage } from '@invsync/plugin-api';
import { TransactionRunner } from '@invsync/domain-shared';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { appendFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
// The benchmarks run the host's own code (schema, app): an Nx app is not importable by alias.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createApp } from '../../../../apps/inventory-host/src/app/create-app';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig } from '../../../../apps/inventory-host/src/config/host-config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { JsonLogger } from '../../../../apps/inventory-host/src/logging/json-logger';
import { bulkInsert, type TableRows } from './loader';

export const BENCH_TOKEN = 'bench-admin-token-0123456789abcdef';
const BENCH_SECRETS_KEY = '0'.repeat(63) + '2';

export interface BenchHost {
  app: NestExpressApplication;
  url: string;
  ds: DataSource;
  /** JSON request with the admin token; throws on a status other than `expect` (when given). */
  call<T = unknown>(method: string, path: string, body?: unknown, expect?: number): Promise<{ status: number; body: T }>;
  /** Long work answers 202 and a Location: starts it and waits until its run ends (succeeded, or throws). */
  runToEnd(path: string, body?: unknown): Promise<unknown>;
  /** Writes rows straight into the running host's database, inside its write path (one transaction). */
  insert(t: TableRows): Promise<number>;
  close(): Promise<void>;
}

/**
 * The real host (the same `createApp` as main.ts and the e2e tests) in this process, on a given
 * database, listening on 127.0.0.1. Logs go to a file (warnings and errors only).
 */
export async function startBenchHost(opts: { databaseUrl: string; dataDir: string; plugins: readonly PluginPackage[]; env?: Record<string, string>; logFile: string }): Promise<BenchHost> {
  const config = loadConfig({
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: opts.dataDir,
    ADMIN_TOKEN: BENCH_TOKEN,
    SECRETS_KEY: BENCH_SECRETS_KEY,
    PORT: '0',
    LOG_LEVEL: 'warn',
    SCHEDULER: 'off',
    ...opts.env,
  });
  const logger = new JsonLogger(config.logLevel, (line) => appendFileSync(opts.logFile, line + '\n'));
  const app = await createApp({ config, plugins: opts.plugins, logger });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const ds = app.get(DataSource);
  const host: BenchHost = {
    app,
    url,
    ds,
    async call<T>(method: string, path: string, body?: unknown, expect?: number) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${BENCH_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      const parsed = (text ? JSON.parse(text) : undefined) as T;
      if (expect !== undefined && res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return { status: res.status, body: parsed };
    },
    async runToEnd(path: string, body: unknown = {}) {
      const started = await host.call<{ location: string }>('POST', path, body, 202);
      for (;;) {
        const run = (await host.call<{ status: string; error: string | null; summary: unknown }>('GET', started.body.location, undefined, 200)).body;
        if (run.status === 'succeeded') return run.summary;
        if (run.status !== 'running') throw new Error(`${path}: run ${run.status}: ${run.error}`);
        await sleep(50);
      }
    },
    insert: (t) => TransactionRunner.for(ds).run(() => bulkInsert(ds, t)),
    close: () => app.close(),
  };
  return host;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns true; false when `timeoutMs` passed. */
export async function until(fn: () => Promise<boolean> | boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
