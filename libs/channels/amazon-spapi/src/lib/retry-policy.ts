import { jitteredBackoffMs } from '@invsync/plugin-api';

/** Exponential backoff with jitter and caps on attempts and delay. */
export interface RetryPolicy {
  /** Total attempts including the first one. Default 5. */
  maxAttempts: number;
  /** Delay cap of the first retry (at least half of it is waited); doubles each retry. Default 500 ms. */
  baseDelayMs: number;
  /** Upper bound of one delay. Default 30 s. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The delay before retry number `retry` (1 for the first retry), whole milliseconds: equal jitter
 * (see `jitteredBackoffMs`). Half the ceiling is always waited, so one listing's attempts stay spaced
 * (at most three a second with the defaults) however the random draws fall.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(jitteredBackoffMs(retry, policy.baseDelayMs, policy.maxDelayMs, random));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
