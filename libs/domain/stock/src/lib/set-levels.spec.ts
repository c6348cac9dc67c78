import { CatalogService, catalogEntities, catalogMigrations } from '@invsync/domain-catalog';
import { openTestDataSource, RowsRejectedError, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import { ProductChangeFeed } from './product-change.feed';
import { StockLedgerService } from './stock-ledger.service';
import { StockMovementEntity } from './stock-movement.entity';
import { WarehouseService, type WarehouseView } from './warehouse.service';
import { stockEntities, stockMigrations } from './stock.persistence';

const cause = { type: 'csv-import', actor: 'test' };

describe.each(['sqlite', 'postgres'] as const)('StockLedgerService.setLevels on %s', (engine) => {
  let t: TestDataSource;
  let catalog: CatalogService;
  let ledger: StockLedgerService;
  let main: WarehouseView;

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: [...catalogEntities, ...stockEntities], migrations: [...catalogMigrations, ...stockMigrations] });
    const tx = TransactionRunner.for(t.ds);
    catalog = new CatalogService(tx);
    const warehouses = new WarehouseService(tx);
    ledger = new StockLedgerService(tx, catalog, warehouses, new ProductChangeFeed(tx));
    main = await warehouses.create({ code: 'Main', name: 'Main' });
    await warehouses.create({ code: 'B', name: 'B' });
    await catalog.createMany([
      { sku: 'S-1', name: 'one', kind: 'stock' },
      { sku: 'S-2', name: 'two', kind: 'stock' },
      { sku: 'S-B', name: 'bundle', kind: 'bundle', components: [{ sku: 'S-1', quantity: 1 }] },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const inStock = async (sku: string, warehouseId = main.id) => {
    const p = (await catalog.findBySkus([sku])).get(sku)!;
    return (await ledger.levels([p.id], [warehouseId]))[0]?.inStock ?? 0;
  };

  it('books goods-in for empty levels and corrections otherwise, with the cause, and nothing where the level already matches', async () => {
    const first = await ledger.setLevels([{ sku: 's-1', warehouse: 'MAIN', inStock: 10 }, { sku: 'S-2', warehouse: 'b', inStock: 0 }], { cause, reason: 'opening stock' });
    expect(first).toMatchObject({ movements: 1, unchanged: 1 });
    expect(await inStock('S-1')).toBe(10);
    const second = await ledger.setLevels([{ sku: 'S-1', warehouse: 'main', inStock: 7 }], { cause });
    expect(second.movements).toBe(1);
    expect(await inStock('S-1')).toBe(7);
    const moves = await t.ds.getRepository(StockMovementEntity).find({ order: { seq: 'ASC' } });
    expect(moves.map((m) => [m.type, m.quantity, m.causeType])).toEqual([
      ['goods-in', 10, 'csv-import'],
      ['correction', -3, 'csv-import'],
    ]);
    expect(await ledger.setLevels([{ sku: 'S-1', warehouse: 'main', inStock: 7 }], { cause })).toMatchObject({ movements: 0, unchanged: 1 });
  });

  it('reports every row problem and books nothing', async () => {
    const before = await t.ds.getRepository(StockMovementEntity).count();
    const err = (await ledger
      .setLevels(
        [
          { sku: 'S-2', warehouse: 'main', inStock: 5 },
          { sku: 'NOPE', warehouse: 'main', inStock: 1 },
          { sku: 'S-B', warehouse: 'nowhere', inStock: 1 },
          { sku: 'S-2', warehouse: 'main', inStock: -1 },
          { sku: 's-2', warehouse: 'MAIN', inStock: 6 },
        ],
        { cause },
      )
      .catch((e: unknown) => e)) as RowsRejectedError;
    expect(err).toBeInstanceOf(RowsRejectedError);
    expect(err.rows.map((r) => [r.row, r.field])).toEqual([
      [1, 'sku'],
      [2, 'sku'],
      [2, 'warehouse'],
      [3, 'quantity'],
      [4, 'sku'],
    ]);
    expect(await t.ds.getRepository(StockMovementEntity).count()).toBe(before);
    expect(await inStock('S-2')).toBe(0);
  });

  it('pages every level by keyset', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ledger.levelPage({ limit: 1, cursor });
      seen.push(...page.items.map((l) => `${l.productId}/${l.warehouseId}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(1);
  });
});
