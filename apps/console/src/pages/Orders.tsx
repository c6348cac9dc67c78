import { Button, Drawer, Group, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, type Channel, type Order, type Page, qs } from '../api';
import { ErrorAlert, PageTitle, Pager, StatusBadge, useCursorPager, when } from '../ui';

export function OrdersPage() {
  const [params] = useSearchParams();
  const client = useQueryClient();
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api.get<Page<Channel>>('/channels').then((p) => p.items) });
  const [channelId, setChannelId] = useState<string | null>(params.get('channelId'));
  const [status, setStatus] = useState<string | null>(params.get('status'));
  const pager = useCursorPager();
  const parked = useQuery({
    queryKey: ['orders', 'parked', channelId],
    queryFn: () => api.get<Page<Order>>(`/orders${qs({ status: 'parked', channelId, limit: 100 })}`),
    refetchInterval: 5000,
  });
  const orders = useQuery({
    queryKey: ['orders', 'list', channelId, status, pager.cursor],
    queryFn: () => api.get<Page<Order>>(`/orders${qs({ status, channelId, limit: 50, cursor: pager.cursor })}`),
    refetchInterval: 5000,
    placeholderData: (p) => p,
  });
  const [recording, setRecording] = useState(false);
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'retry' | 'ship' | 'cancel' }) => api.post<Order>(`/orders/${id}/${action}`),
    onSettled: () => client.invalidateQueries({ queryKey: ['orders'] }),
  });
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? id;
  const table = (rows: Order[], caption: string) => (
    <Table striped withTableBorder mb="md">
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Order</Table.Th>
          <Table.Th>Channel</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Lines</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th>Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((o) => (
          <Table.Tr key={o.id}>
            <Table.Td>{o.externalId}</Table.Td>
            <Table.Td>{channelName(o.channelId)}</Table.Td>
            <Table.Td>
              <StatusBadge status={o.status} />
              {o.fulfilledByChannel && <Text size="xs">fulfilled by the channel</Text>}
              {o.parkedReason && <Text size="xs">{o.parkedReason}</Text>}
            </Table.Td>
            <Table.Td>
              {o.lines.map((l, i) => (
                <Text size="xs" key={i}>
                  {l.quantity} × {l.sku}
                  {l.backordered ? ` (${l.backordered} backordered)` : ''}
                </Text>
              ))}
            </Table.Td>
            <Table.Td>{when(o.createdAt)}</Table.Td>
            <Table.Td>
              <Group gap={4}>
                {o.status === 'parked' && (
                  <Button size="xs" variant="default" onClick={() => act.mutate({ id: o.id, action: 'retry' })} aria-label={`Retry order ${o.externalId}`}>
                    Retry
                  </Button>
                )}
                {o.status === 'open' && !o.fulfilledByChannel && (
                  <Button size="xs" variant="default" onClick={() => act.mutate({ id: o.id, action: 'ship' })} aria-label={`Ship order ${o.externalId}`}>
                    Ship
                  </Button>
                )}
                {(o.status === 'open' || o.status === 'parked') && (
                  <Button size="xs" variant="default" color="red" onClick={() => act.mutate({ id: o.id, action: 'cancel' })} aria-label={`Cancel order ${o.externalId}`}>
                    Cancel
                  </Button>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
        {rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={6}>None.</Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
  return (
    <>
      <PageTitle right={<Button onClick={() => setRecording(true)}>Record an order</Button>}>Orders</PageTitle>
      <ErrorAlert error={channels.error || orders.error || parked.error || act.error} />
      <Group mb="sm">
        <Select
          label="Channel"
          placeholder="Every channel"
          clearable
          data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={channelId}
          onChange={(v) => {
            pager.reset();
            setChannelId(v);
          }}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={['open', 'parked', 'shipped', 'cancelled']}
          value={status}
          onChange={(v) => {
            pager.reset();
            setStatus(v);
          }}
        />
      </Group>
      {status !== 'parked' && (parked.data?.items.length ?? 0) > 0 && (
        <>
          <Title order={2} size="h4" mb="xs">
            Parked: waiting for a SKU or a setting
          </Title>
          {table(parked.data?.items ?? [], 'Parked orders: allocated as soon as what they wait for exists, or on Retry')}
          <Title order={2} size="h4" mb="xs">
            All orders
          </Title>
        </>
      )}
      {table(orders.data?.items ?? [], 'Orders, newest first')}
      <Pager pager={pager} nextCursor={orders.data?.nextCursor} label="Orders" />
      <RecordOrder opened={recording} onClose={() => setRecording(false)} channels={channels.data ?? []} />
    </>
  );
}

function RecordOrder({ opened, onClose, channels }: { opened: boolean; onClose: () => void; channels: Channel[] }) {
  const client = useQueryClient();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [externalId, setExternalId] = useState('');
  const [lines, setLines] = useState('');
  const record = useMutation({
    mutationFn: () =>
      api.post<Order>('/orders', {
        channelId,
        externalId: externalId.trim(),
        lines: lines
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => {
            const m = /^(.+?)\s*[x×:,]\s*(\d+)$/.exec(l);
            return m ? { sku: m[1].trim(), quantity: Number(m[2]) } : { sku: l, quantity: 1 };
          }),
      }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['orders'] });
      setExternalId('');
      setLines('');
      onClose();
    },
  });
  return (
    <Drawer closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} position="right" title="Record an order">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          record.mutate();
        }}
      >
        <Stack>
          <Select label="Channel" required allowDeselect={false} data={channels.map((c) => ({ value: c.id, label: c.name }))} value={channelId} onChange={setChannelId} />
          <TextInput label="Channel's order id" required value={externalId} onChange={(e) => setExternalId(e.currentTarget.value)} />
          <Textarea label="Lines" description="One per line: SKU x quantity" required autosize minRows={3} value={lines} onChange={(e) => setLines(e.currentTarget.value)} />
          <ErrorAlert error={record.error} />
          <Button type="submit" loading={record.isPending}>
            Record
          </Button>
        </Stack>
      </form>
    </Drawer>
  );
}
