import { Alert, Button, Code, FileInput, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { ApiError, type CsvImportResult, type CsvRowError, download, postCsv } from '../api';
import { ErrorAlert, PageTitle } from '../ui';

/** Row problems shown of a 422 (the API lists up to 1000; errorCount says how many there were). */
const SHOWN_ROW_ERRORS = 100;

interface Kind {
  id: 'products' | 'stock-levels' | 'listings';
  title: string;
  /** What a file of this kind is called in labels ("Products CSV file"). */
  noun: string;
  columns: string;
  about: ReactNode;
  /** The queries other pages read that an import of this kind changes. */
  invalidates: string[][];
  /** What the summary says was (or would be) written. */
  done: (r: CsvImportResult, dryRun: boolean) => string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const KINDS: Kind[] = [
  {
    id: 'products',
    title: 'Products',
    noun: 'Products',
    columns: 'sku,name,kind,parentSku,components',
    about: (
      <>
        <Code>kind</Code> is <Code>stock</Code>, <Code>parent</Code> or <Code>bundle</Code>; a variant is a stock row with <Code>parentSku</Code>; a bundle lists its components as{' '}
        <Code>SKU:quantity;SKU:quantity</Code>. <Code>parentSku</Code> and <Code>components</Code> may be left out. An import creates products, it never edits them: a row equal to an existing product is
        unchanged, one that would change it is refused.
      </>
    ),
    invalidates: [['products'], ['product'], ['variants']],
    done: (r, dry) => `${dry ? 'would create' : 'created'} ${plural(r.created ?? 0, 'product', 'products')}`,
  },
  {
    id: 'stock-levels',
    title: 'Stock levels',
    noun: 'Stock levels',
    columns: 'sku,warehouse,quantity',
    about: (
      <>
        <Code>warehouse</Code> is the warehouse's code, <Code>quantity</Code> the in-stock level to reach (opening stock, a stock count). Each level is brought there by one movement (a goods-in, or a
        correction) with cause <Code>csv-import</Code>; a level already there books nothing. A quantity below what orders have allocated is refused.
      </>
    ),
    invalidates: [['inventory'], ['movements'], ['live'], ['explain'], ['discrepancies'], ['overview']],
    done: (r, dry) => `${dry ? 'would book' : 'booked'} ${plural(r.movements ?? 0, 'movement', 'movements')}`,
  },
  {
    id: 'listings',
    title: 'Listing mappings',
    noun: 'Listing mappings',
    columns: 'channel,sku,productSku',
    about: (
      <>
        <Code>channel</Code> is the channel's id or its name; <Code>sku</Code> the channel's SKU and <Code>productSku</Code> the product's. Each row is connected as <i>Connect a listing</i> would (sent at
        once on a channel with sync on); a SKU already connected to that product is unchanged, to another product refused.
      </>
    ),
    invalidates: [['live'], ['listing'], ['explain'], ['channel'], ['overview']],
    done: (r, dry) => `${dry ? 'would connect' : 'connected'} ${plural(r.connected ?? 0, 'listing', 'listings')}`,
  },
];

const EXPORTS = [
  { path: '/products/export', file: 'products.csv', what: 'every product' },
  { path: '/stock-levels/export', file: 'stock-levels.csv', what: 'every in-stock level' },
  { path: '/listings/export', file: 'listings.csv', what: 'every listing mapping' },
];

export function CsvPage() {
  return (
    <>
      <PageTitle>Import and export</PageTitle>
      <Text mb="md" maw={900}>
        For a catalog kept in spreadsheets: CSV files with a header row naming the columns (in any order). An import is all or nothing: if any row breaks a rule, nothing is written and every problem is
        listed by row and column. <b>Check a file first</b>: the dry run finds exactly what the import would do and writes nothing. An export imports back in the same columns.
      </Text>
      <Title order={2} size="h3" mb="sm">
        Import
      </Title>
      <Stack mb="xl">
        {KINDS.map((k) => (
          <ImportCard key={k.id} kind={k} />
        ))}
      </Stack>
      <Exports />
    </>
  );
}

function ImportCard({ kind }: { kind: Kind }) {
  const client = useQueryClient();
  const headingId = useId();
  const [file, setFile] = useState<File | null>(null);
  // The file the last successful dry run checked: Import is the obvious next step for it.
  const [checked, setChecked] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: async ({ dryRun }: { dryRun: boolean }) => {
      if (!file) throw new Error('Choose a CSV file first.');
      return postCsv<CsvImportResult>(`/${kind.id}/import${dryRun ? '?dryRun=true' : ''}`, await file.text());
    },
    onSuccess: (r) => {
      if (r.dryRun) {
        setChecked(file);
      } else {
        setChecked(null);
        for (const queryKey of kind.invalidates) void client.invalidateQueries({ queryKey });
      }
    },
  });
  const dryRunOk = !!file && checked === file;
  return (
    <Paper component="section" withBorder p="md" aria-labelledby={headingId} data-kind={kind.id}>
      <Title order={3} size="h4" id={headingId} mb={4}>
        {kind.title}
      </Title>
      <Text size="sm" mb={4}>
        Columns: <Code>{kind.columns}</Code>
      </Text>
      <Text size="sm" c="dimmed" mb="sm" maw={900}>
        {kind.about}
      </Text>
      <Group align="flex-end" mb="sm">
        <FileInput
          label={`${kind.noun} CSV file`}
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          clearable
          clearButtonProps={{ 'aria-label': `Clear the ${kind.noun.toLowerCase()} file` }}
          value={file}
          onChange={(f) => {
            setFile(f);
            setChecked(null);
            run.reset();
          }}
          w={320}
        />
        <Button disabled={!file} loading={run.isPending && run.variables?.dryRun} onClick={() => run.mutate({ dryRun: true })}>
          Check (dry run)
        </Button>
        <Button variant={dryRunOk ? 'filled' : 'default'} color={dryRunOk ? 'green' : undefined} disabled={!file} loading={run.isPending && !run.variables?.dryRun} onClick={() => run.mutate({ dryRun: false })}>
          Import
        </Button>
      </Group>
      {!!file && !dryRunOk && !run.isPending && !run.data && !run.error && (
        <Text size="sm" c="dimmed">
          Check the file first: the dry run writes nothing. Import writes it all at once.
        </Text>
      )}
      {run.data && !run.isPending && <ImportSummary kind={kind} result={run.data} />}
      {run.error && !run.isPending && <ImportError error={run.error} />}
    </Paper>
  );
}

function ImportSummary({ kind, result }: { kind: Kind; result: CsvImportResult }) {
  const dry = result.dryRun;
  return (
    <Alert color={dry ? 'blue' : 'green'} title={dry ? 'Dry run: nothing was written' : 'Imported'} role="status" data-testid="import-summary">
      <Text size="sm">
        {plural(result.rows, 'row', 'rows')} read: {kind.done(result, dry)}, {result.unchanged} unchanged.
      </Text>
      {dry && (
        <Text size="sm" mt={4}>
          No problems found. Import writes it.
        </Text>
      )}
    </Alert>
  );
}

/** A 422 lists its row problems as a table (the first 100); any other refusal as the API words it. */
function ImportError({ error }: { error: unknown }) {
  const body = error instanceof ApiError && error.status === 422 ? (error.body as { message?: string; errorCount?: number; errors?: CsvRowError[] } | null) : null;
  if (!body || !Array.isArray(body.errors)) return <ErrorAlert error={error} />;
  const shown = body.errors.slice(0, SHOWN_ROW_ERRORS);
  const rest = Math.max((body.errorCount ?? body.errors.length) - shown.length, 0);
  return (
    <>
      <Alert color="red" title="Error 422: rows break a rule; nothing was written" role="alert" mb="sm">
        <Text size="sm">{body.message ?? `${body.errorCount} problem(s) in the rows`}</Text>
      </Alert>
      <Table striped withTableBorder data-testid="row-errors">
        <Table.Caption>
          {rest ? `The first ${shown.length} problems; ${rest} more not shown` : `${plural(shown.length, 'problem', 'problems')}`} (the header is row 1)
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Row</Table.Th>
            <Table.Th>Column</Table.Th>
            <Table.Th>Message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((e, i) => (
            <Table.Tr key={i}>
              <Table.Td>{e.row}</Table.Td>
              <Table.Td>{e.field}</Table.Td>
              <Table.Td>{e.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

function Exports() {
  const save = useMutation({ mutationFn: (e: (typeof EXPORTS)[number]) => download(e.path, e.file) });
  return (
    <section aria-labelledby="csv-export-heading">
      <Title order={2} size="h3" mb="sm" id="csv-export-heading">
        Export
      </Title>
      <Text size="sm" mb="sm">
        Downloads in the columns the imports take: {EXPORTS.map((e) => `${e.file} (${e.what})`).join(', ')}.
      </Text>
      <Group mb="sm">
        {EXPORTS.map((e) => (
          <Button key={e.file} variant="default" loading={save.isPending && save.variables?.file === e.file} onClick={() => save.mutate(e)}>
            Download {e.file}
          </Button>
        ))}
      </Group>
      <ErrorAlert error={save.error} />
    </section>
  );
}
