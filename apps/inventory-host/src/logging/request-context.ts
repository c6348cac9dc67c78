import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

/**
 * The logger of the request being served (a pino child carrying its request id), for every line
 * written while it runs: the host's services, the plugins' loggers and Nest's own messages.
 */
const requestLogger = new AsyncLocalStorage<Logger>();

export function runWithRequestLogger<T>(logger: Logger, fn: () => T): T {
  return requestLogger.run(logger, fn);
}

export function currentRequestLogger(): Logger | undefined {
  return requestLogger.getStore();
}

/**
 * Runs `fn` outside any request: for long-lived work a request merely happens to start first (a
 * plugin's activation, a channel's connector), whose later lines belong to no request.
 */
export function outsideRequest<T>(fn: () => T): T {
  return requestLogger.exit(fn);
}
