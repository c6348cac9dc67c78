import { CatalogService, catalogEntities, catalogMigrations } from '@invsync/domain-catalog';
import { type ChangeTopic, openTestDataSource, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import { stockEntities, stockMigrations, WarehouseService } from '@invsync/domain-stock';
import { ChannelSyncService } from './channels/channel-sync.service';
import { ListingService } from './listings/listing.service';
import { channelEntities, channelMigrations } from './persistence';

describe.each(['sqlite', 'postgres'] as const)('channel and listing writes declare their topics on %s', (engine) => {
  let t: TestDataSource;
  let tx: TransactionRunner;
  let catalog: CatalogService;
  let channels: ChannelSyncService;
  let listings: ListingService;
  let warehouseId: string;
  let heard: ChangeTopic[][];
  let off: () => void;

  beforeAll(async () => {
    t = await openTestDataSource({
      engine,
      entities: [...catalogEntities, ...stockEntities, ...channelEntities],
      migrations: [...catalogMigrations, ...stockMigrations, ...channelMigrations],
    });
    tx = TransactionRunner.for(t.ds);
    catalog = new CatalogService(tx);
    channels = new ChannelSyncService(tx);
    listings = new ListingService(tx);
    warehouseId = (await new WarehouseService(tx).create({ code: 'W', name: 'W' })).id;
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    heard = [];
    off = tx.afterCommit((topics) => heard.push([...topics]));
  });
  afterEach(() => off());

  it('announces channel creation and settings changes as channels, product creation as catalog, and listing connect, change and disconnect as listings', async () => {
    const channel = await channels.create({
      type: 'test', name: 'shop', fulfilment: 'merchant', marketplaceId: 'M', quantityPool: 's:M', accountId: 's',
      syncInventory: true, onHandWarehouseIds: [warehouseId], rules: {}, pluginSettings: '{}',
    });
    await channels.update(channel.id, { syncInventory: false });
    const product = await catalog.create({ sku: `T-${engine}`, name: 'p', kind: 'stock' });
    const listing = await listings.connect(channel.id, { sku: `T-${engine}`, productId: product.id });
    await listings.update(listing.id, { syncEnabled: false });
    await listings.disconnect(listing.id);
    expect(heard).toEqual([['channels'], ['channels'], ['catalog'], ['listings'], ['listings'], ['listings']]);
  });

  it('announces nothing for a refused write or a health check', async () => {
    await expect(listings.connect('no-such-channel', { sku: 'X', productId: 'none' })).rejects.toThrow(/No channel/);
    const [c] = await channels.list();
    await channels.recordHealth(c.id, true, null);
    expect(heard).toEqual([]);
  });
});
