/**
 * Amazon's tab-separated flat-file reports: a header line, then one line per row; no quoting. Rows are
 * keyed by the header's column names. A leading BOM and CRLF line ends are accepted; empty lines skipped.
 */
export function parseTsv(text: string): Record<string, string>[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return [];
  const header = lines[0].split('\t');
  const rows: Record<string, string>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const cells = line.split('\t');
    // Own properties even for a column named like an Object.prototype member ("__proto__"): a report
    // must not be able to change a row's prototype.
    rows.push(Object.fromEntries(header.map((name, j) => [name, cells[j] ?? ''])));
  }
  return rows;
}

/** The inverse of `parseTsv` for values without tabs or line breaks (used by tests and tools). */
export function toTsv(columns: string[], rows: Array<Record<string, string | number | undefined>>): string {
  const lines = [columns.join('\t')];
  for (const row of rows) lines.push(columns.map((c) => (row[c] === undefined ? '' : String(row[c]))).join('\t'));
  return lines.join('\n') + '\n';
}
