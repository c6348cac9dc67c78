import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the tests use (CI and every dev machine run one; see README). */
export const TEST_PG_URL = process.env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ThrowawaySchema {
  schema: string;
  /** DATABASE_URL selecting the schema (the host reads `?schema=`). */
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh schema for one test file; `drop()` removes it and everything in it. */
export async function createThrowawaySchema(prefix = 't'): Promise<ThrowawaySchema> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await client.end();
  }
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return {
    schema,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
