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
 * The delay before retry number `retry` (1 for the first retry): a uniformly random value in
 * [ceiling/2, ceiling], ceiling = min(maxDelayMs, baseDelayMs * 2^(retry-1)) ("equal jitter").
 * Half the ceiling is always waited: a throttled bucket refills at a fixed rate, so a retry a few
 * milliseconds later is refused again, and with a floor one listing's attempts stay spaced (at most
 * three a second with the defaults) however the random draws fall. The engine and the webhook
 * plugin back off the same way.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
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
