import { Button, Collapse, Group, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, Fragment, useState } from 'react';
import { api, type Job, type JobRun, type Page } from '../api';
import { ErrorAlert, JobRunStatus, PageTitle, StatusBadge, summaryLine, when } from '../ui';

type JobRow = Job & { defaultCron?: string; running?: boolean; nextRunAt?: string | null };

export function JobsPage() {
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => api.get<JobRow[]>('/jobs'), refetchInterval: 3000 });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <PageTitle>Jobs</PageTitle>
      <ErrorAlert error={jobs.error} />
      <Table withTableBorder>
        <Table.Caption>Scheduled jobs: the host's and the plugins'</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Job</Table.Th>
            <Table.Th>Schedule (cron)</Table.Th>
            <Table.Th>Enabled</Table.Th>
            <Table.Th>Last run</Table.Th>
            <Table.Th>Next run</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(jobs.data ?? []).map((j) => (
            <Fragment key={j.name}>
              <JobRowView job={j} expanded={open === j.name} onToggle={() => setOpen(open === j.name ? null : j.name)} />
              {open === j.name && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Runs name={j.name} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

function JobRowView({ job, expanded, onToggle }: { job: JobRow; expanded: boolean; onToggle: () => void }) {
  const client = useQueryClient();
  const [cron, setCron] = useState(job.cron);
  const [runId, setRunId] = useState<string | null>(null);
  const done = () => client.invalidateQueries({ queryKey: ['jobs'] });
  const update = useMutation({ mutationFn: (body: { cron?: string; enabled?: boolean }) => api.patch<Job>(`/jobs/${encodeURIComponent(job.name)}`, body), onSuccess: done });
  const run = useMutation({
    mutationFn: () => api.post<{ runId: string }>(`/jobs/${encodeURIComponent(job.name)}/run`),
    onSuccess: (r) => {
      setRunId(r.runId);
      done();
    },
  });
  return (
    <Table.Tr>
      <Table.Td>
        <Text fw={600} size="sm">
          {job.name}
        </Text>
        <Text size="xs">{job.description}</Text>
        {runId && <JobRunStatus key={runId} runId={runId} onDone={done} />}
        <ErrorAlert error={update.error || run.error} />
      </Table.Td>
      <Table.Td>
        <Group
          gap={4}
          wrap="nowrap"
          component="form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            update.mutate({ cron: cron.trim() });
          }}
        >
          <TextInput aria-label={`Cron of ${job.name}`} size="xs" w={130} value={cron} onChange={(e) => setCron(e.currentTarget.value)} />
          <Button size="xs" variant="default" type="submit" disabled={cron.trim() === job.cron}>
            Save
          </Button>
        </Group>
      </Table.Td>
      <Table.Td>
        <Switch aria-label={`Enable ${job.name}`} checked={job.enabled} onChange={(e) => update.mutate({ enabled: e.currentTarget.checked })} />
      </Table.Td>
      <Table.Td>
        {job.running ? (
          <StatusBadge status="running" />
        ) : job.lastRun ? (
          <>
            <StatusBadge status={job.lastRun.status} />
            <Text size="xs">{when(job.lastRun.startedAt)}</Text>
          </>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs">{job.enabled ? when(job.nextRunAt) : 'disabled'}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button size="xs" loading={run.isPending} onClick={() => run.mutate()} aria-label={`Run ${job.name} now`}>
            Run now
          </Button>
          <Button size="xs" variant="default" onClick={onToggle} aria-expanded={expanded}>
            Runs
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function Runs({ name }: { name: string }) {
  const runs = useQuery({
    queryKey: ['runs', name],
    queryFn: () => api.get<Page<JobRun>>(`/jobs/${encodeURIComponent(name)}/runs?limit=10`),
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'running') ? 1000 : 5000),
  });
  return (
    <Collapse expanded>
      <ErrorAlert error={runs.error} />
      <Table>
        <Table.Caption>The last runs of {name}, newest first</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Finished</Table.Th>
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Progress</Table.Th>
            <Table.Th>Summary or error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(runs.data?.items ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{when(r.startedAt)}</Table.Td>
              <Table.Td>{when(r.finishedAt)}</Table.Td>
              <Table.Td>{r.trigger}</Table.Td>
              <Table.Td>
                <StatusBadge status={r.status} />
              </Table.Td>
              <Table.Td>{r.progress ? `${r.progress.done}${r.progress.total !== null ? ` / ${r.progress.total}` : ''}` : '—'}</Table.Td>
              <Table.Td>
                <Text size="xs" style={{ wordBreak: 'break-word' }}>
                  {r.error ?? (r.summary ? summaryLine(r.summary) : '')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
          {runs.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>No run yet.</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Collapse>
  );
}
