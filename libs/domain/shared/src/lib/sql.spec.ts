import fc from 'fast-check';
import { openTestDataSource, type TestDataSource } from '../testing/test-data-source';
import { execute, insertRows, MAX_SQL_PARAMS, parameterList, startsWith } from './sql';

describe.each(['sqlite', 'postgres'] as const)('hand-built SQL helpers on %s', (engine) => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: [], migrations: [] });
    await t.ds.query(
      `CREATE TABLE item (seq ${engine === 'postgres' ? 'SERIAL' : 'INTEGER'} PRIMARY KEY, k varchar(20) NOT NULL, n integer NOT NULL, note varchar(50), CONSTRAINT uq_item_k UNIQUE (k))`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t.ds.query('DELETE FROM item');
  });

  const all = async () => ((await t.ds.query('SELECT k, n, note FROM item ORDER BY k')) as { k: string; n: number | string; note: string | null }[]).map((r) => ({ ...r, n: Number(r.n) }));

  it('inserts many rows across statements and answers the returned columns', async () => {
    // 3 columns: more rows than fit in one statement's parameters.
    const count = Math.floor(MAX_SQL_PARAMS / 3) + 17;
    const rows = Array.from({ length: count }, (_, i) => [`k${String(i).padStart(6, '0')}`, i, i % 2 ? null : `n${i}`]);
    const out = await insertRows<{ k: string; seq: number | string }>(t.ds.manager, 'item', ['k', 'n', 'note'], rows, { returning: ['k', 'seq'] });
    expect(out).toHaveLength(count);
    expect(new Set(out.map((r) => Number(r.seq))).size).toBe(count);
    const stored = await all();
    expect(stored).toHaveLength(count);
    expect(stored[3]).toEqual({ k: 'k000003', n: 3, note: null });
    expect(stored[4]).toEqual({ k: 'k000004', n: 4, note: 'n4' });
  });

  it('skips rows hitting a unique key with ignoreConflicts, and fails without it', async () => {
    await insertRows(t.ds.manager, 'item', ['k', 'n', 'note'], [['a', 1, null]]);
    await insertRows(t.ds.manager, 'item', ['k', 'n', 'note'], [['a', 2, null], ['b', 3, null]], { ignoreConflicts: true });
    expect(await all()).toEqual([
      { k: 'a', n: 1, note: null },
      { k: 'b', n: 3, note: null },
    ]);
    await expect(insertRows(t.ds.manager, 'item', ['k', 'n', 'note'], [['a', 9, null]])).rejects.toThrow();
    await expect(insertRows(t.ds.manager, 'item', ['k', 'n', 'note'], [['c', 9]])).rejects.toThrow(/2 values for 3 columns/);
  });

  it('binds values verbatim (property: any strings and integers round-trip) and counts affected rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.string({ maxLength: 20 }).filter((s) => !s.includes('\u0000')), { minLength: 1, maxLength: 20 }), fc.integer({ min: -1e9, max: 1e9 }), async (keys, n) => {
        await t.ds.query('DELETE FROM item');
        await insertRows(t.ds.manager, 'item', ['k', 'n', 'note'], keys.map((k) => [k, n, k]));
        const p = parameterList(t.ds.manager);
        const affected = await execute(t.ds.manager, `UPDATE item SET n = n + 1 WHERE k IN (${p.list(keys)})`, p.values);
        expect(affected).toBe(keys.length);
        const stored = await all();
        expect(stored.map((r) => r.note).sort()).toEqual([...keys].sort());
        expect(stored.every((r) => r.n === n + 1 && r.k === r.note)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('counts affected rows inside a transaction too', async () => {
    await insertRows(t.ds.manager, 'item', ['k', 'n', 'note'], [['a', 1, null], ['b', 2, null]]);
    const affected = await t.ds.transaction(async (em) => {
      const p = parameterList(em);
      return execute(em, `UPDATE item SET n = 0 WHERE n >= ${p.bind(2)}`, p.values);
    });
    expect(affected).toBe(1);
  });

  it('startsWith keeps exactly the keys starting with the prefix, wildcards and all (property)', async () => {
    const alphabet = ['A', 'B', '*', '?', '[', ']', '%', '_', '\\', '-', 'É'];
    const key = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { minLength: 1, maxLength: 12 }), fc.array(fc.constantFrom(...alphabet), { maxLength: 3 }).map((cs) => cs.join('')), async (keys, prefix) => {
        await t.ds.query('DELETE FROM item');
        await insertRows(t.ds.manager, 'item', ['k', 'n'], keys.map((k, i) => [k, i]));
        const w = startsWith(t.ds.manager, 'k', prefix);
        const got = ((await t.ds.createQueryBuilder().select('k').from('item', 'item').where(w.where, w.params).getRawMany()) as { k: string }[]).map((r) => r.k).sort();
        expect(got).toEqual(keys.filter((k) => k.startsWith(prefix)).sort());
      }),
      { numRuns: 60 },
    );
  });
});
