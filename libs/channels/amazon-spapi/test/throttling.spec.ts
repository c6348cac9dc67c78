import { RateLimiter, ServerError, rateLimitKey, ThrottledError, TimeoutError, type RetryInfo } from '../src';
import { clientFor, sandbox, seedSeller, EU_UK, type AmazonSandbox } from './support/sandbox';

const skus = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Token-bucket conformance: any run of calls i..j fits burst + rate * (t_j - t_i). */
function worstExcess(times: number[], rate: number, burst: number): number {
  let worst = -Infinity;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const allowed = burst + (rate * (times[j] - times[i])) / 1000;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
}

describe('SpApiClient against the sandbox: rate limits and retries', () => {
  let sb: AmazonSandbox;
  afterEach(() => sb.close());

  it('sends a burst of 50 patches for one seller at no more than 5/s with burst 5, and all land', async () => {
    sb = await sandbox(); // Amazon's usage plans
    seedSeller(sb, 'BURST');
    const list = skus('B', 50);
    sb.admin.seedListings(list.map((sku) => ({ sellerId: 'BURST', sku, marketplaceId: EU_UK, quantity: 0 })));
    const c = clientFor(sb, 'BURST', { retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 } });
    const results = await Promise.all(list.map((sku, i) => c.listingsItems.patchListingsItemQuantity(sku, [EU_UK], i + 1)));
    expect(results.every((r) => r.status === 'ACCEPTED')).toBe(true);
    const calls = sb.admin.calls({ operation: 'patchListingsItem', sellerId: 'BURST' });
    const landed = calls.filter((x) => x.status === 200);
    expect(new Set(landed.map((x) => x.sku)).size).toBe(50);
    // Everything that reached the sandbox (200 or 429) respects 5/s burst 5, with one call of slack for jitter.
    expect(worstExcess(calls.map((x) => x.timeMs), 5, 5)).toBeLessThanOrEqual(1);
    expect(sb.admin.quantities({ sellerId: 'BURST', sku: 'B-49' })[0]?.['quantity']).toBe(50);
  }, 30_000);

  it('a throttled seller does not slow another seller', async () => {
    sb = await sandbox();
    seedSeller(sb, 'SLOW');
    seedSeller(sb, 'FAST');
    sb.admin.seedListings([...skus('S', 25).map((sku) => ({ sellerId: 'SLOW', sku, marketplaceId: EU_UK })), ...skus('F', 5).map((sku) => ({ sellerId: 'FAST', sku, marketplaceId: EU_UK }))]);
    sb.admin.injectFault({ kind: '429', count: 20, sellerId: 'SLOW', operation: 'patchListingsItem' });
    const limiter = new RateLimiter(); // one limiter shared by both clients, as in production
    const slow = clientFor(sb, 'SLOW', { rateLimiter: limiter, retry: { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 400 } });
    const fast = clientFor(sb, 'FAST', { rateLimiter: limiter });
    let slowDone = 0;
    const slowAll = Promise.all(skus('S', 25).map((sku) => slow.listingsItems.patchListingsItemQuantity(sku, [EU_UK], 1).then(() => (slowDone = performance.now()))));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await Promise.all(skus('F', 5).map((sku) => fast.listingsItems.patchListingsItemQuantity(sku, [EU_UK], 2)));
    const fastMs = performance.now() - t0;
    await slowAll;
    expect(fastMs).toBeLessThan(2000); // 5 calls within FAST's own burst: no waiting for SLOW's queue or backoff
    expect(slowDone - t0).toBeGreaterThan(fastMs);
    expect(sb.admin.calls({ sellerId: 'FAST', operation: 'patchListingsItem' }).every((x) => x.status === 200)).toBe(true);
  }, 30_000);

  it.each([
    ['429', ThrottledError, 429, 'QuotaExceeded'],
    ['500', ServerError, 500, 'InternalFailure'],
  ] as const)('retries %s with growing delays up to the cap, then reports it', async (kind, ErrorClass, status, code) => {
    sb = await sandbox({ rateLimits: 'off' });
    seedSeller(sb, 'RETRY');
    sb.admin.seedListings({ sellerId: 'RETRY', sku: 'R-1', marketplaceId: EU_UK });
    sb.admin.injectFault({ kind, count: 10, operation: 'patchListingsItem' });
    const retries: RetryInfo[] = [];
    const c = clientFor(sb, 'RETRY', { retry: { maxAttempts: 5, baseDelayMs: 40, maxDelayMs: 150 }, random: () => 1, onRetry: (i) => retries.push(i) });
    const err = await c.listingsItems.patchListingsItemQuantity('R-1', [EU_UK], 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorClass);
    expect(err).toMatchObject({ status, attempts: 5, operation: 'patchListingsItem', retryable: true });
    expect((err as ThrottledError).amazonErrors[0].code).toBe(code);
    expect(retries.map((r) => r.delayMs)).toEqual([40, 80, 150, 150]);
    const times = sb.admin.calls({ operation: 'patchListingsItem' }).map((x) => x.timeMs);
    expect(times).toHaveLength(5);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    [40, 80, 150, 150].forEach((d, i) => expect(gaps[i]).toBeGreaterThanOrEqual(d - 5));
  });

  it('recovers when a fault clears before the cap, and reports timeouts as TimeoutError', async () => {
    sb = await sandbox({ rateLimits: 'off' });
    seedSeller(sb, 'RETRY');
    sb.admin.seedListings({ sellerId: 'RETRY', sku: 'R-1', marketplaceId: EU_UK });
    sb.admin.injectFault({ kind: '500', count: 2, operation: 'patchListingsItem' });
    const c = clientFor(sb, 'RETRY', { timeoutMs: 150, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    expect((await c.listingsItems.patchListingsItemQuantity('R-1', [EU_UK], 3)).status).toBe('ACCEPTED');
    sb.admin.injectFault({ kind: 'timeout', count: 3, operation: 'getListingsItem', hangMs: 2000 });
    const err = await c.listingsItems.getListingsItem('R-1', [EU_UK]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ attempts: 3, status: undefined });
  });

  it('retunes the rate from x-amzn-RateLimit-Limit', async () => {
    sb = await sandbox({ rateLimits: { patchListingsItem: { rate: 10, burst: 5 } } });
    seedSeller(sb, 'TUNE');
    sb.admin.seedListings({ sellerId: 'TUNE', sku: 'T', marketplaceId: EU_UK });
    const limiter = new RateLimiter();
    const c = clientFor(sb, 'TUNE', { rateLimiter: limiter });
    await c.listingsItems.patchListingsItemQuantity('T', [EU_UK], 1);
    expect(limiter.inspect(rateLimitKey('TUNE', 'EU', 'patchListingsItem'))?.rate).toBe(10);
  });

  it('a reserved patch takes its token before the read, and the patch itself takes none', async () => {
    sb = await sandbox();
    seedSeller(sb, 'RESV');
    sb.admin.seedListings([{ sellerId: 'RESV', sku: 'R', marketplaceId: EU_UK, quantity: 3 }]);
    const limiter = new RateLimiter({ now: () => 0 }); // no refill: tokens are counted exactly
    const c = clientFor(sb, 'RESV', { rateLimiter: limiter });
    const key = rateLimitKey('RESV', 'EU', 'patchListingsItem');
    await c.listingsItems.reservePatch(undefined, 'urgent');
    expect(limiter.inspect(key)?.tokens).toBe(4);
    await c.listingsItems.getListingsItem('R', [EU_UK], ['fulfillmentAvailability']);
    expect((await c.listingsItems.patchListingsItemQuantity('R', [EU_UK], 2, { reserved: true, priority: 'urgent' })).status).toBe('ACCEPTED');
    expect(limiter.inspect(key)?.tokens).toBe(4);
    expect(sb.admin.quantities({ sellerId: 'RESV', sku: 'R' })[0]?.['quantity']).toBe(2);
  });
});
