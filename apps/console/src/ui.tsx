import { Alert, Badge, Button, Group, Progress, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, ApiError, type JobRun } from './api';

/** An error shown as the API words it (409s say what to do). */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const status = error instanceof ApiError ? error.status : 0;
  const heading = title ?? (status === 409 ? 'Refused (409): what to do' : status ? `Error ${status}` : 'Error');
  return (
    <Alert color="red" title={heading} role="alert" mb="sm">
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {(error as Error).message}
      </Text>
    </Alert>
  );
}

export function PageTitle({ children, right }: { children: ReactNode; right?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="nowrap">
      <Title order={1} size="h2">
        {children}
      </Title>
      {right}
    </Group>
  );
}

const STATUS_COLORS: Record<string, string> = {
  synced: 'green',
  ok: 'green',
  failing: 'red',
  unchecked: 'gray',
  succeeded: 'green',
  open: 'blue',
  sent: 'blue',
  running: 'blue',
  pending: 'yellow',
  parked: 'orange',
  conflict: 'orange',
  skipped: 'gray',
  disabled: 'gray',
  shipped: 'teal',
  cancelled: 'gray',
  error: 'red',
  failed: 'red',
  interrupted: 'red',
};
export function StatusBadge({ status }: { status: string }) {
  return (
    // Filled with autoContrast: black or white text, whichever reads better on the color.
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="filled" autoContrast style={{ minWidth: 'max-content' }}>
      {status}
    </Badge>
  );
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Cursor paging as the API gives it: a stack of the cursors of the pages seen. */
export function useCursorPager() {
  const [stack, setStack] = useState<Array<string | null>>([null]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    reset: () => setStack([null]),
    next: (c: string | null) => c && setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
  };
}

export function Pager({ pager, nextCursor, label }: { pager: ReturnType<typeof useCursorPager>; nextCursor: string | null | undefined; label: string }) {
  return (
    <Group justify="flex-end" mt="sm" aria-label={`${label} pages`} role="navigation">
      <Text size="sm">Page {pager.page}</Text>
      <Button variant="default" size="xs" disabled={pager.page <= 1} onClick={pager.prev}>
        Previous page
      </Button>
      <Button variant="default" size="xs" disabled={!nextCursor} onClick={() => pager.next(nextCursor ?? null)}>
        Next page
      </Button>
    </Group>
  );
}

/** Follows a job run (a 202's Location) until it is done, showing its progress and summary. */
export function JobRunStatus({ runId, onDone }: { runId: string; onDone?: (run: JobRun) => void }) {
  const q = useQuery({
    queryKey: ['job-run', runId],
    queryFn: async () => {
      const run = await api.get<JobRun>(`/job-runs/${runId}`);
      if (run.status !== 'running') onDone?.(run);
      return run;
    },
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'running' ? false : 500),
  });
  const run = q.data;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!run) return <Text size="sm">Starting…</Text>;
  const pct = run.progress?.total ? Math.round((100 * run.progress.done) / run.progress.total) : undefined;
  return (
    <Alert color={run.status === 'succeeded' ? 'green' : run.status === 'running' ? 'blue' : 'red'} title={`Run ${run.job}`} mb="sm" aria-live="polite">
      <Group gap="xs">
        <Text size="sm">Status:</Text>
        <StatusBadge status={run.status} />
        {run.progress && (
          <Text size="sm">
            {run.progress.done}
            {run.progress.total !== null ? ` of ${run.progress.total}` : ''}
          </Text>
        )}
      </Group>
      {pct !== undefined && run.status === 'running' && <Progress value={pct} mt="xs" aria-label="Progress" />}
      {run.error && (
        <Text size="sm" c="red.9">
          {run.error}
        </Text>
      )}
      {run.summary && <Summary value={run.summary} />}
    </Alert>
  );
}

/** "changedListings" -> "changed listings": a summary's keys read as words. */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A list in a summary: its size and what its items name (SKUs where they have one). */
function listText(items: unknown[]): string {
  if (items.length === 0) return 'none';
  const names = items.map((i) => (typeof i === 'object' && i !== null ? ((i as Record<string, unknown>)['sku'] ?? (i as Record<string, unknown>)['message'] ?? (i as Record<string, unknown>)['id']) : i));
  const shown = names.filter((n) => typeof n === 'string' || typeof n === 'number').slice(0, 12);
  return `${items.length}${shown.length ? `: ${shown.join(', ')}${items.length > shown.length ? ', …' : ''}` : ''}`;
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return listText(v);
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${words(k)} ${valueText(x)}`).join(', ');
  return String(v);
}

/** A summary on one line (a table cell). */
export function summaryLine(value: Record<string, unknown>): string {
  return Object.entries(value).map(([k, v]) => `${words(k)}: ${valueText(v)}`).join('; ');
}

/** A job run's summary as a person reads it: one line per field, lists by what they name. */
export function Summary({ value }: { value: Record<string, unknown> }) {
  return (
    // Inline-block: the table is as wide as its text, not the page.
    <div style={{ display: 'inline-block', maxWidth: '100%' }} data-testid="run-summary">
    <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="md" fz="sm" mt="xs">
      <Table.Tbody>
        {Object.entries(value).map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th scope="row" style={{ fontWeight: 500, whiteSpace: 'nowrap', verticalAlign: 'top' }}>
              {words(k)}
            </Table.Th>
            <Table.Td style={{ wordBreak: 'break-word' }}>{valueText(v)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
    </div>
  );
}
