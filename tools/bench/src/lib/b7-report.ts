import { RARE_STATUS_ROWS } from '@invsync/domain-channels';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { B7Result } from './b7-live-listings';

export const B7_HEADING = '## B7 Live Listings at a million listings';
/** Above this p99 a Live Listings page is called slow. */
export const B7_SLOW_MS = 100;

const n = (v: number) => Math.round(v).toLocaleString('en-US');
const ms = (v: number) => (v < 10 ? v.toFixed(1) : n(v));

/** docs/benchmarks.md's B7 section (empty when B7 did not run). */
export function renderB7(results: B7Result[] | undefined, run?: { command: string; started: string; machine?: { cores: number; cpu: string; node: string; loadAverage: number[] } }): string[] {
  if (!results?.length) return [];
  const r0 = results[0];
  const out: string[] = [B7_HEADING, ''];
  if (run) {
    const m = run.machine;
    out.push(`Written by \`${run.command}\` on ${run.started.slice(0, 10)} (an \`--only=b7\` run replaces this section only)${m ? ` on ${m.cpu}, ${m.cores} cores, Node.js ${m.node}, load average at start ${m.loadAverage.join(', ')} (the machine is shared: other work ran beside the benchmark, so single slow requests in p99 may be theirs)` : ''}.`, '');
  }
  out.push(
    `A fresh host per engine (the real \`createApp\`, in the benchmark's process, dispatcher and scheduler off: nothing is sent), two webhook channels with sync on. **${n(r0.listings)} merchant-fulfilled listings on the measured channel** and ${n(r0.otherListings)} on a second one (every eleventh listing created goes there, so the channel id is selective as in a real database), over ${n(r0.products)} products, written straight into the migrated tables (bulk INSERTs in big transactions: better-sqlite3 prepared statements, PostgreSQL \`INSERT ... SELECT FROM unnest(...)\` of 20,000 rows, with every index of the host in place; PostgreSQL analyzed afterwards as autovacuum would, SQLite left as the host leaves it). Ids are UUID v7 as \`newId\` makes them (time first: creation order is id order). SKUs are a letter and 7 digits, so SKU order is not id order; ` +
      `"${r0.prefixes.letter}" matches ${n(r0.prefixes.letterCount)} listings of the channel, "${r0.prefixes.narrow}" ${n(r0.prefixes.narrowCount)}. ` +
      `States shown on the measured channel: ${Object.entries(r0.byStatus).map(([s, c]) => `${s} ${n(c)}`).join(', ')} (pending: dirty listings waiting for a pass and never-sent ones; disabled: sync off on the listing; sent: a receipt waiting for confirmation).`,
    '',
    `Each case is \`GET /api/v1/channels/:id/live-listings?limit=50&...\` through HTTP with the admin token, one request at a time, one unmeasured warm-up then ${r0.cases[0]?.reps ?? 0} measured repetitions; the time is the whole request (guards, validation, the listings query, the page's product SKUs, parked orders). Every answer is compared with the page the seeded states call for (same listings, same order, a next cursor exactly when more follow), and the walks follow \`nextCursor\` to the end of a filter and must return exactly the seeded listings, so a fast wrong answer fails the run.`,
    '',
  );
  out.push(`| case (page of 50) | ${results.map((r) => `${r.engine} p50 / p99`).join(' | ')} |`, `|---|${results.map(() => '---|').join('')}`);
  for (let i = 0; i < r0.cases.length; i++) {
    out.push(`| ${r0.cases[i].name} | ${results.map((r) => { const c = r.cases[i]; return c ? `${ms(c.p50Ms)} / ${c.p99Ms > B7_SLOW_MS ? `**${ms(c.p99Ms)}**` : ms(c.p99Ms)} ms (${c.items} item${c.items === 1 ? '' : 's'})` : '–'; }).join(' | ')} |`);
  }
  out.push(`| seed (products and listings) | ${results.map((r) => `${(r.seedMs / 1000).toFixed(1)} s`).join(' | ')} |`);
  out.push(`| database size | ${results.map((r) => `${n(r.databaseMb)} MB (${r.databaseWhat})`).join(' | ')} |`);
  for (let i = 0; i < r0.walks.length; i++) {
    out.push(`| walk to the end: ${r0.walks[i].name} | ${results.map((r) => { const w = r.walks[i]; return w ? `${w.ok ? 'right' : '**wrong**'}: ${n(w.items)} of ${n(w.expected)} listings, ${w.pages} page${w.pages === 1 ? '' : 's'}, ${ms(w.ms / w.pages)} ms a page (slowest ${ms(w.maxPageMs ?? NaN)})` : '–'; }).join(' | ')} |`);
  }
  out.push(`| every page right | ${results.map((r) => (r.mismatches.length ? `**no** (${r.mismatches.length})` : 'yes')).join(' | ')} |`, '');
  out.push(...readingB7(results));
  return out;
}

/**
 * Why a case is slow on an engine: what its query plan does (seen with EXPLAIN on the 1,000,000-listing
 * databases of a `--keep` run), and what would make it an index range. Empty for a case not explained.
 */
function causeOf(engine: string, name: string): string {
  // Rare statuses are read by status and sorted since RARE_STATUS_ROWS; this explains a run before that.
  if (engine === 'sqlite' && /^skuPrefix=.* \+ status=/.test(name))
    return 'SQLite answers it from `uq_listing_channel_sku` (channel_id, sku_key) alone (`SEARCH l USING INDEX uq_listing_channel_sku (channel_id=? AND sku_key>? AND sku_key<?)`) and checks the status on every row of the prefix range, reading each row from the table; a page of a rare status never fills, so every request walks the whole prefix range. Bounded by the prefix range, not by the page. What would fix it: SKU-ordered indexes per status, e.g. (channel_id, fulfilment, sync_enabled, status, sku_key), and one ORDER BY sku_key LIMIT 51 over a UNION ALL of the alternatives (the database merges them in its own collation order), or, for the rare statuses (error, conflict, disabled: a few hundred to a few thousand rows), reading them by status and sorting the few matches by SKU, which is what PostgreSQL\'s planner already does here';
  if (engine === 'postgres' && /^skuPrefix=[^ ]+ \(narrow\)/.test(name))
    return 'PostgreSQL estimates a narrow prefix at a few rows, and the index condition `startsWith` gives it is only the lower bound `sku_key >= prefix` (`LIKE \'K12%\'` yields no upper bound under the database\'s collation, C.UTF-8 here, which PostgreSQL does not treat as C): the range looks like the rest of the channel, so it picks a parallel sequential scan of the whole listing table and a sort (EXPLAIN: Parallel Seq Scan, about 1.1 million rows removed by the filter). It grows with the table, not the page, and a one-letter prefix is fast only because its estimate is large enough for LIMIT to favour the index. What would fix it: an upper bound in the index condition (e.g. compare `sku_key COLLATE "C"` against prefix and prefix + U+FFFF, with the unique index built with that collation, or a (channel_id, sku_key text_pattern_ops) index), so the prefix is an exact range on both engines';
  if (engine === 'postgres' && /^status=pending/.test(name))
    return 'The dirty-backlog alternative (`l.id IN (SELECT d.id FROM listing d WHERE d.dirty = true)`) is planned on PostgreSQL as a walk of the primary key from its first id, filtering dirty rows, then a nested loop to `l` (it avoids sorting by id; `idx_listing_dirty` is not used and the cursor applies to `l` only), so a page reads every listing before its cursor (EXPLAIN ANALYZE at 1,000,000 listings: 16 ms for the first page, 575,000 rows and 200 ms for a cursor at the middle, the whole table for the last page). What would fix it: the cursor and channel inside the subquery (`d.channel_id = :channelId AND d.id > :after`) on a partial index (channel_id, id) WHERE dirty, like the confirmation rounds\' `idx_listing_receipt`';
  return '';
}

/** What bounds each number, and which cases are slow. */
function readingB7(results: B7Result[]): string[] {
  const find = (r: B7Result, prefix: string) => r.cases.find((c) => c.name.startsWith(prefix));
  const p99 = (prefix: string) => results.map((r) => `${ms(find(r, prefix)?.p99Ms ?? NaN)} ms on ${r.engine}`).join(', ');
  const r0 = results[0];
  const out = ['Reading (p99 of a page of 50):', ''];
  const pg = results.find((r) => r.engine === 'postgres');
  const pgPendingSlow = !!pg && (pg.cases.some((c) => c.name.startsWith('status=pending') && c.p99Ms > B7_SLOW_MS) || pg.walks.some((w) => w.name.startsWith('status=pending') && (w.maxPageMs ?? 0) > B7_SLOW_MS));
  const pgNarrowSlow = !!pg && pg.cases.some((c) => c.name.endsWith('(narrow)') && c.p99Ms > B7_SLOW_MS);
  out.push(
    `- **Id order** (first page ${p99('first page')}; deep page ${p99('deep page')}): one range of \`idx_listing_channel_id\` (channel, id) from the cursor, 51 rows, whatever the channel's size or the cursor's depth. What remains is the HTTP request itself and the page's two small lookups (product SKUs by id, parked orders).`,
    `- **A status** (\`merchantStatusWhere\`): each alternative is a range of \`idx_listing_channel_status\` (channel, fulfilment, switch, status, id), read in id order from the cursor and merged by id in JavaScript, plus the channel-fulfilled alternative (an empty range here). One range for error, conflict, sent and synced (synced and sent also skip the dirty rows they meet: few), six for disabled (sync off with each stored status), three for pending (stored pending, stored disabled, and the dirty backlog through the partial (channel, id) index of dirty listings), so disabled and pending cost a few more queries, not more rows, and a rare status costs what a common one does. Synced ${p99('status=synced')}; error ${p99('status=error')}; disabled ${p99('status=disabled')}; pending ${p99('status=pending')}, deep ${p99('status=pending, deep page')}.${pgPendingSlow ? ' The exception is the dirty backlog on PostgreSQL (below).' : ''}`,
    `- **A SKU prefix** (\`skuPrefix\`): SKU order on the unique (channel_id, sku_key) index, the prefix as a range (GLOB on SQLite, \`>=\` + LIKE on PostgreSQL); where the planner uses that range a page reads its first 51 rows, so a narrow prefix (${n(r0.prefixes.narrowCount)} listings) and a one-letter one (${n(r0.prefixes.letterCount)}) cost alike: ${p99(`skuPrefix=${r0.prefixes.narrow} (narrow)`)} and ${p99(`skuPrefix=${r0.prefixes.letter} (one letter)`)}.${pgNarrowSlow ? ' PostgreSQL does not use it for the narrow prefix (below).' : ''}`,
    `- **A SKU prefix with a rare status** (${n(r0.byStatus.error)} errors, ${n(r0.byStatus.conflict)} conflicts among ${n(r0.listings)} listings): in SKU order the alternatives are one OR-ed query. A status with at most ${n(RARE_STATUS_ROWS)} listings in the channel (a count that stops there, on \`idx_listing_channel_status\`) is read through that index and its matches under the prefix sorted by SKU, on SQLite by keeping the SKU index out of the query (\`+l.sku_key\`), as PostgreSQL's planner does by itself (a bitmap OR of the status ranges): bounded by the status's count, not by the prefix range (${p99(`skuPrefix=${r0.prefixes.letter} + status=error`)} under "${r0.prefixes.letter}", ${n(r0.prefixes.letterCount)} listings; ${p99(`skuPrefix=${r0.prefixes.narrow} + status=error`)} under "${r0.prefixes.narrow}"). A commoner status walks the prefix range on the SKU index, where its page fills quickly.`,
  );
  const slow = results.flatMap((r) => r.cases.filter((c) => c.p99Ms > B7_SLOW_MS).map((c) => ({ r, c })));
  const walksSlow = results.flatMap((r) => r.walks.filter((w) => (w.maxPageMs ?? 0) > B7_SLOW_MS).map((w) => ({ r, w })));
  if (slow.length || walksSlow.length) {
    out.push(`- **Slow: over ${B7_SLOW_MS} ms p99 at ${n(r0.listings)} listings** (the product code is unchanged by this benchmark; the remedies are proposals):`);
    // One line per cause (on an engine), naming the cases and walks it makes slow.
    const groups = new Map<string, string[]>();
    const add = (engine: string, name: string, what: string) => {
      const cause = causeOf(engine, name) || `Not explained here (look at its plan on ${engine})`;
      groups.set(cause, [...(groups.get(cause) ?? []), what]);
    };
    for (const { r, c } of slow) add(r.engine, c.name, `${c.name} on ${r.engine}: p99 **${ms(c.p99Ms)} ms** (p50 ${ms(c.p50Ms)})`);
    for (const { r, w } of walksSlow) add(r.engine, w.name, `walking ${w.name} on ${r.engine}: slowest page ${ms(w.maxPageMs)} ms (${ms(w.ms / w.pages)} ms a page over ${w.pages} page${w.pages === 1 ? '' : 's'})`);
    // Cases with the same cause that stayed under the line are named beside them (same plan, luckier timing).
    for (const r of results)
      for (const c of r.cases) {
        const cause = causeOf(r.engine, c.name);
        if (cause && groups.has(cause) && c.p99Ms <= B7_SLOW_MS) groups.get(cause)?.push(`${c.name} on ${r.engine}, same plan: p99 ${ms(c.p99Ms)} ms (p50 ${ms(c.p50Ms)})`);
      }
    for (const [cause, what] of groups) out.push(`  - ${what.join('; ')}. ${cause}.`);
  } else out.push(`- No case is over ${B7_SLOW_MS} ms p99 at ${n(r0.listings)} listings.`);
  const engines = results.map((r) => (r.engine === 'sqlite' ? 'SQLite (the default database: the file the host opens, never analyzed)' : 'PostgreSQL (a throwaway schema on the local server, analyzed after the load)'));
  out.push(`- Engines run: ${engines.join('; ')}. ${results.every((r) => !r.mismatches.length) ? 'Every page was right on each.' : 'Some pages were **wrong** (see the problems above).'}`);
  out.push('');
  return out;
}

/**
 * The document with its B7 section replaced by (or, when it has none, given) `section`: placed after
 * B4's section when there is one, before the reading otherwise. The other sections are left byte for byte.
 */
export function mergeB7Section(doc: string, section: string[]): string {
  const lines = doc.split('\n');
  const body = section.join('\n').replace(/\n+$/, '') + '\n';
  const isHeading = (l: string) => /^## /.test(l);
  const start = lines.findIndex((l) => l.startsWith('## B7 '));
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && isHeading(l) && !l.startsWith('## B7 '));
    if (end < 0) end = lines.length;
    return [...lines.slice(0, start), ...body.split('\n'), ...lines.slice(end)].join('\n');
  }
  const b4 = lines.findIndex((l) => l.startsWith('## B4 '));
  let at = b4 >= 0 ? lines.findIndex((l, i) => i > b4 && isHeading(l)) : lines.findIndex((l) => l.startsWith('## Reading'));
  if (at < 0) at = lines.length;
  return [...lines.slice(0, at), ...body.split('\n'), ...lines.slice(at)].join('\n');
}

/** Reads `path` (or starts an empty document) and merges the B7 section into it. */
export function mergeB7Into(path: string, section: string[]): string {
  return mergeB7Section(existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n', section);
}

/**
 * Ends a run of B7 alone: only B7's section of `out` is replaced (see `mergeB7Section`), the run's
 * results saved beside the others'.
 */
export function writeB7Only(out: string, dir: string, report: { size: string; command: string; started: string; machine?: { cores: number; cpu: string; node: string; loadAverage: number[] }; b7?: B7Result[] }, problems: string[]): void {
  const section = renderB7(report.b7, report);
  if (problems.length) section.splice(2, 0, '**This run did not produce valid results:**', '', ...problems.map((p) => `- ${p}`), '');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, mergeB7Into(out, section));
  writeFileSync(join(dir, `results-b7-${report.size}.json`), JSON.stringify(report, null, 1));
}
