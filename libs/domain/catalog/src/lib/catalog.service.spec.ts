import { InvalidInputError, NotFoundError, openTestDataSource, RuleViolationError, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import { catalogEntities, catalogMigrations } from './catalog.persistence';
import { CatalogService } from './catalog.service';

describe.each(['sqlite', 'postgres'] as const)('CatalogService on %s', (engine) => {
  let t: TestDataSource;
  let catalog: CatalogService;

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: catalogEntities, migrations: catalogMigrations });
    catalog = new CatalogService(TransactionRunner.for(t.ds));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates stock products, parents, variants and bundles', async () => {
    const a = await catalog.create({ sku: '  A-1 ', name: 'Mug', kind: 'stock' });
    expect(a).toMatchObject({ sku: 'A-1', name: 'Mug', kind: 'stock', parentId: null, components: [] });
    const parent = await catalog.create({ sku: 'SHIRT', name: 'Shirt', kind: 'parent' });
    const v = await catalog.create({ sku: 'SHIRT-M', name: 'Shirt M', kind: 'stock', parentId: parent.id });
    expect(v.parentId).toBe(parent.id);
    const b = await catalog.create({ sku: 'GIFT', name: 'Gift set', kind: 'bundle', components: [{ productId: a.id, quantity: 2 }, { productId: v.id, quantity: 1 }] });
    expect(b.components).toEqual(expect.arrayContaining([{ productId: a.id, quantity: 2 }, { productId: v.id, quantity: 1 }]));
    expect(await catalog.get(b.id)).toEqual(b);
    expect(await catalog.bundlesContaining([a.id, 'nope'])).toEqual([b.id]);
    expect((await catalog.componentsOf([b.id, a.id])).get(b.id)).toHaveLength(2);
    const bySku = await catalog.findBySkus(['a-1', 'gift ', 'none']);
    expect(bySku.get('a-1')).toEqual({ id: a.id, sku: 'A-1', kind: 'stock' });
    expect(bySku.get('gift ')?.kind).toBe('bundle');
    expect(bySku.has('none')).toBe(false);
    const list = await catalog.list({ parentId: parent.id });
    expect(list.items.map((p) => p.id)).toEqual([v.id]);
  });

  it('refuses duplicate SKUs regardless of case and whitespace', async () => {
    await catalog.create({ sku: 'dup-1', name: 'x', kind: 'stock' });
    await expect(catalog.create({ sku: ' DUP-1', name: 'y', kind: 'stock' })).rejects.toThrow(RuleViolationError);
    await expect(catalog.create({ sku: 'Dup-1', name: 'y', kind: 'stock' })).rejects.toThrow(/sku-unique/);
  });

  it('enforces the bundle rules', async () => {
    const s = await catalog.create({ sku: 'B-S', name: 's', kind: 'stock' });
    const p = await catalog.create({ sku: 'B-P', name: 'p', kind: 'parent' });
    const b = await catalog.create({ sku: 'B-B', name: 'b', kind: 'bundle', components: [{ productId: s.id, quantity: 1 }] });
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', components: [] })).rejects.toThrow(InvalidInputError);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', components: [{ productId: b.id, quantity: 1 }] })).rejects.toThrow(/no bundle in a bundle/);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', components: [{ productId: p.id, quantity: 1 }] })).rejects.toThrow(RuleViolationError);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', components: [{ productId: 'missing', quantity: 1 }] })).rejects.toThrow(NotFoundError);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', components: [{ productId: s.id, quantity: 0 }] })).rejects.toThrow(/components\[0\]\.quantity/);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', components: [{ productId: s.id, quantity: 1 }, { productId: s.id, quantity: 1 }] })).rejects.toThrow(/repeats/);
    const many = Array.from({ length: 41 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }));
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', components: many })).rejects.toThrow(/1 to 40/);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'stock', components: [{ productId: s.id, quantity: 1 }] })).rejects.toThrow(/only allowed for kind "bundle"/);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'stock', parentId: s.id })).rejects.toThrow(/variant-parent/);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'bundle', parentId: p.id, components: [{ productId: s.id, quantity: 1 }] })).rejects.toThrow(/parentId is only allowed/);
    await expect(catalog.create({ sku: 'B-1', name: 'x', kind: 'stock', parentId: 'missing' })).rejects.toThrow(NotFoundError);
    expect((await catalog.list({ sku: 'b-1' })).items).toEqual([]);
  });

  it('pages by SKU with an opaque cursor', async () => {
    for (const s of ['PG-3', 'pg-1', 'PG-2']) await catalog.create({ sku: s, name: s, kind: 'stock' });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.list({ limit: 2, cursor });
      seen.push(...page.items.map((p) => p.sku));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.filter((s) => s.toUpperCase().startsWith('PG-'))).toEqual(['pg-1', 'PG-2', 'PG-3']);
    expect((await catalog.list({ sku: 'PG-1' })).items.map((p) => p.sku)).toEqual(['pg-1']);
  });
});
