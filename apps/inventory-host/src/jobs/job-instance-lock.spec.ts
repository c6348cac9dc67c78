import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { JobInstanceLock } from './job-instance-lock';

describe.each(['sqlite', 'postgres'] as const)('JobInstanceLock on %s', (engine) => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: [], migrations: [] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is shared (coordinates instances) on PostgreSQL only', () => {
    expect(new JobInstanceLock(t.ds).shared).toBe(engine === 'postgres');
  });

  it('gives a job to one holder at a time on PostgreSQL, and to every caller on SQLite (one instance)', async () => {
    const a = new JobInstanceLock(t.ds);
    const b = new JobInstanceLock(t.ds);
    const first = await a.tryAcquire('host.x');
    expect(first).toBeDefined();
    const second = await b.tryAcquire('host.x');
    if (engine === 'postgres') expect(second).toBeUndefined();
    else expect(second).toBeDefined();
    const other = await b.tryAcquire('host.y');
    expect(other).toBeDefined();
    await other!.release();
    await second?.release();
    await first!.release();
    const again = await b.tryAcquire('host.x');
    expect(again).toBeDefined();
    await again!.release();
  });
});
