/**
 * Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped, with "full
 * jitter" (a random delay between half and all of it) so many listings failing together do not
 * retry in lockstep.
 */
export function retryDelayMs(attempt: number, baseMs = 1000, capMs = 15 * 60_000, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
