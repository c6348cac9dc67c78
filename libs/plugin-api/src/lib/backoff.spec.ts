import fc from 'fast-check';
import { jitteredBackoffMs } from './backoff';

describe('jitteredBackoffMs', () => {
  it('doubles per attempt from half to all of the step, capped', () => {
    expect([1, 2, 3, 4].map((n) => jitteredBackoffMs(n, 100, 10_000, () => 1))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((n) => jitteredBackoffMs(n, 100, 10_000, () => 0))).toEqual([50, 100, 200, 400]);
    expect(jitteredBackoffMs(20, 100, 10_000, () => 1)).toBe(10_000);
    expect(jitteredBackoffMs(0, 100, 10_000, () => 1)).toBe(100);
  });

  it('stays within [ceiling/2, ceiling] for any attempt and draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, base, r) => {
        const ceiling = Math.min(60_000, base * 2 ** (attempt - 1));
        const d = jitteredBackoffMs(attempt, base, 60_000, () => r);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }),
    );
  });
});
