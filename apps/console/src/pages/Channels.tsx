import { Anchor, Button, Checkbox, Fieldset, Group, MultiSelect, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type Accepted, api, type Channel, type Page, type PluginInfo, type Warehouse } from '../api';
import { marketplaceName, marketplacesOf, REGIONS } from '../marketplaces';
import { ErrorAlert, JobRunStatus, PageTitle, StatusBadge, when } from '../ui';

export function useChannelTypes() {
  const plugins = useQuery({ queryKey: ['plugins'], queryFn: () => api.get<PluginInfo[]>('/plugins') });
  return (plugins.data ?? []).flatMap((p) => (p.contributes.channelTypes ?? []).map((t) => ({ ...t, plugin: p.id })));
}

/** The managed-warehouse tool of a channel type (Amazon FBA: `fba`, its setting `fbaWarehouseId`). */
export function useManagedTool(type: string | undefined) {
  const t = useChannelTypes().find((c) => c.id === type);
  return { tool: t?.vocabulary?.managedWarehouseTool, setting: t?.vocabulary?.managedWarehouseSetting ?? 'managedWarehouseId', quantityField: t?.vocabulary?.channelQuantityField ?? 'channelQuantity' };
}

export function ChannelsPage() {
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api.get<Page<Channel>>('/channels').then((p) => p.items) });
  const types = useChannelTypes();
  return (
    <>
      <PageTitle
        right={
          <Button component={Link} to="/channels/new">
            New channel
          </Button>
        }
      >
        Channels
      </PageTitle>
      <ErrorAlert error={channels.error} />
      <Table striped withTableBorder>
        <Table.Caption>Every channel: one channel type on one marketplace of one account</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Marketplace</Table.Th>
            <Table.Th>Sync inventory</Table.Th>
            <Table.Th>Health</Table.Th>
            <Table.Th>Screens</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(channels.data ?? []).map((c) => {
            const tool = types.find((t) => t.id === c.type)?.vocabulary?.managedWarehouseTool;
            return (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/channels/${c.id}`}>
                    {c.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{c.type}</Table.Td>
                <Table.Td>{marketplaceName(c.marketplaceId)}</Table.Td>
                <Table.Td>{c.fulfilment === 'channel' ? 'never sent (read only)' : c.settings['syncInventory'] ? 'on' : 'off'}</Table.Td>
                <Table.Td>{c.health.ok === null ? 'unchecked' : <StatusBadge status={c.health.ok ? 'ok' : 'failing'} />}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Anchor component={Link} to={`/channels/${c.id}/live-listings`}>
                      Live Listings
                    </Anchor>
                    {tool && (
                      <Anchor component={Link} to={`/channels/${c.id}/reconciliation`}>
                        {tool.toUpperCase()} reconciliation
                      </Anchor>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </>
  );
}

const RULES = [
  ['reserve', 'Reserve (units held back)'],
  ['percentage', 'Percentage of on hand'],
  ['maxQuantity', 'Maximum quantity'],
  ['zeroAtOrBelow', 'Send zero at or below'],
] as const;

type Form = {
  type: string | null;
  name: string;
  sellerId: string;
  region: string | null;
  marketplaceId: string | null;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  spApiEndpoint: string;
  lwaEndpoint: string;
  syncInventory: boolean;
  onHandWarehouseIds: string[];
  allocationWarehouseId: string | null;
  managedWarehouseId: string | null;
  rules: Record<string, number | null>;
};

const EMPTY: Form = {
  type: 'amazon-mfn',
  name: '',
  sellerId: '',
  region: 'EU',
  marketplaceId: 'A1F83G8C2ARO7P',
  clientId: '',
  clientSecret: '',
  refreshToken: '',
  spApiEndpoint: '',
  lwaEndpoint: '',
  syncInventory: true,
  onHandWarehouseIds: [],
  allocationWarehouseId: null,
  managedWarehouseId: null,
  rules: { reserve: null, percentage: null, maxQuantity: null, zeroAtOrBelow: null },
};

function formOf(c: Channel, managedSetting: string): Form {
  const s = c.settings;
  const str = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : '');
  return {
    type: c.type,
    name: c.name,
    sellerId: str('sellerId'),
    region: str('region') || null,
    marketplaceId: str('marketplaceId') || null,
    clientId: '',
    clientSecret: '',
    refreshToken: '',
    spApiEndpoint: str('spApiEndpoint'),
    lwaEndpoint: str('lwaEndpoint'),
    syncInventory: !!s['syncInventory'],
    onHandWarehouseIds: Array.isArray(s['onHandWarehouseIds']) ? (s['onHandWarehouseIds'] as string[]) : [],
    allocationWarehouseId: (s['allocationWarehouseId'] as string | null) ?? null,
    managedWarehouseId: (s[managedSetting] as string | null) ?? null,
    rules: Object.fromEntries(RULES.map(([k]) => [k, typeof s[k] === 'number' ? (s[k] as number) : null])),
  };
}

/** Create (no id) or edit a channel: account, marketplace, warehouses, rules, the Sync inventory switch. */
export function ChannelEdit() {
  const { id } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const types = useChannelTypes();
  const channel = useQuery({ queryKey: ['channel', id], queryFn: () => api.get<Channel>(`/channels/${id}`), enabled: !!id });
  const warehouses = useQuery({ queryKey: ['warehouses'], queryFn: () => api.get<{ items: Warehouse[] }>('/warehouses?limit=500') });
  const [form, setForm] = useState<Form>(EMPTY);
  const managed = useManagedTool(form.type ?? undefined);
  const [runId, setRunId] = useState<string | null>(null);
  useEffect(() => {
    if (channel.data) setForm(formOf(channel.data, managed.setting));
  }, [channel.data, managed.setting]);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const whOptions = (warehouses.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code}: ${w.name}` }));
  const isManaged = !!managed.tool;
  const isMerchant = types.find((t) => t.id === form.type)?.fulfilment !== 'channel';

  const settingsOf = (f: Form, creating: boolean): Record<string, unknown> => {
    const s: Record<string, unknown> = {
      sellerId: f.sellerId.trim(),
      region: f.region,
      marketplaceId: f.marketplaceId,
      onHandWarehouseIds: f.onHandWarehouseIds,
      allocationWarehouseId: f.allocationWarehouseId,
      ...f.rules,
    };
    // The host's switch: a channel-fulfilled channel is never sent to, whatever it says.
    if (isMerchant || creating) s['syncInventory'] = isMerchant ? f.syncInventory : true;
    if (isManaged) s[managed.setting] = f.managedWarehouseId;
    if (f.spApiEndpoint.trim()) s['spApiEndpoint'] = f.spApiEndpoint.trim();
    if (f.lwaEndpoint.trim()) s['lwaEndpoint'] = f.lwaEndpoint.trim();
    // Credentials are write-only: sent when given (always on creation), never shown.
    if (creating || f.clientId || f.clientSecret || f.refreshToken) s['credentials'] = { clientId: f.clientId, clientSecret: f.clientSecret, refreshToken: f.refreshToken };
    if (creating) for (const [k, v] of Object.entries(s)) if (v === null) delete s[k];
    return s;
  };

  const save = useMutation({
    mutationFn: async () => {
      if (!id) return api.post<Channel>('/channels', { type: form.type, name: form.name.trim(), settings: settingsOf(form, true) });
      return api.patch<Channel>(`/channels/${id}/settings`, settingsOf(form, false));
    },
    onSuccess: (c) => {
      client.invalidateQueries({ queryKey: ['channels'] });
      client.setQueryData(['channel', c.id], c);
      if (!id) navigate(`/channels/${c.id}`);
      else setForm((f) => ({ ...f, clientId: '', clientSecret: '', refreshToken: '' }));
    },
  });
  const toggleSync = useMutation({
    mutationFn: (on: boolean) => api.patch<Channel>(`/channels/${id}/settings`, { syncInventory: on }),
    onSuccess: (c) => {
      client.setQueryData(['channel', c.id], c);
      client.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const health = useMutation({
    mutationFn: () => api.post<Channel['health']>(`/channels/${id}/health-check`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['channel', id] }),
  });
  const longWork = useMutation({
    mutationFn: (what: 'listings/import' | 'reconcile') => api.post<Accepted>(`/channels/${id}/${what}`, {}),
    onSuccess: (a) => setRunId(a.runId),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const c = channel.data;
  const credsSet = !!(c?.settings['credentials'] as { set?: boolean } | undefined)?.set;

  return (
    <>
      <PageTitle
        right={
          c && (
            <Group>
              <Button component={Link} to={`/channels/${c.id}/live-listings`} variant="default">
                Live Listings
              </Button>
              {isManaged && (
                <Button component={Link} to={`/channels/${c.id}/reconciliation`} variant="default">
                  {managed.tool?.toUpperCase()} reconciliation
                </Button>
              )}
            </Group>
          )
        }
      >
        {id ? `Channel: ${c?.name ?? '…'}` : 'New channel'}
      </PageTitle>
      <ErrorAlert error={channel.error || warehouses.error} />
      {c && (
        <Fieldset legend="Channel" mb="md">
          <Stack>
            {c.fulfilment === 'merchant' ? (
              <Switch
                size="md"
                label="Sync inventory"
                description="Send this channel's listings their on hand. Switching it back on sends every listing again."
                checked={!!c.settings['syncInventory']}
                disabled={toggleSync.isPending}
                onChange={(e) => toggleSync.mutate(e.currentTarget.checked)}
              />
            ) : (
              <Text size="sm">Channel-fulfilled: quantities are read from the channel, never sent.</Text>
            )}
            <ErrorAlert error={toggleSync.error} />
            <Group>
              <Text size="sm">
                Health: {c.health.ok === null ? 'not checked yet' : c.health.ok ? 'OK' : 'failing'} {c.health.message ? `(${c.health.message})` : ''}{' '}
                {c.health.checkedAt ? `, checked ${when(c.health.checkedAt)}` : ''}
              </Text>
              <Button variant="default" size="xs" loading={health.isPending} onClick={() => health.mutate()}>
                Check health
              </Button>
              <Button variant="default" size="xs" loading={longWork.isPending} onClick={() => longWork.mutate('listings/import')}>
                Import listings
              </Button>
              {c.fulfilment === 'merchant' && (
                <Button variant="default" size="xs" loading={longWork.isPending} onClick={() => longWork.mutate('reconcile')}>
                  Reconcile now
                </Button>
              )}
            </Group>
            <ErrorAlert error={health.error || longWork.error} />
            {runId && <JobRunStatus key={runId} runId={runId} onDone={() => client.invalidateQueries({ queryKey: ['live'] })} />}
          </Stack>
        </Fieldset>
      )}
      <form onSubmit={submit} aria-label="Channel settings">
        <Stack>
          <Fieldset legend="Account and marketplace">
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Select
                label="Channel type"
                required allowDeselect={false}
                disabled={!!id}
                data={types.map((t) => ({ value: t.id, label: `${t.displayName} (${t.id})` }))}
                value={form.type}
                onChange={(v) => set('type', v)}
              />
              <TextInput label="Name" required disabled={!!id} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />
              <TextInput label="Seller ID" required value={form.sellerId} onChange={(e) => set('sellerId', e.currentTarget.value)} />
              <Select
                label="Region"
                required allowDeselect={false}
                data={REGIONS}
                value={form.region}
                onChange={(v) => setForm((f) => ({ ...f, region: v, marketplaceId: marketplacesOf(v).some((m) => m.value === f.marketplaceId) ? f.marketplaceId : null }))}
              />
              <Select label="Marketplace" required allowDeselect={false} searchable data={marketplacesOf(form.region)} value={form.marketplaceId} onChange={(v) => set('marketplaceId', v)} />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend={`Credentials (write-only${credsSet ? ': stored, leave empty to keep them' : ''})`}>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <TextInput label="LWA client ID" required={!id} autoComplete="off" value={form.clientId} onChange={(e) => set('clientId', e.currentTarget.value)} />
              <PasswordInput label="LWA client secret" required={!id} autoComplete="new-password" value={form.clientSecret} onChange={(e) => set('clientSecret', e.currentTarget.value)} />
              <PasswordInput label="Refresh token" required={!id} autoComplete="new-password" value={form.refreshToken} onChange={(e) => set('refreshToken', e.currentTarget.value)} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
              <TextInput
                label="SP-API endpoint"
                description="Empty: Amazon's endpoint of the region. The bundled sandbox: http://localhost:4010"
                value={form.spApiEndpoint}
                onChange={(e) => set('spApiEndpoint', e.currentTarget.value)}
              />
              <TextInput
                label="LWA token endpoint"
                description="Empty: Amazon's. The sandbox: http://localhost:4010/auth/o2/token"
                value={form.lwaEndpoint}
                onChange={(e) => set('lwaEndpoint', e.currentTarget.value)}
              />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="Warehouses">
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <MultiSelect label="Warehouses for on hand" description="Summed for the quantity sent" data={whOptions} value={form.onHandWarehouseIds} onChange={(v) => set('onHandWarehouseIds', v)} />
              <Select label="Allocation warehouse" description="Where this channel's orders allocate" clearable data={whOptions} value={form.allocationWarehouseId} onChange={(v) => set('allocationWarehouseId', v)} />
              {isManaged && (
                <Select
                  label={managed.tool === 'fba' ? 'FBA warehouse' : 'Managed warehouse'}
                  description="Mirrors the stock the channel holds"
                  clearable
                  data={whOptions}
                  value={form.managedWarehouseId}
                  onChange={(v) => set('managedWarehouseId', v)}
                />
              )}
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="Quantity rules">
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              {RULES.map(([k, label]) => (
                <NumberInput
                  key={k}
                  label={label}
                  min={0}
                  max={k === 'percentage' ? 100 : undefined}
                  allowDecimal={false}
                  value={form.rules[k] ?? ''}
                  onChange={(v) => set('rules', { ...form.rules, [k]: typeof v === 'number' ? v : null })}
                />
              ))}
            </SimpleGrid>
            {!id && isMerchant && <Checkbox mt="md" label="Sync inventory" checked={form.syncInventory} onChange={(e) => set('syncInventory', e.currentTarget.checked)} />}
          </Fieldset>
          <ErrorAlert error={save.error} />
          {save.isSuccess && id && (
            <Text size="sm" role="status" c="green.9">
              Saved.
            </Text>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {id ? 'Save settings' : 'Create channel'}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
