import { openTestDataSource, RowsRejectedError, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import { catalogEntities, catalogMigrations } from './catalog.persistence';
import { CatalogService } from './catalog.service';
import type { ProductRowInput } from './create-many';

describe.each(['sqlite', 'postgres'] as const)('CatalogService.createMany on %s', (engine) => {
  let t: TestDataSource;
  let catalog: CatalogService;

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: catalogEntities, migrations: catalogMigrations });
    catalog = new CatalogService(TransactionRunner.for(t.ds));
  });
  afterAll(async () => {
    await t?.close();
  });

  const rejected = async (rows: ProductRowInput[]) => {
    const err = await catalog.createMany(rows).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RowsRejectedError);
    return (err as RowsRejectedError).rows;
  };

  it('creates parents, variants, stock products and bundles referring to each other in any order', async () => {
    const r = await catalog.createMany([
      { sku: 'CM-GIFT', name: 'Gift', kind: 'bundle', components: [{ sku: 'cm-mug', quantity: 2 }, { sku: 'CM-TEE-M', quantity: 1 }] },
      { sku: 'CM-TEE-M', name: 'Tee M', kind: 'stock', parentSku: 'CM-TEE' },
      { sku: 'CM-TEE', name: 'Tee', kind: 'parent' },
      { sku: ' CM-MUG ', name: 'Mug', kind: 'stock' },
    ]);
    expect(r).toEqual({ created: 4, unchanged: 0 });
    const found = await catalog.findBySkus(['CM-GIFT', 'CM-TEE-M', 'CM-TEE', 'CM-MUG']);
    const gift = await catalog.get(found.get('CM-GIFT')!.id);
    expect(gift.components).toEqual(expect.arrayContaining([{ productId: found.get('CM-MUG')!.id, quantity: 2 }, { productId: found.get('CM-TEE-M')!.id, quantity: 1 }]));
    expect((await catalog.get(found.get('CM-TEE-M')!.id)).parentId).toBe(found.get('CM-TEE')!.id);
  });

  it('leaves rows equal to catalog products alone and refuses rows that would change one', async () => {
    await catalog.createMany([
      { sku: 'EQ-A', name: 'A', kind: 'stock' },
      { sku: 'EQ-B', name: 'B', kind: 'bundle', components: [{ sku: 'EQ-A', quantity: 3 }] },
    ]);
    expect(await catalog.createMany([{ sku: 'eq-b', name: 'B', kind: 'bundle', components: [{ sku: 'eq-a', quantity: 3 }] }, { sku: 'EQ-A', name: 'A', kind: 'stock' }])).toEqual({ created: 0, unchanged: 2 });
    const rows = await rejected([{ sku: 'EQ-B', name: 'B', kind: 'bundle', components: [{ sku: 'EQ-A', quantity: 4 }] }]);
    expect(rows).toEqual([{ row: 0, field: 'sku', message: expect.stringMatching(/sku-unique/) }]);
  });

  it('reports every problem of every row and writes nothing', async () => {
    const rows = await rejected([
      { sku: 'BAD-OK', name: 'fine', kind: 'stock' },
      { sku: '', name: 'no sku', kind: 'stock' },
      { sku: 'BAD-2', name: 'x', kind: 'nonsense' as 'stock' },
      { sku: 'BAD-3', name: 'x', kind: 'stock', parentSku: 'BAD-OK' },
      { sku: 'BAD-4', name: 'x', kind: 'bundle', components: [{ sku: 'MISSING', quantity: 1 }, { sku: 'BAD-OK', quantity: 0 }] },
      { sku: 'bad-ok', name: 'again', kind: 'stock' },
      { sku: 'BAD-5', name: 'x', kind: 'stock', parentSku: 'A\u0001B' },
    ]);
    expect(rows.map((r) => [r.row, r.field])).toEqual([
      [1, 'sku'],
      [2, 'kind'],
      [3, 'parentSku'],
      [4, 'components'],
      [5, 'sku'],
      [6, 'parentSku'],
    ]);
    expect(rows.find((r) => r.row === 3)!.message).toMatch(/variant-parent/);
    expect((await catalog.findBySkus(['BAD-OK'])).size).toBe(0);
  });

  it('refuses a bundle of bundles and a missing parent', async () => {
    await catalog.createMany([{ sku: 'NB-S', name: 's', kind: 'stock' }, { sku: 'NB-B', name: 'b', kind: 'bundle', components: [{ sku: 'NB-S', quantity: 1 }] }]);
    const rows = await rejected([
      { sku: 'NB-BB', name: 'bb', kind: 'bundle', components: [{ sku: 'NB-B', quantity: 1 }] },
      { sku: 'NB-V', name: 'v', kind: 'stock', parentSku: 'NB-NOPE' },
    ]);
    expect(rows).toEqual([
      { row: 0, field: 'components', message: expect.stringMatching(/bundle-components/) },
      { row: 1, field: 'parentSku', message: expect.stringMatching(/no product with SKU "NB-NOPE"/) },
    ]);
  });
});
