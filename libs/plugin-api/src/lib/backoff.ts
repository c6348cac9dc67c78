/**
 * Exponential backoff with "equal jitter": the delay before retry number `attempt` (1 for the first
 * retry) is uniformly random in [ceiling/2, ceiling], ceiling = min(capMs, baseMs * 2^(attempt-1)).
 * The random half keeps many callers failing together from retrying in lockstep; the fixed half keeps
 * one caller's retries spaced however the draws fall (a throttled quota refills at a fixed rate, so a
 * retry a few milliseconds later would be refused again). Unrounded: callers round as they store it.
 */
export function jitteredBackoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
