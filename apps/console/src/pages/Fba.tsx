import { Alert, Button, Checkbox, Group, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, type Channel, type Discrepancies, qs } from '../api';
import { ErrorAlert, PageTitle, Pager, useCursorPager, when } from '../ui';
import { useManagedTool } from './Channels';

const MAX = 500;

interface Result {
  reconciliationId: string;
  batchId: string | null;
  corrections: Array<{ productId: string; sku: string; difference: number; warehouseQuantity: number; warehouseQuantityAfter: number }>;
  unchanged: Array<{ productId: string; quantity: number }>;
  movements: Array<{ id: string; productId: string; type: string; quantity: number; reason?: string | null }>;
}

/** The reconciliation tool of a channel-managed warehouse (Amazon: the FBA inventory reconciliation). */
export function FbaPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const channel = useQuery({ queryKey: ['channel', id], queryFn: () => api.get<Channel>(`/channels/${id}`) });
  const managed = useManagedTool(channel.data?.type);
  const tool = managed.tool;
  const pager = useCursorPager();
  const report = useQuery({
    queryKey: ['discrepancies', id, pager.cursor],
    queryFn: () => api.get<Discrepancies>(`/channels/${id}/${tool}-discrepancies${qs({ limit: 100, cursor: pager.cursor })}`),
    enabled: !!tool,
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allowStale, setAllowStale] = useState(false);
  const apply = useMutation({
    mutationFn: () => api.post<Result>(`/channels/${id}/${tool}-reconciliations`, { productIds: [...selected], allowStale }),
    onSuccess: () => {
      setSelected(new Set());
      client.invalidateQueries({ queryKey: ['discrepancies', id] });
    },
  });
  const items = report.data?.items ?? [];
  const toggle = (pid: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on && n.size < MAX) n.add(pid);
      else n.delete(pid);
      return n;
    });
  const allOnPage = items.length > 0 && items.every((i) => selected.has(i.productId));
  const label = tool === 'fba' ? 'FBA' : (tool ?? '').toUpperCase();
  const who = managed.quantityField === 'amazonQuantity' ? 'Amazon' : 'The channel';
  const r = apply.data;
  return (
    <>
      <PageTitle>
        {label} reconciliation: {channel.data?.name ?? '…'}
      </PageTitle>
      <ErrorAlert error={channel.error || report.error} />
      {channel.data && !tool && <Alert color="yellow">This channel's type has no managed warehouse to reconcile.</Alert>}
      {report.data && (
        <Text size="sm" mb="sm">
          {who} was read {when(report.data.readAt)}
          {report.data.stale ? `: stale (older than ${report.data.staleAfterMinutes} minutes); applying needs "Apply stale quantities"` : ''}. Each correction books the difference into the {label}{' '}
          warehouse's in stock.
        </Text>
      )}
      <Table striped withTableBorder>
        <Table.Caption>
          Products whose {label} warehouse differs from what {who === 'Amazon' ? 'Amazon' : 'the channel'} reports
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <Checkbox
                aria-label="Select every product on this page"
                checked={allOnPage}
                onChange={(e) => items.forEach((i) => toggle(i.productId, e.currentTarget.checked))}
              />
            </Table.Th>
            <Table.Th>SKU</Table.Th>
            <Table.Th>{who}'s quantity</Table.Th>
            <Table.Th>Warehouse in stock</Table.Th>
            <Table.Th>Difference</Table.Th>
            <Table.Th>Read</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.productId}>
              <Table.Td>
                <Checkbox aria-label={`Select ${i.sku}`} checked={selected.has(i.productId)} onChange={(e) => toggle(i.productId, e.currentTarget.checked)} />
              </Table.Td>
              <Table.Td>{i.skus.join(', ')}</Table.Td>
              <Table.Td>{String(i[managed.quantityField] ?? '—')}</Table.Td>
              <Table.Td>{i.warehouseQuantity}</Table.Td>
              <Table.Td>{i.difference > 0 ? `+${i.difference}` : i.difference}</Table.Td>
              <Table.Td>
                {when(i.readAt)}
                {i.stale ? ' (stale)' : ''}
              </Table.Td>
            </Table.Tr>
          ))}
          {report.data && items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>Nothing to reconcile: the warehouse matches the channel.</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Pager pager={pager} nextCursor={report.data?.nextCursor} label="Discrepancies" />
      <Group mt="md">
        <Checkbox label="Apply stale quantities" checked={allowStale} onChange={(e) => setAllowStale(e.currentTarget.checked)} />
        <Button disabled={selected.size === 0} loading={apply.isPending} onClick={() => apply.mutate()}>
          Apply {selected.size} selected (at most {MAX})
        </Button>
      </Group>
      <ErrorAlert error={apply.error} title="Not applied: nothing was booked" />
      {r && (
        <Alert color="green" title="Applied" mt="md" role="status">
          <Text size="sm">
            {r.corrections.length} corrected, {r.unchanged.length} already matching; {r.movements.length} movements (batch {r.batchId ?? '—'}).
          </Text>
          <Table mt="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>SKU</Table.Th>
                <Table.Th>Correction</Table.Th>
                <Table.Th>In stock after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.corrections.map((c) => (
                <Table.Tr key={c.productId}>
                  <Table.Td>{c.sku}</Table.Td>
                  <Table.Td>{c.difference > 0 ? `+${c.difference}` : c.difference}</Table.Td>
                  <Table.Td>{c.warehouseQuantityAfter}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
      {(report.data?.notCompared.length ?? 0) > 0 && (
        <>
          <Title order={2} size="h4" mt="lg" mb="xs">
            Not compared
          </Title>
          <Table withTableBorder>
            <Table.Caption>Products that cannot be reconciled, with the reason</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>SKUs</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.data?.notCompared.map((n) => (
                <Table.Tr key={n.productId}>
                  <Table.Td>{n.skus.join(', ')}</Table.Td>
                  <Table.Td>{n.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </>
  );
}
