import express, { type Request, type Response, type Router } from 'express';
import { FULFILLMENT_STATUS } from './orders-2026.routes';
import { SandboxAdmin, SeedError } from './sandbox-admin';
import type { SandboxContext, SandboxConfig } from './sandbox-context';
import type { RateLimitSetting } from './rate-limits';
import { feedView } from './feeds.routes';

const q = (req: Request, name: string): string | undefined => {
  const v = (req.query as Record<string, unknown>)[name];
  return v === undefined ? undefined : String(Array.isArray(v) ? v[0] : v);
};

/** `/_sandbox/...`: seed, inspect and break the sandbox (JSON in, JSON out). */
export function adminRoutes(ctx: SandboxContext, admin: SandboxAdmin, onReset: () => void): Router {
  const router = express.Router();
  router.use('/_sandbox', express.json({ limit: '100mb' }));
  const handle = (fn: (req: Request, res: Response) => unknown) => (req: Request, res: Response) => {
    try {
      const out = fn(req, res);
      if (!res.headersSent) res.status(200).json(out ?? { ok: true });
    } catch (err) {
      if (err instanceof SeedError) return void res.status(400).json({ error: err.message });
      throw err;
    }
  };

  router.get('/_sandbox/health', handle(() => ({ ok: true, sellers: ctx.state.sellers.size, listings: ctx.state.listings.size })));
  router.post('/_sandbox/reset', handle(() => {
    ctx.state.reset();
    ctx.limiter.reset();
    onReset();
    return { ok: true };
  }));
  router.get('/_sandbox/config', handle(() => ({ ...ctx.config })));
  router.patch('/_sandbox/config', handle((req) => {
    const body = (req.body ?? {}) as Partial<SandboxConfig> & { rateLimits?: RateLimitSetting };
    for (const [k, v] of Object.entries(body)) {
      if (k === 'rateLimits') ctx.limiter.configure(v as RateLimitSetting);
      else if (k in ctx.config && typeof v === typeof (ctx.config as unknown as Record<string, unknown>)[k]) (ctx.config as unknown as Record<string, unknown>)[k] = v;
      else throw new SeedError(`Unknown or mistyped config key: ${k}`);
    }
    return { ...ctx.config };
  }));

  router.post('/_sandbox/sellers', handle((req) => ({
    sellers: admin.seedSellers(req.body).map((s) => ({ sellerId: s.sellerId, regions: s.regions, clientId: s.clientId, storeName: s.storeName })),
  })));
  router.get('/_sandbox/sellers', handle(() => ({
    sellers: [...ctx.state.sellers.values()].map((s) => ({ sellerId: s.sellerId, regions: s.regions, clientId: s.clientId, storeName: s.storeName })),
  })));
  router.post('/_sandbox/listings', handle((req) => ({ seeded: admin.seedListings(req.body) })));
  router.get('/_sandbox/listings', handle((req) => ({
    listings: [...ctx.state.listings.values()]
      .filter((l) => !q(req, 'sellerId') || l.sellerId === q(req, 'sellerId'))
      .map((l) => ({ ...l, marketplaceIds: [...l.marketplaceIds] })),
  })));
  router.post('/_sandbox/fba-inventory', handle((req) => ({ seeded: admin.seedFba(req.body) })));
  router.get('/_sandbox/fba-inventory', handle((req) => ({
    inventory: [...ctx.state.fba.values()].filter((f) => !q(req, 'sellerId') || f.sellerId === q(req, 'sellerId')),
  })));
  router.post('/_sandbox/orders', handle((req) => ({ orders: admin.upsertOrders(req.body) })));
  router.patch('/_sandbox/orders/:orderId', handle((req) => admin.updateOrder(req.params['orderId'] as string, req.body ?? {})));
  router.post('/_sandbox/orders/:orderId/cancel', handle((req) => admin.updateOrder(req.params['orderId'] as string, { orderStatus: 'Canceled' })));
  router.get('/_sandbox/orders', handle((req) => ({
    orders: [...ctx.state.orders.values()]
      .filter((o) => !q(req, 'sellerId') || o.sellerId === q(req, 'sellerId'))
      .map((o) => ({ ...o, fulfillmentStatus: FULFILLMENT_STATUS[o.orderStatus] })),
  })));
  router.get('/_sandbox/feeds', handle(() => ({ feeds: [...ctx.state.feeds.values()].map((f) => ({ sellerId: f.sellerId, ...feedView(f) })) })));

  router.get('/_sandbox/calls', handle((req) => {
    const status = q(req, 'status');
    const afterSeq = q(req, 'afterSeq');
    const limit = Number(q(req, 'limit') ?? 10_000);
    const calls = admin.calls({
      operation: q(req, 'operation'),
      sellerId: q(req, 'sellerId'),
      sku: q(req, 'sku'),
      since: q(req, 'since'),
      ...(status !== undefined ? { status: Number(status) } : {}),
      ...(afterSeq !== undefined ? { afterSeq: Number(afterSeq) } : {}),
    });
    return { total: calls.length, calls: calls.slice(-limit) };
  }));
  router.delete('/_sandbox/calls', handle(() => {
    admin.clearCalls();
    return { ok: true };
  }));
  router.get('/_sandbox/quantities', handle((req) => ({
    quantities: admin.quantities({ sellerId: q(req, 'sellerId'), sku: q(req, 'sku'), marketplaceId: q(req, 'marketplaceId') }),
  })));

  router.post('/_sandbox/faults', handle((req) => admin.injectFault(req.body ?? {})));
  router.get('/_sandbox/faults', handle(() => ({
    http: ctx.state.faults,
    fatalFeeds: ctx.state.fatalFeeds,
    invalidSkus: [...ctx.state.invalidSkus.entries()].map(([sku, sellerId]) => ({ sku, sellerId })),
  })));
  router.delete('/_sandbox/faults', handle(() => {
    admin.clearFaults();
    return { ok: true };
  }));
  router.post('/_sandbox/faults/fatal-feeds', handle((req) => {
    const count = Number((req.body as { count?: number } | undefined)?.count ?? 1);
    if (!Number.isInteger(count) || count < 1) throw new SeedError('count must be a positive integer');
    admin.failNextFeeds(count);
    return { fatalFeeds: ctx.state.fatalFeeds };
  }));
  router.post('/_sandbox/faults/invalid-skus', handle((req) => {
    const body = (req.body ?? {}) as { skus?: unknown; sellerId?: string };
    if (!Array.isArray(body.skus) || body.skus.some((s) => typeof s !== 'string')) throw new SeedError('skus must be an array of strings');
    admin.markSkusInvalid(body.skus as string[], body.sellerId);
    return { invalidSkus: body.skus };
  }));
  router.post('/_sandbox/tokens/expire', handle(() => ({ expired: admin.expireAccessTokens() })));
  return router;
}
