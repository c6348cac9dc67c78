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

  it('serves a normal call before every queued background call', async () => {
    const limiter = new RateLimiter();
    const limit = { rate: 50, burst: 2 };
    const order: string[] = [];
    const background = Array.from({ length: 5 }, (_, i) => limiter.acquire('K', limit, undefined, 'background').then(() => order.push(`b${i}`)));
    await Promise.resolve();
    const normal = limiter.acquire('K', limit).then(() => order.push('n'));
    await Promise.all([...background, normal]);
    // b0 took a token at once (leaving the reserved one); the normal call was served next.
    expect(order).toEqual(['b0', 'n', 'b1', 'b2', 'b3', 'b4']);
  });

  it('serves an urgent call (a decrease) before every queued normal and background call', async () => {
    const limiter = new RateLimiter();
    const limit = { rate: 50, burst: 1 };
    const order: string[] = [];
    await limiter.acquire('K', limit); // the bucket is empty now
    const queued = [
      ...Array.from({ length: 3 }, (_, i) => limiter.acquire('K', limit).then(() => order.push(`n${i}`))),
      limiter.acquire('K', limit, undefined, 'background').then(() => order.push('b')),
    ];
    await Promise.resolve();
    const urgent = [0, 1].map((i) => limiter.acquire('K', limit, undefined, 'urgent').then(() => order.push(`u${i}`)));
    await Promise.all([...queued, ...urgent]);
    expect(order).toEqual(['u0', 'u1', 'n0', 'n1', 'n2', 'b']);
  });

  it('background calls leave half the bucket: a burst of 5 urgent reads passes at once after a confirmation round', async () => {
    const limiter = new RateLimiter({ now: () => 0 }); // no refill
    const limit = { rate: 5, burst: 10 };
    let background = 0;
    for (let i = 0; i < 8; i++) void limiter.acquire('K', limit, undefined, 'background').then(() => background++);
    await new Promise((r) => setImmediate(r));
    expect(background).toBe(5);
    const urgent = await Promise.all(Array.from({ length: 5 }, () => limiter.acquire('K', limit, undefined, 'urgent').then(() => 'granted')));
    expect(urgent).toEqual(Array(5).fill('granted'));
  });

  it('leaves one token for normal calls: a send does not wait behind a round of background reads', async () => {
    const limiter = new RateLimiter();
    const limit = { rate: 0.001, burst: 3 }; // no refill during the test
    let granted = 0;
    const ac = new AbortController();
    const background = Array.from({ length: 3 }, () => limiter.acquire('K', limit, ac.signal, 'background').then(() => granted++, () => 'aborted'));
    await new Promise((r) => setImmediate(r));
    expect(granted).toBe(2);
    await expect(limiter.acquire('K', limit)).resolves.toBeUndefined(); // the reserved token, at once
    expect(limiter.inspect('K')?.queued).toBe(1);
    ac.abort();
    expect(await Promise.all(background)).toEqual([0, 1, 'aborted']); // granted++ answers the old count
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
  it('is equal jitter: between half and all of an exponential ceiling capped at maxDelayMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
        const d = backoffDelay(retry, DEFAULT_RETRY_POLICY, () => r);
        const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (retry - 1));
        expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(d).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it('spaces the attempts of one call: at most three start within any second with the default policy', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: DEFAULT_RETRY_POLICY.maxAttempts - 1, maxLength: DEFAULT_RETRY_POLICY.maxAttempts - 1 }), (draws) => {
        const starts = [0];
        draws.forEach((r, i) => starts.push(starts[i] + backoffDelay(i + 1, DEFAULT_RETRY_POLICY, () => r)));
        for (const t of starts) expect(starts.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(3);
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
