import { AsyncMutex } from './async-mutex';

describe('AsyncMutex', () => {
  it('runs functions one at a time in call order, even when one fails', async () => {
    const m = new AsyncMutex();
    const log: string[] = [];
    const task = (name: string, fail = false) =>
      m.runExclusive(async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(m.pending).toBe(0);
  });
});
