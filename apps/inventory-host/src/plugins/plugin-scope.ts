import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChannelConnector, ChannelProvider } from '@invsync/plugin-api';

/**
 * Which plugin the running code belongs to. Everything a plugin starts (promises, timers, sockets)
 * inherits the scope, so an unhandled rejection or an uncaught exception it causes later can be
 * traced back to it (Node runs those handlers in the async context of the failing promise or
 * callback). Host services called by a plugin run outside the scope: what they start is the host's.
 */
const scope = new AsyncLocalStorage<string>();

export function runAsPlugin<T>(pluginId: string, fn: () => T): T {
  return scope.run(pluginId, fn);
}

export function runAsHost<T>(fn: () => T): T {
  return scope.exit(fn);
}

/** The plugin the current async context belongs to, if any. */
export function currentPluginId(): string | undefined {
  return scope.getStore();
}

/**
 * A channel provider whose calls, and its connectors' calls (whatever methods they have), run in
 * the plugin's scope; async iterables they return run their bodies in it too.
 */
export function scopedProvider(pluginId: string, provider: ChannelProvider<object>): ChannelProvider<object> {
  return scoped(pluginId, provider, (name, result) => (name === 'createConnector' ? scoped(pluginId, result as ChannelConnector) : result));
}

function scoped<T extends object>(pluginId: string, target: T, mapResult: (name: string, result: unknown) => unknown = (_, r) => r): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        const result = mapResult(prop, runAsPlugin(pluginId, () => value.apply(obj, args)));
        return isAsyncIterable(result) && !(result instanceof Promise) ? scopedIterable(pluginId, result) : result;
      };
    },
  });
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** An async generator's body runs on each next(), in the caller's context unless wrapped. */
function scopedIterable<T>(pluginId: string, iterable: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = runAsPlugin(pluginId, () => iterable[Symbol.asyncIterator]());
      return {
        next: (...args: [] | [unknown]) => runAsPlugin(pluginId, () => it.next(...args)),
        ...(it.return ? { return: (value?: unknown) => runAsPlugin(pluginId, () => it.return!(value as T)) } : {}),
        ...(it.throw ? { throw: (e?: unknown) => runAsPlugin(pluginId, () => it.throw!(e)) } : {}),
      };
    },
  };
}
