import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { B7Result } from './b7-live-listings';

export const B7_HEADING = '## B7 Live Listings at a million listings';
/** Above this p99 a Live Listings page is called slow. */
export const B7_SLOW_MS = 100;

const n = (v: number) => Math.round(v).toLocaleString('en-US');
const ms = (v: number) => (v < 10 ? v.toFixed(1) : n(v));

/** docs/benchmarks.md's B7 section (empty when B7 did not run). */
export function renderB7(results: B7Result[] | undefined, run?: { command: string; started: string }): string[] {
  if (!results?.length) return [];
  const r0 = results[0];
  const out: string[] = [B7_HEADING, ''];
  if (run) out.push(`Written by \`${run.command}\` on ${run.started.slice(0, 10)} (an \`--only=b7\` run replaces this section only).`, '');
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
    out.push(`| ${r0.cases[i].name} | ${results.map((r) => { const c = r.cases[i]; return c ? `${ms(c.p50Ms)} / ${c.p99Ms > B7_SLOW_MS ? `**${ms(c.p99Ms)}**` : ms(c.p99Ms)} ms (${c.items} items)` : '–'; }).join(' | ')} |`);
  }
  out.push(`| seed (products and listings) | ${results.map((r) => `${(r.seedMs / 1000).toFixed(1)} s`).join(' | ')} |`);
  out.push(`| database size | ${results.map((r) => `${n(r.databaseMb)} MB (${r.databaseWhat})`).join(' | ')} |`);
  for (let i = 0; i < r0.walks.length; i++) {
    out.push(`| walk to the end: ${r0.walks[i].name} | ${results.map((r) => { const w = r.walks[i]; return w ? `${w.ok ? 'right' : '**wrong**'}: ${n(w.items)} of ${n(w.expected)} listings, ${w.pages} page${w.pages === 1 ? '' : 's'}, ${ms(w.ms / w.pages)} ms a page` : '–'; }).join(' | ')} |`);
  }
  out.push(`| every page right | ${results.map((r) => (r.mismatches.length ? `**no** (${r.mismatches.length})` : 'yes')).join(' | ')} |`, '');
  out.push(...readingB7(results));
  return out;
}

/** What bounds each number, and which cases are slow. */
function readingB7(results: B7Result[]): string[] {
  const find = (r: B7Result, prefix: string) => r.cases.find((c) => c.name.startsWith(prefix));
  const p99 = (prefix: string) => results.map((r) => `${ms(find(r, prefix)?.p99Ms ?? NaN)} ms on ${r.engine}`).join(', ');
  const r0 = results[0];
  const slow = results.flatMap((r) => r.cases.filter((c) => c.p99Ms > B7_SLOW_MS).map((c) => `${c.name} on ${r.engine} (p99 ${ms(c.p99Ms)} ms)`));
  const out = ['Reading:', ''];
  out.push(
    `- **Id order** (first page ${p99('first page')} p99; deep page ${p99('deep page')}): one range of \`idx_listing_channel_id\` (channel, id) from the cursor, 51 rows, whatever the channel's size or the cursor's depth. What remains is the HTTP request itself and the page's two small lookups (product SKUs by id, parked orders).`,
    `- **A status** (\`merchantStatusWhere\`): each alternative is a range of \`idx_listing_channel_status\` (channel, fulfilment, switch, status, id), read in id order from the cursor and merged by id in JavaScript, plus the channel-fulfilled alternative (an empty range of \`idx_listing_channel_fulfilment\` here). One range for error, conflict, sent and synced (synced and sent also skip dirty rows one by one: few), three for pending (pending, stored disabled, and the dirty backlog through \`idx_listing_dirty\`), six for disabled (sync off with each stored status), so disabled and pending cost a few more queries, not more rows. A rare status costs as little as a common one: a range holds only its status. Synced: ${p99('status=synced')} p99; error: ${p99('status=error')}; disabled: ${p99('status=disabled')}; pending: ${p99('status=pending')}.`,
    `- **A SKU prefix** (\`skuPrefix\`): SKU order on the unique (channel_id, sku_key) index, the prefix as a range (GLOB on SQLite, \`>=\` + LIKE on PostgreSQL); a page reads the first 51 rows of the range, so a narrow prefix (${n(r0.prefixes.narrowCount)} listings) and a one-letter one (${n(r0.prefixes.letterCount)}) cost alike: ${p99('skuPrefix=K12 (narrow)')} and ${p99('skuPrefix=K (one letter)')} p99.`,
    `- **A SKU prefix with a rare status** is the one case whose cost grows with the data: in SKU order the status alternatives are one OR-ed query over the prefix range (SKU keys sort by the database's collation, so per-alternative ranges could not be merged in JavaScript), and no index has both the SKU and the status, so the database walks the prefix range row by row until it has 51 matches or the range ends. With ${n(r0.byStatus.error)} errors among ${n(r0.listings)} listings a page under "${r0.prefixes.letter}" never fills: every request walks all ${n(r0.prefixes.letterCount)} listings of the prefix (${p99(`skuPrefix=${r0.prefixes.letter} + status=error`)} p99), a narrow prefix only its ${n(r0.prefixes.narrowCount)} (${p99(`skuPrefix=${r0.prefixes.narrow} + status=error`)}). It is bounded by the prefix range's size, so it is about 26 times cheaper than scanning the channel, but it is not a constant.`,
  );
  out.push(
    slow.length
      ? `- **Slow (p99 over ${B7_SLOW_MS} ms at ${n(r0.listings)} listings):** ${slow.join('; ')}. A remedy without a new product behaviour: an index per status alternative in SKU order, (channel_id, fulfilment, sync_enabled, status, sku_key), so a prefix + status reads one range per alternative, merged in the database (UNION ALL ... ORDER BY sku_key LIMIT 51, the order being the database's own), instead of walking the whole prefix range; or, for the rare statuses only, read them by status in id order and sort the (few) matches by SKU.`
      : `- No case is over ${B7_SLOW_MS} ms p99 at ${n(r0.listings)} listings.`,
    '',
  );
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
export function writeB7Only(out: string, dir: string, report: { size: string; command: string; started: string; b7?: B7Result[] }, problems: string[]): void {
  const section = renderB7(report.b7, report);
  if (problems.length) section.splice(2, 0, '**This run did not produce valid results:**', '', ...problems.map((p) => `- ${p}`), '');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, mergeB7Into(out, section));
  writeFileSync(join(dir, `results-b7-${report.size}.json`), JSON.stringify(report, null, 1));
}
