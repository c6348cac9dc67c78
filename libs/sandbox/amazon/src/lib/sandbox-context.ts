import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { SandboxRateLimiter } from './rate-limits';
import type { CallLogEntry, SandboxState, SellerRecord } from './sandbox-state';

export interface SandboxConfig {
  /** Access token lifetime in seconds (Amazon: 3600). */
  accessTokenLifetimeSec: number;
  feedProcessingDelayMs: number;
  reportProcessingDelayMs: number;
  /** FBA inventory summaries per page (Amazon: 50). */
  inventoryPageSize: number;
  /** FBA inventory nextToken lifetime (Amazon: about 30 s). */
  inventoryNextTokenTtlMs: number;
  /** Order items per page of getOrderItems. */
  orderItemsPageSize: number;
  /** Default MaxResultsPerPage of getOrders (Amazon: 100). */
  ordersPageSize: number;
  /** Store result and report documents gzipped (compressionAlgorithm GZIP). */
  gzipDocuments: boolean;
  /** How long a `timeout` fault hangs before dropping the connection. */
  timeoutHangMs: number;
}

export const DEFAULT_CONFIG: SandboxConfig = {
  accessTokenLifetimeSec: 3600,
  feedProcessingDelayMs: 2000,
  reportProcessingDelayMs: 1000,
  inventoryPageSize: 50,
  inventoryNextTokenTtlMs: 30_000,
  orderItemsPageSize: 100,
  ordersPageSize: 100,
  gzipDocuments: true,
  timeoutHangMs: 35_000,
};

export interface SandboxContext {
  state: SandboxState;
  limiter: SandboxRateLimiter;
  config: SandboxConfig;
  /** Timers to clear on close. */
  timers: Set<ReturnType<typeof setTimeout>>;
  later(ms: number, fn: () => void): void;
}

export interface AmazonError {
  code: string;
  message: string;
  details?: string;
}

export function sendErrors(res: Response, status: number, errors: AmazonError[]): void {
  res.status(status).json({ errors: errors.map((e) => ({ code: e.code, message: e.message, details: e.details ?? '' })) });
}

export function invalidInput(res: Response, message = 'Invalid input', details?: string): void {
  sendErrors(res, 400, [{ code: 'InvalidInput', message, details }]);
}

export function notFound(res: Response, message = 'Resource not found', details?: string): void {
  sendErrors(res, 404, [{ code: 'NotFound', message, details }]);
}

/** Query parameter as a list: comma-separated and/or repeated. */
export function queryList(req: Request, name: string): string[] | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(','));
  return parts.map((x) => x.trim()).filter((x) => x !== '');
}

export function queryString(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? String(v[0]) : String(v);
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value));
}

export interface OperationCall {
  seller: SellerRecord;
  entry: Omit<CallLogEntry, 'seq' | 'status'>;
}

export type OperationHandler = (req: Request, res: Response, call: OperationCall) => void | Promise<void>;

export interface OperationOptions {
  /** Fills the call log's sku / marketplaceIds / quantity. */
  describe?: (req: Request) => Partial<Pick<CallLogEntry, 'sku' | 'marketplaceIds' | 'quantity'>>;
}

/**
 * Wraps an SP-API operation: access token check, injected faults, the per-seller usage plan (429 with
 * Amazon's body), `x-amzn-RateLimit-Limit` / `x-amzn-RequestId` headers, and the call log.
 */
export function operation(ctx: SandboxContext, name: string, handler: OperationHandler, options: OperationOptions = {}): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const timeMs = performance.timeOrigin + performance.now();
    let described: Partial<Pick<CallLogEntry, 'sku' | 'marketplaceIds' | 'quantity'>> = {};
    try {
      described = options.describe?.(req) ?? {};
    } catch {
      described = {};
    }
    const entry: Omit<CallLogEntry, 'seq' | 'status'> = {
      time: new Date(timeMs).toISOString(),
      timeMs,
      method: req.method,
      path: req.originalUrl.split('?')[0],
      operation: name,
      ...described,
    };
    let fault: string | undefined;
    res.on('finish', () => ctx.state.log({ ...entry, status: res.statusCode, ...(fault ? { fault } : {}) }));
    res.setHeader('x-amzn-RequestId', randomUUID());

    const token = req.header('x-amz-access-token');
    const record = token ? ctx.state.accessTokens.get(token) : undefined;
    const seller = record ? ctx.state.sellers.get(record.sellerId) : undefined;
    if (!token || !record || !seller) {
      sendErrors(res, 403, [
        { code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' },
      ]);
      return;
    }
    if (record.expiresAt <= Date.now()) {
      sendErrors(res, 403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided has expired.' }]);
      return;
    }
    entry.sellerId = seller.sellerId;

    const f = ctx.state.takeFault(name, seller.sellerId);
    if (f) {
      fault = f.kind;
      if (f.kind === '429') return throttled(ctx, res, name);
      if (f.kind === '500') {
        sendErrors(res, 500, [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' }]);
        return;
      }
      // timeout: hang, then drop the connection without an answer.
      ctx.later(f.hangMs ?? ctx.config.timeoutHangMs, () => {
        ctx.state.log({ ...entry, status: 0, fault: 'timeout' });
        req.socket.destroy();
      });
      return;
    }
    if (!ctx.limiter.take(seller.sellerId, name)) return throttled(ctx, res, name);
    const plan = ctx.limiter.plan(name);
    if (plan) res.setHeader('x-amzn-RateLimit-Limit', String(plan.rate));
    try {
      await handler(req, res, { seller, entry });
    } catch (err) {
      next(err);
    }
  };
}

function throttled(ctx: SandboxContext, res: Response, name: string): void {
  const plan = ctx.limiter.plan(name);
  if (plan) res.setHeader('x-amzn-RateLimit-Limit', String(plan.rate));
  sendErrors(res, 429, [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }]);
}
