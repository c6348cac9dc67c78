import { Anchor, Button, Drawer, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Channel, type Explanation, type Listing, type LiveListing, type Page, type Product, qs, type Warehouse } from '../api';
import { marketplaceName } from '../marketplaces';
import { ErrorAlert, PageTitle, Pager, StatusBadge, useCursorPager, when } from '../ui';
import { useManagedTool } from './Channels';
import { ListingRules } from './ListingRules';

const STATUSES = ['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'];
const PAGE = 50;

/** Live Listings: what the channel shows, a page at a time (the API's cursors), filtered by status or SKU. */
export function LiveListingsPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const channel = useQuery({ queryKey: ['channel', id], queryFn: () => api.get<Channel>(`/channels/${id}`) });
  const [status, setStatus] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [sku, setSku] = useState('');
  const pager = useCursorPager();
  const live = useQuery({
    queryKey: ['live', id, status, sku, pager.cursor],
    queryFn: () => api.get<Page<LiveListing> & { parkedOrders: number }>(`/channels/${id}/live-listings${qs({ status, skuPrefix: sku, limit: PAGE, cursor: pager.cursor })}`),
    refetchInterval: 3000,
    placeholderData: (prev) => prev,
  });
  const [open, setOpen] = useState<string | null>(null);
  const [connectOpen, setConnectOpen] = useState(false);
  const channelFulfilled = channel.data?.fulfilment === 'channel';
  const managed = useManagedTool(channel.data?.type);
  const filter = (e: FormEvent) => {
    e.preventDefault();
    pager.reset();
    setSku(search.trim());
  };
  return (
    <>
      <PageTitle
        right={
          <Group>
            <Button variant="default" component={Link} to={`/channels/${id}`}>
              Channel settings
            </Button>
            {managed.tool && (
              <Button variant="default" component={Link} to={`/channels/${id}/reconciliation`}>
                {managed.tool.toUpperCase()} reconciliation
              </Button>
            )}
            <Button onClick={() => setConnectOpen(true)}>Connect a listing</Button>
          </Group>
        }
      >
        Live Listings: {channel.data?.name ?? '…'}
      </PageTitle>
      <ErrorAlert error={channel.error || live.error} />
      <Group component="form" onSubmit={filter} align="flex-end" mb="sm" role="search">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={STATUSES}
          value={status}
          onChange={(v) => {
            pager.reset();
            setStatus(v);
          }}
        />
        <TextInput label="SKU starts with" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <Button type="submit" variant="default">
          Search
        </Button>
        {live.data && live.data.parkedOrders > 0 && (
          <Anchor component={Link} to={`/orders?channelId=${id}&status=parked`} size="sm">
            {live.data.parkedOrders} parked orders
          </Anchor>
        )}
      </Group>
      <Table striped highlightOnHover withTableBorder aria-busy={live.isFetching}>
        <Table.Caption>Listings of this channel; open a row to see how its quantity is made</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>SKU</Table.Th>
            <Table.Th>Product</Table.Th>
            <Table.Th>Marketplace</Table.Th>
            <Table.Th>Fulfilment</Table.Th>
            <Table.Th>{channelFulfilled ? 'Reserved / inbound' : 'Our quantity'}</Table.Th>
            <Table.Th>{channelFulfilled ? "Amazon's sellable" : "Amazon's quantity"}</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>{channelFulfilled ? 'Read' : 'Last sent'}</Table.Th>
            <Table.Th>Error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(live.data?.items ?? []).map((l) => (
            <Table.Tr key={l.listingId} data-sku={l.sku}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor component="button" type="button" onClick={() => setOpen(l.listingId)} aria-label={`Explain ${l.sku}`}>
                  {l.sku}
                </Anchor>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{l.productSku ?? l.productId}</Table.Td>
              <Table.Td>{marketplaceName(l.marketplaceId)}</Table.Td>
              <Table.Td>{l.fulfillment}</Table.Td>
              <Table.Td data-col="ours">{l.fulfilment === 'channel' ? `${l.reserved ?? '—'} / ${l.inbound ?? '—'}` : (l.computedQuantity ?? '—')}</Table.Td>
              <Table.Td data-col="amazon">
                {l.quantity ?? '—'}
                {l.stale ? ' (stale)' : ''}
                {l.withheld ? (
                  <Text size="xs" c="dimmed" title="Sold on Amazon, order not downloaded yet: not offered again">
                    {l.withheld} withheld
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={l.status} />
              </Table.Td>
              <Table.Td>{when(l.fulfilment === 'channel' ? l.readAt : l.lastSentAt)}</Table.Td>
              <Table.Td>
                <Text size="xs" c="red.9">
                  {l.lastError ?? ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
          {live.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={9}>No listings{status || sku ? ' match' : ' yet: connect one, or import them from the channel settings'}.</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Pager pager={pager} nextCursor={live.data?.nextCursor} label="Live Listings" />
      <ExplainDrawer listingId={open} onClose={() => setOpen(null)} onChanged={() => client.invalidateQueries({ queryKey: ['live', id] })} />
      <ConnectDrawer channelId={id} opened={connectOpen} onClose={() => setConnectOpen(false)} onDone={() => client.invalidateQueries({ queryKey: ['live', id] })} />
    </>
  );
}

/** A product's SKU (components of a bundle are named by id in explain). */
function ProductSku({ id }: { id: string }) {
  const p = useQuery({ queryKey: ['product', id], queryFn: () => api.get<Product>(`/products/${id}`), staleTime: 60_000 });
  return <>{p.data?.sku ?? id}</>;
}

function useWarehouseNames() {
  const w = useQuery({ queryKey: ['warehouses'], queryFn: () => api.get<Page<Warehouse>>('/warehouses?limit=500') });
  return (id: string) => {
    const x = w.data?.items.find((i) => i.id === id);
    return x ? `${x.code} (${x.name})` : id;
  };
}

function ExplainDrawer({ listingId, onClose, onChanged }: { listingId: string | null; onClose: () => void; onChanged: () => void }) {
  const client = useQueryClient();
  const whName = useWarehouseNames();
  const explain = useQuery({ queryKey: ['explain', listingId], queryFn: () => api.get<Explanation>(`/listings/${listingId}/explain`), enabled: !!listingId });
  const listing = useQuery({ queryKey: ['listing', listingId], queryFn: () => api.get<Listing>(`/listings/${listingId}`), enabled: !!listingId });
  const refresh = () => {
    client.invalidateQueries({ queryKey: ['explain', listingId] });
    client.invalidateQueries({ queryKey: ['listing', listingId] });
    onChanged();
  };
  const toggle = useMutation({ mutationFn: (on: boolean) => api.patch(`/listings/${listingId}`, { syncEnabled: on }), onSuccess: refresh });
  const disconnect = useMutation({
    mutationFn: () => api.del(`/listings/${listingId}`),
    onSuccess: () => {
      onChanged();
      onClose();
    },
  });
  const x = explain.data;
  return (
    <Drawer closeButtonProps={{ 'aria-label': 'Close' }} opened={!!listingId} onClose={onClose} position="right" size="lg" title={`Explain ${x?.sku ?? ''}`}>
      <ErrorAlert error={explain.error || listing.error || toggle.error || disconnect.error} />
      {x && (
        <Stack>
          <Text size="sm">
            Channel <b>{x.channel.name}</b>, sync inventory {x.channel.syncInventory ? 'on' : 'off'}; product kind {x.productKind}. Status <StatusBadge status={x.status} />
          </Text>
          {listing.data && (
            <Switch label="Sync this listing" checked={listing.data.syncEnabled} disabled={toggle.isPending} onChange={(e) => toggle.mutate(e.currentTarget.checked)} />
          )}
          <Title order={3} size="h5">
            On hand by warehouse
          </Title>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Warehouse</Table.Th>
                <Table.Th>On hand</Table.Th>
                <Table.Th>Components</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {x.warehouses.map((w) => (
                <Table.Tr key={w.warehouseId}>
                  <Table.Td>{whName(w.warehouseId)}</Table.Td>
                  <Table.Td>{w.onHand}</Table.Td>
                  <Table.Td>
                    {(w.components ?? []).length
                      ? w.components?.map((c) => (
                          <Text size="sm" key={c.productId}>
                            {c.perBundle} × <ProductSku id={c.productId} />: {c.onHand} on hand, {c.bundlesPossible} bundles
                          </Text>
                        ))
                      : '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5">
            Rules, in order
          </Title>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Step</Table.Th>
                <Table.Th>Setting</Table.Th>
                <Table.Th>Quantity</Table.Th>
                <Table.Th>Note</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {x.steps.map((s, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{s.rule}</Table.Td>
                  <Table.Td>{s.setting ?? '—'}</Table.Td>
                  <Table.Td>{s.quantity}</Table.Td>
                  <Table.Td>{s.note}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <SimpleGrid cols={3}>
            <Text size="sm" data-testid="explain-quantity">
              Should show: <b>{x.quantity}</b>
            </Text>
            <Text size="sm">
              Last sent: {x.lastSent.quantity ?? '—'} ({when(x.lastSent.at)})
            </Text>
            <Text size="sm">
              Accepted: {x.channelAccepted.quantity ?? '—'} ({when(x.channelAccepted.at)})
            </Text>
          </SimpleGrid>
          {x.lastError && (
            <Text size="sm" c="red.9">
              Channel's answer: {x.lastError}
            </Text>
          )}
          {listing.data?.fulfilment === 'merchant' && <ListingRules listing={listing.data} onSaved={refresh} />}
          <Group>
            <Button color="red" variant="outline" loading={disconnect.isPending} onClick={() => window.confirm(`Disconnect ${x.sku}? Nothing more is sent for it.`) && disconnect.mutate()}>
              Disconnect
            </Button>
          </Group>
        </Stack>
      )}
    </Drawer>
  );
}

/** Connect a channel SKU to a product (found by its SKU). */
function ConnectDrawer({ channelId, opened, onClose, onDone }: { channelId: string; opened: boolean; onClose: () => void; onDone: () => void }) {
  const [sku, setSku] = useState('');
  const [productSku, setProductSku] = useState('');
  const connect = useMutation({
    mutationFn: async () => {
      const found = await api.get<Page<Product>>(`/products${qs({ sku: productSku.trim() || sku.trim() })}`);
      const product = found.items[0];
      if (!product) throw new Error(`No product with SKU "${productSku.trim() || sku.trim()}": create it under Products and stock first.`);
      return api.post(`/channels/${channelId}/listings`, { sku: sku.trim(), productId: product.id });
    },
    onSuccess: () => {
      onDone();
      setSku('');
      setProductSku('');
      onClose();
    },
  });
  return (
    <Drawer closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} position="right" title="Connect a listing">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          connect.mutate();
        }}
      >
        <Stack>
          <TextInput label="Channel SKU" required value={sku} onChange={(e) => setSku(e.currentTarget.value)} />
          <TextInput label="Product SKU" description="Empty: the product with the same SKU" value={productSku} onChange={(e) => setProductSku(e.currentTarget.value)} />
          <ErrorAlert error={connect.error} />
          <Button type="submit" loading={connect.isPending}>
            Connect
          </Button>
        </Stack>
      </form>
    </Drawer>
  );
}
