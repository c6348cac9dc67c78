import { skuKey } from '@invsync/domain-catalog';
import { encodeCursor } from '@invsync/domain-shared';
import { webhookPlugin } from '@invsync/webhook';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBenchDatabase, type Engine, postgresAvailable } from './database';
import type { SizeName } from './dataset';
import { percentile, sleep, startBenchHost } from './host';
import { LISTING_BASE_COLUMNS, type TableRows } from './loader';
import { Random } from './random';

/** Listings on the measured channel per size (the second channel gets a tenth as many). */
export const B7_LISTINGS: Record<SizeName, number> = { quick: 20_000, medium: 1_000_000, large: 1_000_000 };
const REPS: Record<SizeName, number> = { quick: 2, medium: 40, large: 40 };
const PAGE = 50;

type Shown = 'synced' | 'sent' | 'pending' | 'error' | 'disabled' | 'conflict';
const SHOWN: readonly Shown[] = ['synced', 'pending', 'error', 'disabled', 'conflict', 'sent'];

export interface B7Case {
  name: string;
  /** The query string after `/live-listings?`. */
  query: string;
  reps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Items on the page (every repetition must return the expected page). */
  items: number;
}

export interface B7Walk {
  name: string;
  query: string;
  pages: number;
  items: number;
  expected: number;
  ms: number;
  /** The slowest page of the walk. */
  maxPageMs: number;
  /** Every page held exactly the expected listings, in order, and the walk ended where it should. */
  ok: boolean;
}

export interface B7Result {
  engine: Engine;
  listings: number;
  otherListings: number;
  products: number;
  /** Listings of the measured channel per status a person sees. */
  byStatus: Record<Shown, number>;
  /** Listings of the measured channel under the one-letter and the narrow prefix. */
  prefixes: { letter: string; letterCount: number; narrow: string; narrowCount: number };
  seedMs: number;
  /** SQLite: the database file (after a checkpoint); PostgreSQL: the schema's tables and indexes. */
  databaseMb: number;
  databaseWhat: string;
  cases: B7Case[];
  walks: B7Walk[];
  /** Pages that differed from the expected ones (empty when every answer was right). */
  mismatches: string[];
}

/** A UUID v7 as the host's `newId` makes it (48 bits of milliseconds, then random bits), from a seeded generator. */
function uuid7(ms: number, rnd: Random): string {
  const hex = ms.toString(16).padStart(12, '0');
  const r = () => (Math.floor(rnd.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  const rand = r() + r() + r();
  const variant = ((parseInt(rand[3], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rand.slice(0, 3)}-${variant}${rand.slice(4, 7)}-${rand.slice(7, 19)}`;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface Seeded {
  ids: string[];
  skus: string[];
  shown: Shown[];
}

/**
 * The two channels' listings, created over time in one id sequence (every eleventh one on the small
 * channel), each in the state the engine would leave it: mostly synced, some sent (a receipt waiting
 * for confirmation), dirty ones waiting for a pass and never-sent ones (both "pending"), a few hundred
 * errors, some conflicts and some with sync off ("disabled"). SKUs: a letter and 7 digits (fixed
 * width: every collation orders them alike), so SKU order is not id order.
 */
function seedRows(n: number, mainId: string, otherId: string, channels: Record<string, { marketplaceId: string; quantityPool: string }>, productIds: string[], createdAt: string) {
  const rnd = new Random(20250107);
  const main: Seeded = { ids: [], skus: [], shown: [] };
  const other = n / 10;
  const total = n + other;
  const errorEvery = Math.max(1, Math.floor(n / 300));
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  // Made while they are written (a million row arrays at once would take gigabytes).
  function* rows(): Iterable<unknown[]> {
    let onMain = 0;
    for (let i = 0; i < total; i++) {
      const isMain = i % 11 !== 10;
      const channelId = isMain ? mainId : otherId;
      const c = channels[channelId];
      const id = uuid7(t0 + i * 7, rnd);
      const number = String((i * 7_919) % 10_000_000).padStart(7, '0');
      const sku = `${LETTERS[rnd.int(0, 25)]}${number}`;
      // Rare states: errors a fixed few hundred on the measured channel; the others by share.
      const u = rnd.next();
      let shown: Shown = 'synced';
      if (isMain && onMain % errorEvery === errorEvery - 1 && onMain < errorEvery * 300) shown = 'error';
      else if (u < 0.001) shown = 'conflict';
      else if (u < 0.006) shown = 'disabled';
      else if (u < 0.011) shown = 'sent';
      else if (u < 0.013) shown = 'pending'; // dirty, waiting for a pass
      else if (u < 0.016) shown = 'pending'; // never sent
      const dirty = shown === 'pending' && u < 0.013;
      const neverSent = shown === 'pending' && !dirty;
      const stored = shown === 'disabled' ? 'synced' : dirty ? 'synced' : shown;
      const q = rnd.int(0, 40);
      yield [
        id,
        channelId,
        sku,
        skuKey(sku),
        c.marketplaceId,
        c.quantityPool,
        productIds[i % productIds.length],
        'merchant',
        '{}',
        shown !== 'disabled',
        createdAt,
        dirty,
        dirty ? createdAt : null,
        false,
        dirty ? 2 : 1,
        stored,
        shown === 'error' ? 3 : 0,
        neverSent ? null : q,
        neverSent ? null : q,
        neverSent ? null : createdAt,
        neverSent || shown === 'sent' ? null : q,
        neverSent || shown === 'sent' ? null : createdAt,
        shown === 'conflict' ? q + 1 : neverSent ? null : q,
        shown === 'error' ? 'webhook answered 500' : shown === 'conflict' ? 'the channel shows another quantity' : null,
        shown === 'sent' ? `receipt-${i}` : null,
      ];
      if (isMain) {
        main.ids.push(id);
        main.skus.push(skuKey(sku));
        main.shown.push(shown);
        onMain++;
      }
    }
  }
  return { rows: rows(), main, other };
}

/** B7's listings also carry errors and receipts (the states Live Listings shows). */
const LISTING_COLUMNS: TableRows['columns'] = [...LISTING_BASE_COLUMNS, ['last_error', 'text'], ['receipt', 'text']];

interface LivePage {
  items: { listingId: string; sku: string; status: string }[];
  nextCursor: string | null;
}

/**
 * B7: Live Listings (`GET /api/v1/channels/:id/live-listings`) on a channel of `n` merchant-fulfilled
 * listings (plus a channel of n/10), seeded straight into the host's database; pages of 50 timed
 * through the real host's HTTP API, each answer compared with the page the seeded states call for.
 */
export async function runB7(engine: Engine, dir: string, size: SizeName, log: (s: string) => void, keep = false): Promise<B7Result> {
  const n = B7_LISTINGS[size];
  const db = await createBenchDatabase(engine, dir, `live-${engine}`);
  const host = await startBenchHost({ databaseUrl: db.url, dataDir: dir, plugins: [webhookPlugin], logFile: join(dir, `live-${engine}-host.log`), env: { SYNC_DISPATCHER: 'off' } });
  try {
    const wh = (await host.call<{ id: string }>('POST', '/api/v1/warehouses', { code: 'MAIN', name: 'Main' }, 201)).body;
    // Sync on (so statuses show as stored), the dispatcher off: nothing is ever sent.
    const settings = { url: 'http://127.0.0.1:9/never', secret: 'whsec-bench-0123456789abcdef', syncInventory: true, onHandWarehouseIds: [wh.id] };
    type Ch = { id: string; marketplaceId: string; quantityPool: string };
    const mainCh = (await host.call<Ch>('POST', '/api/v1/channels', { type: 'webhook', name: 'Big shop', settings }, 201)).body;
    const otherCh = (await host.call<Ch>('POST', '/api/v1/channels', { type: 'webhook', name: 'Small shop', settings }, 201)).body;
    const channels = { [mainCh.id]: mainCh, [otherCh.id]: otherCh };

    const t0 = performance.now();
    const createdAt = '2026-01-01T00:00:00.000Z';
    const rnd = new Random(7);
    const products = Math.ceil(n / 5);
    const productIds: string[] = [];
    const productRows: unknown[][] = [];
    for (let j = 0; j < products; j++) {
      const id = uuid7(Date.parse('2025-12-01T00:00:00Z') + j, rnd);
      productIds.push(id);
      productRows.push([id, `P${String(j).padStart(7, '0')}`, `P${String(j).padStart(7, '0')}`, `Product ${j}`, 'stock', null, createdAt]);
    }
    await host.insert({ table: 'product', columns: [['id', 'text'], ['sku', 'text'], ['sku_key', 'text'], ['name', 'text'], ['kind', 'text'], ['parent_id', 'text'], ['created_at', 'text']], rows: productRows });
    const seeded = seedRows(n, mainCh.id, otherCh.id, channels, productIds, createdAt);
    await host.insert({ table: 'listing', columns: LISTING_COLUMNS, rows: seeded.rows });
    const schema = db.database.type === 'postgres' ? db.database.schema : null;
    let databaseMb: number;
    if (schema) {
      // As autovacuum would soon after such a load (the B1 loader does the same).
      for (const t of ['product', 'listing']) await host.ds.query(`ANALYZE "${schema}"."${t}"`);
      const [row] = (await host.ds.query(`SELECT SUM(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'r'`, [schema])) as { bytes: string }[];
      databaseMb = Number(row.bytes) / 1024 ** 2;
    } else {
      // SQLite is left as the host leaves it (it never runs ANALYZE); the WAL is folded in to measure the file.
      await host.ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
      const path = (db.database as { path: string }).path;
      databaseMb = [path, `${path}-wal`].filter(existsSync).reduce((s, f) => s + statSync(f).size, 0) / 1024 ** 2;
    }
    const seedMs = performance.now() - t0;
    log(`B7 on ${engine}: seeded ${n.toLocaleString('en-US')} + ${seeded.other.toLocaleString('en-US')} listings in ${(seedMs / 1000).toFixed(1)} s (${databaseMb.toFixed(0)} MB)`);

    // The seed held the event loop for a while: let the server close the keep-alive connections that
    // timed out meanwhile before the client reuses them (a reused one would be reset).
    await sleep(500);
    const m = seeded.main;
    const bySku = m.ids.map((_, i) => i).sort((a, b) => (m.skus[a] < m.skus[b] ? -1 : m.skus[a] > m.skus[b] ? 1 : 0));
    const byId = m.ids.map((_, i) => i);
    const letter = 'K';
    const narrow = 'K12';
    const mismatches: string[] = [];

    /** The page the seeded states call for: the first `PAGE` matching listings after the cursor key, and whether more follow. */
    const expected = (q: { status?: Shown; prefix?: string; after?: string }) => {
      const order = q.prefix ? bySku : byId;
      const key = (i: number) => (q.prefix ? m.skus[i] : m.ids[i]);
      const out: string[] = [];
      let more = false;
      for (const i of order) {
        if (q.after !== undefined && key(i) <= q.after) continue;
        if (q.prefix && !m.skus[i].startsWith(q.prefix)) continue;
        if (q.status && m.shown[i] !== q.status) continue;
        if (out.length === PAGE) {
          more = true;
          break;
        }
        out.push(m.ids[i]);
      }
      return { ids: out, more };
    };
    const path = (query: string) => `/api/v1/channels/${mainCh.id}/live-listings?limit=${PAGE}${query ? `&${query}` : ''}`;
    const fetchPage = async (query: string) => {
      const t = performance.now();
      const res = await host.call<LivePage>('GET', path(query), undefined, 200);
      return { ms: performance.now() - t, page: res.body };
    };
    const same = (name: string, page: LivePage, want: { ids: string[]; more: boolean }) => {
      const got = page.items.map((i) => i.listingId);
      const ok = got.length === want.ids.length && got.every((id, k) => id === want.ids[k]) && (page.nextCursor !== null) === want.more;
      if (!ok && mismatches.length < 20) mismatches.push(`${name}: ${got.length} items (${want.ids.length} expected), next ${page.nextCursor ? 'yes' : 'no'} (${want.more ? 'yes' : 'no'} expected)`);
      return ok;
    };

    const middleId = m.ids[Math.floor(m.ids.length / 2)];
    const letterKeys = bySku.filter((i) => m.skus[i].startsWith(letter));
    const middleSku = m.skus[letterKeys[Math.floor(letterKeys.length / 2)]];
    type Spec = { name: string; query: string; q: { status?: Shown; prefix?: string; after?: string } };
    const specs: Spec[] = [
      { name: 'first page', query: '', q: {} },
      { name: 'deep page (cursor at the middle)', query: `cursor=${encodeCursor([middleId])}`, q: { after: middleId } },
      ...SHOWN.map((s) => ({ name: `status=${s}`, query: `status=${s}`, q: { status: s } })),
      { name: 'status=pending, deep page', query: `status=pending&cursor=${encodeCursor([middleId])}`, q: { status: 'pending' as Shown, after: middleId } },
      { name: 'status=synced, deep page', query: `status=synced&cursor=${encodeCursor([middleId])}`, q: { status: 'synced' as Shown, after: middleId } },
      { name: `skuPrefix=${narrow} (narrow)`, query: `skuPrefix=${narrow}`, q: { prefix: narrow } },
      { name: `skuPrefix=${letter} (one letter)`, query: `skuPrefix=${letter}`, q: { prefix: letter } },
      { name: `skuPrefix=${letter.toLowerCase()} (one letter, lower case), deep page`, query: `skuPrefix=${letter.toLowerCase()}&cursor=${encodeCursor([middleSku])}`, q: { prefix: letter, after: middleSku } },
      { name: `skuPrefix=${letter} + status=error (rare)`, query: `skuPrefix=${letter}&status=error`, q: { prefix: letter, status: 'error' } },
      { name: `skuPrefix=${letter} + status=conflict (rare)`, query: `skuPrefix=${letter}&status=conflict`, q: { prefix: letter, status: 'conflict' } },
      { name: `skuPrefix=${narrow} + status=error (rare)`, query: `skuPrefix=${narrow}&status=error`, q: { prefix: narrow, status: 'error' } },
    ];
    const reps = REPS[size];
    const cases: B7Case[] = [];
    // One unmeasured pass over every case first: the first requests after a million-row load also pay
    // for the collector and cold caches.
    for (const spec of specs) await fetchPage(spec.query).catch(() => fetchPage(spec.query));
    for (const spec of specs) {
      const want = expected(spec.q);
      await fetchPage(spec.query).catch(() => fetchPage(spec.query)); // warm-up, unmeasured (once more on a reset connection)
      const times: number[] = [];
      let items = 0;
      for (let r = 0; r < reps; r++) {
        const { ms, page } = await fetchPage(spec.query);
        times.push(ms);
        items = page.items.length;
        same(spec.name, page, want);
      }
      cases.push({ name: spec.name, query: spec.query, reps, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: Math.max(...times), items });
      log(`B7 on ${engine}: ${spec.name}: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (${items} items)`);
    }

    // Walks: every page of a filter, following nextCursor, must be exactly the seeded listings.
    const walkSpecs: Spec[] = [
      { name: 'status=error', query: 'status=error', q: { status: 'error' } },
      { name: 'status=conflict', query: 'status=conflict', q: { status: 'conflict' } },
      { name: 'status=pending (dirty and never sent)', query: 'status=pending', q: { status: 'pending' } },
      { name: `skuPrefix=${narrow} (narrow)`, query: `skuPrefix=${narrow}`, q: { prefix: narrow } },
      { name: `skuPrefix=${letter} + status=error`, query: `skuPrefix=${letter}&status=error`, q: { prefix: letter, status: 'error' } },
    ];
    const walks: B7Walk[] = [];
    for (const w of walkSpecs) {
      const order = w.q.prefix ? bySku : byId;
      const all = order.filter((i) => (!w.q.prefix || m.skus[i].startsWith(w.q.prefix)) && (!w.q.status || m.shown[i] === w.q.status)).map((i) => m.ids[i]);
      const t = performance.now();
      let cursor: string | null = null;
      let pages = 0;
      let ok = true;
      const got: string[] = [];
      let maxPageMs = 0;
      do {
        const { ms: pageMs, page }: { ms: number; page: LivePage } = await fetchPage(w.query + (cursor ? `&cursor=${cursor}` : ''));
        maxPageMs = Math.max(maxPageMs, pageMs);
        pages++;
        got.push(...page.items.map((i) => i.listingId));
        if (page.items.length > PAGE || (page.nextCursor && page.items.length === 0)) ok = false;
        cursor = page.nextCursor;
      } while (cursor && pages <= all.length / PAGE + 2);
      const ms = performance.now() - t;
      if (cursor || got.length !== all.length || got.some((id, k) => id !== all[k])) ok = false;
      if (!ok) mismatches.push(`walk ${w.name}: ${got.length} listings in ${pages} pages, ${all.length} expected`);
      walks.push({ name: w.name, query: w.query, pages, items: got.length, expected: all.length, ms, maxPageMs, ok });
    }

    const byStatus = Object.fromEntries(SHOWN.map((s) => [s, 0])) as Record<Shown, number>;
    for (const s of m.shown) byStatus[s]++;
    return {
      engine,
      listings: n,
      otherListings: seeded.other,
      products,
      byStatus,
      prefixes: { letter, letterCount: m.skus.filter((k) => k.startsWith(letter)).length, narrow, narrowCount: m.skus.filter((k) => k.startsWith(narrow)).length },
      seedMs,
      databaseMb,
      databaseWhat: schema ? 'schema, tables and indexes' : 'database file',
      cases,
      walks,
      mismatches,
    };
  } finally {
    await host.close();
    // --keep leaves the database for a look at the query plans (the SQLite file under tmp/bench/live).
    if (!keep) await db.drop();
  }
}

/** What makes B7's numbers usable: every case measured, every page right. */
export function checkB7(results: B7Result[]): string[] {
  const problems: string[] = [];
  for (const r of results) {
    const tag = `B7 ${r.engine}`;
    if (!r.cases.length || r.cases.some((c) => !Number.isFinite(c.p50Ms) || !Number.isFinite(c.p99Ms))) problems.push(`${tag}: a measurement is missing`);
    for (const mm of r.mismatches) problems.push(`${tag}: wrong page: ${mm}`);
    if (r.byStatus.error === 0 || r.walks.some((w) => w.expected === 0 && w.name === 'status=error')) problems.push(`${tag}: no error listings seeded`);
  }
  return problems;
}

/** B7 on each engine asked for (PostgreSQL only when it answers; said in the notes otherwise). */
export async function runB7All(engines: Engine[], dir: string, size: SizeName, notes: string[], log: (s: string) => void, keep = false): Promise<B7Result[]> {
  const out: B7Result[] = [];
  for (const engine of engines) {
    if (engine === 'postgres' && !(await postgresAvailable())) {
      notes.push('PostgreSQL did not answer at TEST_PG_URL: B7 on PostgreSQL was not run.');
      continue;
    }
    log(`B7 on ${engine}: Live Listings on ${B7_LISTINGS[size].toLocaleString('en-US')} listings`);
    out.push(await runB7(engine, join(dir, 'live'), size, log, keep));
  }
  return out;
}
