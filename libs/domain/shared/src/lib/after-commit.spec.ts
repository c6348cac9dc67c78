import { openTestDataSource, type TestDataSource } from '../testing/test-data-source';
import type { ChangeTopic } from './commit-listeners';
import { TransactionRunner } from './transaction-runner';

describe.each(['sqlite', 'postgres'] as const)('TransactionRunner after-commit hook on %s', (engine) => {
  let t: TestDataSource;
  let runner: TransactionRunner;
  let heard: ChangeTopic[][];
  let off: () => void;

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: [], migrations: [] });
    runner = TransactionRunner.for(t.ds);
    await t.ds.query('CREATE TABLE hook_counter (id integer PRIMARY KEY, n integer NOT NULL)');
    await t.ds.query('INSERT INTO hook_counter (id, n) VALUES (1, 0)');
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    heard = [];
    off = runner.afterCommit((topics) => heard.push([...topics].sort()));
  });
  afterEach(() => off());

  const bump = (em: { query(sql: string): Promise<unknown> }) => em.query('UPDATE hook_counter SET n = n + 1 WHERE id = 1');
  const count = async () => Number((await t.ds.query('SELECT n FROM hook_counter WHERE id = 1'))[0].n);

  it('tells listeners once after the commit, with the declared topics, and the change is visible to them', async () => {
    let seenByListener = -1;
    const offSeen = runner.afterCommit(() => {
      void count().then((n) => (seenByListener = n));
    });
    const before = await count();
    const out = await runner.run(async (em) => {
      await bump(em);
      runner.changed('orders');
      runner.changed('onHand', 'orders');
      expect(heard).toEqual([]);
      return 'done';
    });
    offSeen();
    expect(out).toBe('done');
    expect(heard).toEqual([['onHand', 'orders']]);
    await new Promise((r) => setTimeout(r, 50));
    expect(seenByListener).toBe(before + 1);
  });

  it('tells nobody after a rollback', async () => {
    await expect(
      runner.run(async (em) => {
        await bump(em);
        runner.changed('listings');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(heard).toEqual([]);
  });

  it('tells nobody when nothing was declared', async () => {
    await runner.run(bump);
    expect(heard).toEqual([]);
  });

  it('joins nested runs, runs on the same EntityManager and the ledger-style run({ em }) into one notice after the outermost commit', async () => {
    await runner.run(async (em) => {
      runner.changed('channels');
      await runner.run(async () => {
        runner.changed('listings');
        await runner.run(async () => runner.changed('listings'));
      });
      await runner.run(async () => runner.changed('onHand'), { em });
      // An EntityManager handed to another async context still belongs to this transaction.
      await runner.detached(() => runner.run(async () => runner.changed('orders'), { em }));
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual([['channels', 'listings', 'onHand', 'orders']]);
  });

  it('tells nobody when an inner run declared and the outer transaction rolled back', async () => {
    await expect(
      runner.run(async () => {
        await runner.run(async (em) => {
          await bump(em);
          runner.changed('orders');
        });
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(heard).toEqual([]);
  });

  it('keeps the committer and the other listeners safe from a throwing or rejecting listener', async () => {
    const offThrow = runner.afterCommit(() => {
      throw new Error('listener bug');
    });
    const offReject = runner.afterCommit((async () => {
      throw new Error('async listener bug');
    }) as () => void);
    const before = await count();
    await expect(
      runner.run(async (em) => {
        await bump(em);
        runner.changed('onHand');
        return 7;
      }),
    ).resolves.toBe(7);
    offThrow();
    offReject();
    expect(heard).toEqual([['onHand']]);
    expect(await count()).toBe(before + 1);
  });

  it('lets a listener write in a transaction of its own', async () => {
    const offWrite = runner.afterCommit((topics) => {
      if (topics.has('orders')) void runner.run(async (em) => bump(em));
    });
    const before = await count();
    await runner.run(async () => runner.changed('orders'));
    offWrite();
    // The listener's transaction commits on its own, after the first one.
    await runner.run(async () => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(await count()).toBe(before + 1);
  });

  it('refuses a declaration outside a write transaction', async () => {
    expect(() => runner.changed('orders')).toThrow(/outside run/);
    await expect(runner.read(async () => runner.changed('orders'))).rejects.toThrow(/outside run/);
  });

  it('counts only the attempt that committed when PostgreSQL retries', async () => {
    let calls = 0;
    const fn = async () => {
      calls++;
      runner.changed(calls === 1 ? 'channels' : 'orders');
      if (calls === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    };
    if (engine === 'postgres') {
      await runner.run(fn);
      expect(heard).toEqual([['orders']]);
    } else {
      await expect(runner.run(fn)).rejects.toThrow(/serialize/);
      expect(heard).toEqual([]);
    }
  });

  it('serialises concurrent committers and tells each its own topics', async () => {
    await Promise.all([
      runner.run(async (em) => {
        await bump(em);
        runner.changed('orders');
      }),
      runner.run(async (em) => {
        await bump(em);
        runner.changed('listings');
      }),
    ]);
    expect(heard.sort()).toEqual([['listings'], ['orders']]);
  });
});
