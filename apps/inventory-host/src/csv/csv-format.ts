import { BadRequestException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';

/** The columns of one CSV kind; the header row names them (any order), export writes them in this order. */
export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

/** Data rows read from one file; `row` is the record's number in the file, the header being row 1. */
export interface CsvRecord {
  row: number;
  values: Record<string, string>;
}

export const MAX_CSV_ROWS = 200_000;

/** The spreadsheet row of the domain's input index `i` (the header is row 1). */
export const csvRow = (index: number) => index + 2;

/**
 * Parses CSV text (RFC 4180; a UTF-8 byte order mark is ignored) into records keyed by the header's
 * column names. A file that cannot be read, or whose header misses, repeats or adds a column, is a 400
 * naming the row and column.
 */
export function readCsv(body: string, columns: CsvColumns): CsvRecord[] {
  let records: string[][];
  try {
    records = parse(body, { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (err) {
    const e = err as { message?: string; records?: number };
    throw badCsv([{ row: (e.records ?? 0) + 1, field: '', message: `the CSV cannot be read: ${e.message ?? String(err)}` }]);
  }
  const [header, ...data] = records;
  if (!header) throw badCsv([{ row: 1, field: '', message: 'the CSV has no header row' }]);
  const names = header.map((h) => h.trim());
  const known = new Set([...columns.required, ...columns.optional]);
  const problems = [
    ...names.filter((n, i) => names.indexOf(n) !== i).map((n) => ({ row: 1, field: n, message: `column "${n}" appears twice` })),
    ...names.filter((n) => !known.has(n)).map((n) => ({ row: 1, field: n, message: `unknown column "${n}"; the columns are ${[...known].join(', ')}` })),
    ...columns.required.filter((c) => !names.includes(c)).map((c) => ({ row: 1, field: c, message: `the header misses column "${c}"` })),
  ];
  if (data.length > MAX_CSV_ROWS) problems.push({ row: MAX_CSV_ROWS + 2, field: '', message: `at most ${MAX_CSV_ROWS} rows per file; split it` });
  if (problems.length) throw badCsv(problems);
  return data.map((cells, i) => ({ row: csvRow(i), values: Object.fromEntries(names.map((n, j) => [n, cells[j] ?? ''])) }));
}

/** An integer cell, or NaN (which the domain's checks report) for anything else. */
export function intCell(value: string | undefined): number {
  const v = (value ?? '').trim();
  return /^[+-]?\d{1,15}$/.test(v) ? Number(v) : Number.NaN;
}

function badCsv(errors: { row: number; field: string; message: string }[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors.map((e) => `row ${e.row}: ${e.message}`), errors });
}
