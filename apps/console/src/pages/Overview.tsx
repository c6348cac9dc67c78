import { Anchor, Card, Group, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Channel, type Job, type Overview, type Page } from '../api';
import { ErrorAlert, PageTitle, StatusBadge, Summary, when } from '../ui';

const NIGHTLY = 'host.sync-nightly';
const STATUSES = ['synced', 'sent', 'pending', 'error', 'conflict', 'disabled'];

function Stat({ label, value }: { label: string; value: number | string }) {
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={`stat-${label}`}>
        {value}
      </Text>
    </Card>
  );
}

export function OverviewPage() {
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api.get<Page<Channel>>('/channels').then((p) => p.items) });
  const overview = useQuery({ queryKey: ['overview'], queryFn: () => api.get<Overview>('/overview'), refetchInterval: 5000 });
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => api.get<Job[]>('/jobs') });
  const o = overview.data;
  const count = (channelId: string | null, status: string) =>
    (o?.listings ?? []).filter((l) => (channelId === null || l.channelId === channelId) && l.status === status).reduce((n, l) => n + l.count, 0);
  const nightly = jobs.data?.find((j) => j.name === NIGHTLY);
  return (
    <>
      <PageTitle>Overview</PageTitle>
      <ErrorAlert error={channels.error || overview.error || jobs.error} />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="lg">
        <Stat label="Listings synced" value={o ? count(null, 'synced') : '…'} />
        <Stat label="Listings in error" value={o ? count(null, 'error') : '…'} />
        <Stat label="Backlog (dirty listings)" value={o ? o.dirtyListings : '…'} />
        <Stat label="Parked orders" value={o ? o.parkedOrders : '…'} />
      </SimpleGrid>
      <Title order={2} size="h3" mb="xs">
        Channels
      </Title>
      <Table striped withTableBorder mb="lg">
        <Table.Caption>Channels, their last health check and their listings by status</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Sync</Table.Th>
            <Table.Th>Health</Table.Th>
            {STATUSES.map((s) => (
              <Table.Th key={s}>{s}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(channels.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor component={Link} to={`/channels/${c.id}/live-listings`}>
                  {c.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{c.type}</Table.Td>
              <Table.Td>{c.fulfilment === 'channel' ? 'reads only' : c.settings['syncInventory'] ? 'on' : 'off'}</Table.Td>
              <Table.Td>
                {c.health.ok === null ? <StatusBadge status="unchecked" /> : <StatusBadge status={c.health.ok ? 'ok' : 'failing'} />}
                <Text size="xs">{c.health.message ?? ''}</Text>
              </Table.Td>
              {STATUSES.map((s) => (
                <Table.Td key={s}>{o ? count(c.id, s) : '…'}</Table.Td>
              ))}
            </Table.Tr>
          ))}
          {channels.data?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4 + STATUSES.length}>
                No channel yet: <Anchor component={Link} to="/channels/new">create one</Anchor>.
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h3" mb="xs">
        Last nightly reconciliation
      </Title>
      <Card withBorder>
        {nightly?.lastRun ? (
          <>
            <Group gap="xs">
              <StatusBadge status={nightly.lastRun.status} />
              <Text size="sm">
                started {when(nightly.lastRun.startedAt)}, finished {when(nightly.lastRun.finishedAt)}
              </Text>
            </Group>
            {nightly.lastRun.summary && <Summary value={nightly.lastRun.summary} />}
          </>
        ) : (
          <Text size="sm">
            Not run yet{nightly ? ` (schedule: ${nightly.cron}, ${nightly.enabled ? 'enabled' : 'disabled'})` : ''}. <Anchor component={Link} to="/jobs">Jobs</Anchor>
          </Text>
        )}
      </Card>
      {o && (
        <Text size="xs" c="dimmed" mt="sm">
          Stock changes not yet picked up: {o.pendingChanges}
        </Text>
      )}
    </>
  );
}
