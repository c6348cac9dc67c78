import { CatalogService, catalogEntities, catalogMigrations } from '@invsync/domain-catalog';
import { openTestDataSource, RowsRejectedError, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import { stockEntities, stockMigrations, WarehouseService } from '@invsync/domain-stock';
import { ChannelSyncService } from '../channels/channel-sync.service';
import { channelEntities, channelMigrations } from '../persistence';
import { ListingEntity } from '../persistence/listing.entity';
import { ListingService } from './listing.service';

describe.each(['sqlite', 'postgres'] as const)('ListingService.connectMany on %s', (engine) => {
  let t: TestDataSource;
  let listings: ListingService;
  let uk: string;

  beforeAll(async () => {
    t = await openTestDataSource({
      engine,
      entities: [...catalogEntities, ...stockEntities, ...channelEntities],
      migrations: [...catalogMigrations, ...stockMigrations, ...channelMigrations],
    });
    const tx = TransactionRunner.for(t.ds);
    const w = await new WarehouseService(tx).create({ code: 'MAIN', name: 'Main' });
    const channels = new ChannelSyncService(tx);
    const channel = (name: string, pool: string) =>
      channels.create({ type: 'test', name, fulfilment: 'merchant', marketplaceId: pool, quantityPool: pool, accountId: 'acct', pluginSettings: '{}', syncInventory: true, onHandWarehouseIds: [w.id], rules: {} });
    uk = (await channel('UK', 'pool-uk')).id;
    await channel('Twin', 'pool-a');
    await channel('Twin', 'pool-b');
    await new CatalogService(tx).createMany([
      { sku: 'P-1', name: 'one', kind: 'stock' },
      { sku: 'P-2', name: 'two', kind: 'stock' },
      { sku: 'P-PARENT', name: 'parent', kind: 'parent' },
    ]);
    listings = new ListingService(tx);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('connects channel SKUs to products by channel id or name, and leaves rows already connected alone', async () => {
    expect(await listings.connectMany([{ channel: 'UK', sku: 'L-1', productSku: 'p-1' }, { channel: uk, sku: 'L-2', productSku: 'P-2' }])).toEqual({ connected: 2, unchanged: 0 });
    const rows = await t.ds.getRepository(ListingEntity).find({ where: { channelId: uk }, order: { sku: 'ASC' } });
    expect(rows.map((r) => [r.sku, r.status])).toEqual([
      ['L-1', 'pending'],
      ['L-2', 'pending'],
    ]);
    expect(await listings.connectMany([{ channel: 'UK', sku: 'l-1', productSku: 'P-1' }])).toEqual({ connected: 0, unchanged: 1 });
  });

  it('reports every row problem and connects nothing', async () => {
    const err = (await listings
      .connectMany([
        { channel: 'UK', sku: 'N-1', productSku: 'P-1' },
        { channel: 'Twin', sku: 'N-2', productSku: 'P-1' },
        { channel: 'Nope', sku: 'N-3', productSku: 'NOPE' },
        { channel: 'UK', sku: 'L-1', productSku: 'P-2' },
        { channel: 'UK', sku: 'N-4', productSku: 'P-PARENT' },
        { channel: 'UK', sku: 'n-1', productSku: 'P-2' },
      ])
      .catch((e: unknown) => e)) as RowsRejectedError;
    expect(err).toBeInstanceOf(RowsRejectedError);
    expect(err.rows.map((r) => [r.row, r.field])).toEqual([
      [1, 'channel'],
      [2, 'channel'],
      [2, 'productSku'],
      [3, 'sku'],
      [4, 'productSku'],
      [5, 'sku'],
    ]);
    expect(await t.ds.getRepository(ListingEntity).count()).toBe(2);
  });
});
