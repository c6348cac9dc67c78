import type { TestHost } from './test-host';

/** Small helpers over the admin API, so tests read as the steps a person takes. */
export function inventoryApi(host: TestHost) {
  let seq = 0;
  const api = () => host.api();
  return {
    async warehouse(code?: string): Promise<{ id: string; code: string }> {
      const res = await api().post('/api/v1/warehouses').send({ code: code ?? `WH-${++seq}-${Date.now() % 100000}`, name: 'Warehouse' }).expect(201);
      return res.body;
    },
    async product(sku?: string, extra: Record<string, unknown> = {}): Promise<{ id: string; sku: string }> {
      const res = await api().post('/api/v1/products').send({ sku: sku ?? `SKU-${++seq}-${Date.now() % 100000}`, name: 'Product', kind: 'stock', ...extra }).expect(201);
      return res.body;
    },
    async move(productId: string, warehouseId: string, quantity: number, type: 'goods-in' | 'correction' = quantity > 0 ? 'goods-in' : 'correction') {
      const res = await api().post('/api/v1/stock-movements').send({ productId, warehouseId, type, quantity });
      if (res.status !== 201) throw new Error(`movement refused: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async channel(settings: Record<string, unknown>, type = 'recording', name = `Channel ${++seq}`): Promise<{ id: string; settings: Record<string, unknown> }> {
      const res = await api().post('/api/v1/channels').send({ type, name, settings });
      if (res.status !== 201) throw new Error(`channel refused: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async connect(channelId: string, sku: string, productId: string, extra: Record<string, unknown> = {}): Promise<{ id: string; sku: string }> {
      const res = await api().post(`/api/v1/channels/${channelId}/listings`).send({ sku, productId, ...extra });
      if (res.status !== 201) throw new Error(`connect refused: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async live(channelId: string, query = '') {
      return (await api().get(`/api/v1/channels/${channelId}/live-listings${query}`).expect(200)).body as { items: Record<string, unknown>[]; nextCursor: string | null };
    },
  };
}
