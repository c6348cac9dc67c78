import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { JsonLogger } from './json-logger';
import { runWithRequestLogger } from './request-context';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is kept when it is short and plain (it ends up in log lines and a response header). */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Probes and scrapes: logged at debug when they succeed, so they do not drown the access log. */
const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * The access log: one line per request when its response is finished (or the client went away),
 * with method, route (the matched pattern, e.g. /api/v1/products/:id), path, status and duration.
 * The request id comes from the caller's X-Request-Id or is generated, is echoed in the response,
 * and is carried by every line logged while the request is served. First middleware of the app, so
 * requests refused before routing (bad bodies, unknown paths) are logged too.
 */
export function requestLogger(logger: JsonLogger) {
  const http = pinoHttp({
    logger: logger.pino,
    quietReqLogger: true, // children carry only the request id, never the headers
    quietResLogger: true,
    customAttributeKeys: { reqId: 'reqId' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    // The request is never logged whole (its headers hold the admin token); the fields below are.
    serializers: { req: () => undefined },
    wrapSerializers: false,
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode < 400 && QUIET_PATHS.has(pathOf(req))) return 'debug';
      return 'info';
    },
    customSuccessObject: (req, res, val: { responseTime: number }) => accessFields(req, res, val.responseTime),
    customErrorObject: (req, res, err, val: { responseTime: number }) => ({ ...accessFields(req, res, val.responseTime), err }),
    customSuccessMessage: (req, res) => accessMessage(req, res),
    customErrorMessage: (req, res) => accessMessage(req, res),
  });
  return (req: Request, res: Response, next: NextFunction) => http(req, res, () => runWithRequestLogger(req.log, next));
}

function pathOf(req: IncomingMessage): string {
  const url = (req as Partial<Request>).originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The route pattern Express matched (null when none did: a 404 or a request refused before routing). */
function routeOf(req: IncomingMessage): string | null {
  const route = (req as Partial<Request>).route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : null;
}

function accessFields(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  return {
    context: 'HTTP',
    method: req.method,
    route: routeOf(req),
    path: pathOf(req),
    status: res.statusCode,
    durationMs,
    // The response may not have finished: the client closed the connection first.
    ...(res.writableFinished ? {} : { aborted: true }),
  };
}

function accessMessage(req: IncomingMessage, res: ServerResponse): string {
  return `${req.method} ${routeOf(req) ?? pathOf(req)} ${res.statusCode}`;
}
