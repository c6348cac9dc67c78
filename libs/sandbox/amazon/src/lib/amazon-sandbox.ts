import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo, Socket } from 'node:net';
import type { Server } from 'node:http';
import { adminRoutes } from './admin.routes';
import { seedDemo } from './demo-seed';
import { feedsRoutes } from './feeds.routes';
import { inventoryRoutes } from './inventory.routes';
import { listingsRoutes } from './listings.routes';
import { lwaRoutes } from './lwa.routes';
import { ordersRoutes } from './orders.routes';
import { orders2026Routes } from './orders-2026.routes';
import { SandboxRateLimiter, type RateLimitSetting } from './rate-limits';
import { reportsRoutes } from './reports.routes';
import { SandboxAdmin } from './sandbox-admin';
import { DEFAULT_CONFIG, sendErrors, type SandboxConfig, type SandboxContext } from './sandbox-context';
import { SandboxState } from './sandbox-state';
import { sellersRoutes } from './sellers.routes';

export interface AmazonSandboxOptions extends Partial<SandboxConfig> {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** `amazon` (default): Amazon's usage plans per seller and operation; `off`; or per-operation overrides. */
  rateLimits?: RateLimitSetting;
  /** `demo` seeds the demo seller A1DEMOSELLER. */
  seed?: 'demo';
}

export interface AmazonSandbox {
  /** Base URL, e.g. http://127.0.0.1:4010 (SP-API and LWA: `${url}/auth/o2/token`). */
  url: string;
  port: number;
  state: SandboxState;
  admin: SandboxAdmin;
  config: SandboxConfig;
  limiter: SandboxRateLimiter;
  close(): Promise<void>;
}

/** Builds the express app of the sandbox (without listening). */
export function createSandboxApp(options: AmazonSandboxOptions = {}): { app: express.Express; ctx: SandboxContext; admin: SandboxAdmin } {
  const state = new SandboxState();
  const config: SandboxConfig = { ...DEFAULT_CONFIG };
  for (const key of Object.keys(DEFAULT_CONFIG) as Array<keyof SandboxConfig>) {
    if (options[key] !== undefined) (config as unknown as Record<string, unknown>)[key] = options[key];
  }
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const ctx: SandboxContext = {
    state,
    limiter: new SandboxRateLimiter(options.rateLimits ?? 'amazon'),
    config,
    timers,
    later(ms, fn) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, Math.max(0, ms));
      timers.add(t);
    },
  };
  const admin = new SandboxAdmin(state);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(adminRoutes(ctx, admin, () => undefined));
  app.use(lwaRoutes(ctx));
  app.use(feedsRoutes(ctx));
  app.use(listingsRoutes(ctx));
  app.use(inventoryRoutes(ctx));
  app.use(ordersRoutes(ctx));
  app.use(orders2026Routes(ctx));
  app.use(reportsRoutes(ctx));
  app.use(sellersRoutes(ctx));
  app.use((req: Request, res: Response) => sendErrors(res, 404, [{ code: 'NotFound', message: `The sandbox does not serve ${req.method} ${req.path}` }]));
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.parse.failed') return sendErrors(res, 400, [{ code: 'InvalidInput', message: 'Invalid input', details: 'The body is not valid JSON.' }]);
    if (err.status === 413) return sendErrors(res, 413, [{ code: 'RequestEntityTooLarge', message: 'The request is too large.' }]);
    return sendErrors(res, 500, [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.', details: err.message }]);
  });
  if (options.seed === 'demo') seedDemo(admin);
  return { app, ctx, admin };
}

/** Starts the SP-API sandbox on `host:port` (default 127.0.0.1, any free port). */
export async function startAmazonSandbox(options: AmazonSandboxOptions = {}): Promise<AmazonSandbox> {
  const { app, ctx, admin } = createSandboxApp(options);
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, () => resolve(s));
    s.once('error', reject);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    state: ctx.state,
    admin,
    config: ctx.config,
    limiter: ctx.limiter,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const t of ctx.timers) clearTimeout(t);
        ctx.timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
