import { ActionIcon, Anchor, Button, Drawer, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Inventory, type Page, type Product, qs, type Warehouse } from '../api';
import { ErrorAlert, PageTitle, Pager, useCursorPager, when } from '../ui';

export function ProductsPage() {
  return (
    <>
      <PageTitle>Products and stock</PageTitle>
      <Tabs defaultValue="products" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="products">Products</Tabs.Tab>
          <Tabs.Tab value="warehouses">Warehouses</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="products">
          <ProductList />
        </Tabs.Panel>
        <Tabs.Panel value="warehouses">
          <Warehouses />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function useWarehouses() {
  return useQuery({ queryKey: ['warehouses'], queryFn: () => api.get<Page<Warehouse>>('/warehouses?limit=500') });
}

function ProductList() {
  const [search, setSearch] = useState('');
  const [prefix, setPrefix] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const pager = useCursorPager();
  const products = useQuery({
    queryKey: ['products', prefix, kind, pager.cursor],
    queryFn: () => api.get<Page<Product>>(`/products${qs({ skuPrefix: prefix, kind, limit: 50, cursor: pager.cursor })}`),
    placeholderData: (p) => p,
  });
  const [open, setOpen] = useState<Product | null>(null);
  const [creating, setCreating] = useState(false);
  const names = new Map((products.data?.items ?? []).map((p) => [p.id, p.sku]));
  return (
    <>
      <Group
        component="form"
        role="search"
        align="flex-end"
        mb="sm"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          pager.reset();
          setPrefix(search.trim());
        }}
      >
        <TextInput label="SKU starts with" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <Select
          label="Kind"
          placeholder="Any kind"
          clearable
          data={['stock', 'bundle', 'parent']}
          value={kind}
          onChange={(v) => {
            pager.reset();
            setKind(v);
          }}
        />
        <Button type="submit" variant="default">
          Search
        </Button>
        <Button onClick={() => setCreating(true)}>New product</Button>
      </Group>
      <ErrorAlert error={products.error} />
      <Table striped highlightOnHover withTableBorder>
        <Table.Caption>Products in SKU order; open one for its stock</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>SKU</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Parent / components</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(products.data?.items ?? []).map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Anchor component="button" type="button" onClick={() => setOpen(p)}>
                  {p.sku}
                </Anchor>
              </Table.Td>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.kind === 'stock' && p.parentId ? 'variant' : p.kind}</Table.Td>
              <Table.Td>
                {p.parentId ? `variant of ${names.get(p.parentId) ?? p.parentId}` : p.components.map((c) => `${c.quantity} × ${names.get(c.productId) ?? c.productId}`).join(', ')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pager pager={pager} nextCursor={products.data?.nextCursor} label="Products" />
      <ProductDrawer product={open} onClose={() => setOpen(null)} />
      <CreateProduct opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function ProductDrawer({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const client = useQueryClient();
  const warehouses = useWarehouses();
  const id = product?.id;
  const inventory = useQuery({ queryKey: ['inventory', id], queryFn: () => api.get<Inventory>(`/products/${id}/inventory`), enabled: !!id });
  const variants = useQuery({ queryKey: ['variants', id], queryFn: () => api.get<Page<Product>>(`/products${qs({ parentId: id, limit: 100 })}`), enabled: product?.kind === 'parent' });
  const movements = useQuery({
    queryKey: ['movements', id],
    queryFn: () => api.get<Page<{ id: string; warehouseId: string; type: string; quantity: number; reason: string | null; createdAt: string }>>(`/stock-movements${qs({ productId: id, limit: 20 })}`),
    enabled: !!id && product?.kind === 'stock',
  });
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [type, setType] = useState('goods-in');
  const [quantity, setQuantity] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const book = useMutation({
    mutationFn: () => api.post('/stock-movements', { productId: id, warehouseId, type, quantity: Number(quantity), ...(reason.trim() ? { reason: reason.trim() } : {}) }),
    onSuccess: () => {
      setQuantity('');
      setReason('');
      client.invalidateQueries({ queryKey: ['inventory', id] });
      client.invalidateQueries({ queryKey: ['movements', id] });
    },
  });
  const wh = (wid: string) => warehouses.data?.items.find((w) => w.id === wid)?.code ?? wid;
  return (
    <Drawer closeButtonProps={{ 'aria-label': 'Close' }} opened={!!product} onClose={onClose} position="right" size="lg" title={product ? `${product.sku}: ${product.name}` : ''}>
      {product && (
        <Stack>
          <ErrorAlert error={inventory.error} />
          <Title order={3} size="h5">
            Inventory by warehouse
          </Title>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Warehouse</Table.Th>
                <Table.Th>In stock</Table.Th>
                <Table.Th>Allocated</Table.Th>
                <Table.Th>On hand</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(inventory.data?.warehouses ?? []).map((w) => (
                <Table.Tr key={w.warehouseId}>
                  <Table.Td>{wh(w.warehouseId)}</Table.Td>
                  <Table.Td>{w.inStock}</Table.Td>
                  <Table.Td>{w.allocated}</Table.Td>
                  <Table.Td>{w.onHand}</Table.Td>
                </Table.Tr>
              ))}
              {inventory.data && (
                <Table.Tr fw={700}>
                  <Table.Td>Total</Table.Td>
                  <Table.Td>{inventory.data.total.inStock}</Table.Td>
                  <Table.Td>{inventory.data.total.allocated}</Table.Td>
                  <Table.Td data-testid="total-on-hand">{inventory.data.total.onHand}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          {product.kind === 'bundle' && <Text size="sm">A bundle holds no stock: its on hand is the complete bundles its components make in each warehouse.</Text>}
          {product.kind === 'parent' && (
            <Text size="sm">
              Variants: {(variants.data?.items ?? []).map((v) => v.sku).join(', ') || 'none yet'} (a parent holds no stock; create a stock product with this parent for a variant).
            </Text>
          )}
          {product.kind === 'stock' && (
            <form
              aria-label="Book a stock movement"
              onSubmit={(e) => {
                e.preventDefault();
                book.mutate();
              }}
            >
              <Stack gap="xs">
                <Title order={3} size="h5">
                  Book goods-in or a correction
                </Title>
                <SegmentedControl
                  aria-label="Movement type"
                  data={[
                    { value: 'goods-in', label: 'Goods-in' },
                    { value: 'correction', label: 'Correction' },
                  ]}
                  value={type}
                  onChange={setType}
                />
                <SimpleGrid cols={2}>
                  <Select label="Warehouse" required allowDeselect={false} data={(warehouses.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code}: ${w.name}` }))} value={warehouseId} onChange={setWarehouseId} />
                  <NumberInput
                    label="Quantity"
                    description={type === 'correction' ? 'Negative takes units out' : undefined}
                    required
                    allowDecimal={false}
                    min={type === 'goods-in' ? 1 : undefined}
                    value={quantity}
                    onChange={setQuantity}
                  />
                </SimpleGrid>
                <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
                <ErrorAlert error={book.error} />
                {book.isSuccess && (
                  <Text size="sm" role="status" c="green.9">
                    Booked.
                  </Text>
                )}
                <Button type="submit" loading={book.isPending}>
                  Book
                </Button>
              </Stack>
            </form>
          )}
          {movements.data && movements.data.items.length > 0 && (
            <>
              <Title order={3} size="h5">
                Latest movements
              </Title>
              <Table withTableBorder>
                <Table.Tbody>
                  {movements.data.items.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>{when(m.createdAt)}</Table.Td>
                      <Table.Td>{wh(m.warehouseId)}</Table.Td>
                      <Table.Td>{m.type}</Table.Td>
                      <Table.Td>{m.quantity > 0 ? `+${m.quantity}` : m.quantity}</Table.Td>
                      <Table.Td>{m.reason ?? ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

function CreateProduct({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [sku, setSku] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState('stock');
  const [parentSku, setParentSku] = useState('');
  const [components, setComponents] = useState<Array<{ sku: string; quantity: number | string }>>([{ sku: '', quantity: 1 }]);
  const bySku = async (s: string) => {
    const p = (await api.get<Page<Product>>(`/products${qs({ sku: s.trim() })}`)).items[0];
    if (!p) throw new Error(`No product with SKU "${s.trim()}"`);
    return p.id;
  };
  const create = useMutation({
    mutationFn: async () => {
      const body: Record<string, unknown> = { sku: sku.trim(), name: name.trim(), kind };
      if (kind === 'stock' && parentSku.trim()) body['parentId'] = await bySku(parentSku);
      if (kind === 'bundle') body['components'] = await Promise.all(components.filter((c) => c.sku.trim()).map(async (c) => ({ productId: await bySku(c.sku), quantity: Number(c.quantity) })));
      return api.post<Product>('/products', body);
    },
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['products'] });
      setSku('');
      setName('');
      setParentSku('');
      setComponents([{ sku: '', quantity: 1 }]);
      onClose();
    },
  });
  return (
    <Drawer closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} position="right" title="New product">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput label="SKU" required value={sku} onChange={(e) => setSku(e.currentTarget.value)} />
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            label="Kind"
            required
            allowDeselect={false}
            data={[
              { value: 'stock', label: 'Stock (or a variant)' },
              { value: 'bundle', label: 'Bundle' },
              { value: 'parent', label: 'Parent of variants' },
            ]}
            value={kind}
            onChange={(v) => setKind(v ?? 'stock')}
          />
          {kind === 'stock' && <TextInput label="Parent SKU" description="For a variant" value={parentSku} onChange={(e) => setParentSku(e.currentTarget.value)} />}
          {kind === 'bundle' &&
            components.map((c, i) => (
              <Group key={i} align="flex-end" wrap="nowrap">
                <TextInput label={`Component ${i + 1} SKU`} value={c.sku} onChange={(e) => setComponents((cs) => cs.map((x, j) => (j === i ? { ...x, sku: e.currentTarget.value } : x)))} />
                <NumberInput label="Quantity" w={100} min={1} allowDecimal={false} value={c.quantity} onChange={(v) => setComponents((cs) => cs.map((x, j) => (j === i ? { ...x, quantity: v } : x)))} />
                <ActionIcon variant="default" size="lg" aria-label={`Remove component ${i + 1}`} onClick={() => setComponents((cs) => cs.filter((_, j) => j !== i))}>
                  ×
                </ActionIcon>
              </Group>
            ))}
          {kind === 'bundle' && (
            <Button variant="default" onClick={() => setComponents((cs) => [...cs, { sku: '', quantity: 1 }])}>
              Add a component
            </Button>
          )}
          <ErrorAlert error={create.error} />
          <Button type="submit" loading={create.isPending}>
            Create product
          </Button>
        </Stack>
      </form>
    </Drawer>
  );
}

function Warehouses() {
  const client = useQueryClient();
  const warehouses = useWarehouses();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Warehouse>('/warehouses', { code: code.trim(), name: name.trim() }),
    onSuccess: () => {
      setCode('');
      setName('');
      client.invalidateQueries({ queryKey: ['warehouses'] });
    },
  });
  return (
    <>
      <ErrorAlert error={warehouses.error} />
      <Table striped withTableBorder mb="md">
        <Table.Caption>Warehouses</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Code</Table.Th>
            <Table.Th>Name</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(warehouses.data?.items ?? []).map((w) => (
            <Table.Tr key={w.id}>
              <Table.Td>{w.code}</Table.Td>
              <Table.Td>{w.name}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group
        component="form"
        aria-label="New warehouse"
        align="flex-end"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextInput label="Warehouse code" required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        <TextInput label="Warehouse name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button type="submit" loading={create.isPending}>
          Add warehouse
        </Button>
      </Group>
      <ErrorAlert error={create.error} />
    </>
  );
}
