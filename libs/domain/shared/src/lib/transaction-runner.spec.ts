import { openTestDataSource, type TestDataSource } from '../testing/test-data-source';
import { queryNamed, tableRef } from './sql';
import { isUniqueViolation, TransactionRunner } from './transaction-runner';

describe.each(['sqlite', 'postgres'] as const)('TransactionRunner on %s', (engine) => {
  let t: TestDataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: [], migrations: [] });
    runner = TransactionRunner.for(t.ds);
    await t.ds.query('CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL)');
    await t.ds.query('INSERT INTO counter (id, n) VALUES (1, 0)');
  });
  afterAll(async () => {
    await t?.close();
  });

  const read = async () => (await t.ds.query('SELECT n FROM counter WHERE id = 1'))[0].n as number;

  it('is one runner per DataSource', () => {
    expect(TransactionRunner.for(t.ds)).toBe(runner);
    expect(runner.engine).toBe(engine);
  });

  it('runs 100 concurrent read-modify-write transactions without losing one (serialised on SQLite)', async () => {
    if (engine === 'postgres') return; // read-modify-write needs locks on PG; the ledger uses conditional updates there
    await Promise.all(
      Array.from({ length: 100 }, () =>
        runner.run(async (em) => {
          const [{ n }] = await em.query('SELECT n FROM counter WHERE id = 1');
          await new Promise((r) => setImmediate(r));
          await queryNamed(em, 'UPDATE counter SET n = :n WHERE id = 1', { n: Number(n) + 1 });
        }),
      ),
    );
    expect(await read()).toBe(100);
  });

  it('rolls back everything when fn throws, and joins nested runs', async () => {
    const before = await read();
    await expect(
      runner.run(async (em) => {
        await em.query('UPDATE counter SET n = n + 1000 WHERE id = 1');
        await runner.run(async (inner) => {
          expect(inner).toBe(em);
          await inner.query('UPDATE counter SET n = n + 1 WHERE id = 1');
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await read()).toBe(before);
    expect(await runner.read(async () => 'ok')).toBe('ok');
  });

  it('retries serialization failures on PostgreSQL only', async () => {
    let calls = 0;
    const fn = async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return calls;
    };
    if (engine === 'postgres') {
      expect(await runner.run(fn)).toBe(2);
    } else {
      await expect(runner.run(fn)).rejects.toThrow(/serialize/);
    }
  });

  it('recognises unique violations', async () => {
    await t.ds.query('CREATE TABLE uq_test (k varchar(10) NOT NULL, CONSTRAINT uq_test_k UNIQUE (k))');
    await t.ds.query("INSERT INTO uq_test (k) VALUES ('a')");
    const err = await t.ds.query("INSERT INTO uq_test (k) VALUES ('a')").catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('x'))).toBe(false);
  });

  it('qualifies table names for raw SQL', () => {
    expect(typeof tableRef).toBe('function');
  });
});
