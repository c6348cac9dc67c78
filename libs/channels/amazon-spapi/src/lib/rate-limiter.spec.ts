import fc from 'fast-check';
import { RateLimiter } from './rate-limiter';
import { backoffDelay, DEFAULT_RETRY_POLICY } from './retry-policy';
import { endpointOfRegion, isEu, quantityPoolOf, regionOfMarketplace, AMAZON_MARKETPLACES } from './marketplaces';

describe('RateLimiter', () => {
  it('grants the burst at once, then paces; keys never wait for each other', async () => {
    const limiter = new RateLimiter();
    const limit = { rate: 20, burst: 3 };
    const t0 = performance.now();
    const done: Array<[string, number]> = [];
    const jobs = [
      ...Array.from({ length: 6 }, () => limiter.acquire('A', limit).then(() => done.push(['A', performance.now() - t0]))),
      ...Array.from({ length: 3 }, () => limiter.acquire('B', limit).then(() => done.push(['B', performance.now() - t0]))),
    ];
    await Promise.all(jobs);
    const a = done.filter(([k]) => k === 'A').map(([, t]) => t);
    const b = done.filter(([k]) => k === 'B').map(([, t]) => t);
    expect(Math.max(...b)).toBeLessThan(40); // B's own burst: no waiting behind A
    expect(a[5]).toBeGreaterThanOrEqual(140); // 3 at once, then 3 more at 50 ms each
  });

  it('aborts a waiter', async () => {
    const limiter = new RateLimiter();
    await limiter.acquire('K', { rate: 0.1, burst: 1 });
    const ac = new AbortController();
    const p = limiter.acquire('K', { rate: 0.1, burst: 1 }, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(limiter.inspect('K')?.queued).toBe(0);
  });

  it('retunes the rate', () => {
    const limiter = new RateLimiter();
    void limiter.acquire('K', { rate: 5, burst: 5 });
    expect(limiter.retune('K', 12)).toBe(true);
    expect(limiter.inspect('K')).toMatchObject({ rate: 12, burst: 5 });
    expect(limiter.retune('K', 12)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling capped at maxDelayMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
        const d = backoffDelay(retry, DEFAULT_RETRY_POLICY, () => r);
        const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (retry - 1));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
      }),
    );
  });
});

describe('marketplaces', () => {
  it('maps marketplaces to regions and endpoints', () => {
    expect(regionOfMarketplace('A1PA6795UKMFR9')).toBe('EU');
    expect(regionOfMarketplace('A1VC38T7YXB528')).toBe('FE');
    expect(endpointOfRegion('NA')).toBe('https://sellingpartnerapi-na.amazon.com');
    expect(isEu('A1F83G8C2ARO7P')).toBe(true);
    expect(isEu('ATVPDKIKX0DER')).toBe(false);
    expect(quantityPoolOf('S', 'A1F83G8C2ARO7P')).toBe(quantityPoolOf('S', 'A13V1IB3VIYZZH'));
    expect(quantityPoolOf('S', 'ATVPDKIKX0DER')).not.toBe(quantityPoolOf('S', 'A2EUQ1WTGCTBG2'));
    expect(AMAZON_MARKETPLACES).toHaveLength(23);
    expect(() => regionOfMarketplace('NOPE')).toThrow();
  });
});
