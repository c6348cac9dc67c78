import { chunk, InvalidInputError, insertRows, MAX_SQL_PARAMS, newId, nowIso, type RowProblem, RowsRejectedError, fieldOfProblem, tableRef } from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import { BundleComponentEntity } from './bundle-component.entity';
import { ProductEntity, type ProductKind } from './product.entity';
import { checkSku } from './sku';
import { validateCreate } from './catalog.service';

/** A product to create, referring to its parent and components by SKU (as spreadsheets do). */
export interface ProductRowInput {
  sku: string;
  name: string;
  kind: ProductKind;
  /** kind `stock` only: the SKU of a `parent` product, in the same input or already in the catalog. */
  parentSku?: string | null;
  /** kind `bundle` only: stock products by SKU, in the same input or already in the catalog. */
  components?: { sku: string; quantity: number }[] | null;
}

export interface CreateManyResult {
  /** Rows that created a product. */
  created: number;
  /** Rows equal to a product already in the catalog (same SKU, name, kind, parent and components): nothing written. */
  unchanged: number;
}

interface ValidRow {
  row: number;
  sku: string;
  key: string;
  name: string;
  kind: ProductKind;
  parentKey: string | null;
  components: { key: string; quantity: number }[];
}

interface Known {
  id: string;
  kind: ProductKind;
  /** What it is made of, to tell an equal row from a conflicting one (catalog products only). */
  signature?: string;
}

/**
 * Creates many products in the caller's transaction, all or nothing, with the rules of
 * `CatalogService.create`. Rows may refer to each other (a variant to a parent, a bundle to its
 * components) in any order. Every problem of every row is collected and thrown as RowsRejectedError.
 */
export async function createMany(em: EntityManager, inputs: readonly ProductRowInput[]): Promise<CreateManyResult> {
  const problems: RowProblem[] = [];
  const rows = inputs.map((input, row) => validateRow(input, row, problems)).filter((r): r is ValidRow => r !== null);
  const inFile = new Map<string, ValidRow>();
  for (const r of rows) {
    const first = inFile.get(r.key);
    if (first) problems.push({ row: r.row, field: 'sku', message: `sku-unique: SKU "${r.sku}" repeats row ${first.row} (SKUs are compared ignoring letter case and surrounding whitespace)` });
    else inFile.set(r.key, r);
  }
  const wanted = new Set(rows.flatMap((r) => [r.key, ...(r.parentKey ? [r.parentKey] : []), ...r.components.map((c) => c.key)]));
  const catalog = await loadKnown(em, [...wanted]);
  const known = (key: string): Known | undefined => catalog.get(key) ?? (inFile.has(key) ? { id: '', kind: inFile.get(key)!.kind } : undefined);

  const toCreate: ValidRow[] = [];
  let unchanged = 0;
  for (const r of rows) {
    if (inFile.get(r.key) !== r) continue;
    const existing = catalog.get(r.key);
    if (existing) {
      if (existing.signature === signature(r)) unchanged++;
      else problems.push({ row: r.row, field: 'sku', message: `sku-unique: SKU "${r.sku}" is already used by product ${existing.id} with another name, kind, parent or components; an import creates products, it does not change them` });
      continue;
    }
    if (r.parentKey) {
      const parent = known(r.parentKey);
      if (!parent) problems.push({ row: r.row, field: 'parentSku', message: `no product with SKU "${r.parentKey}" in the rows or the catalog` });
      else if (parent.kind !== 'parent') problems.push({ row: r.row, field: 'parentSku', message: `variant-parent: "${r.parentKey}" is of kind "${parent.kind}"; a variant's parent must be of kind "parent"` });
    }
    for (const c of r.components) {
      const comp = known(c.key);
      if (!comp) problems.push({ row: r.row, field: 'components', message: `no product with SKU "${c.key}" in the rows or the catalog` });
      else if (comp.kind !== 'stock') problems.push({ row: r.row, field: 'components', message: `bundle-components: "${c.key}" is of kind "${comp.kind}"; a bundle's components must be stock products (no bundle in a bundle, no variant parent)` });
    }
    toCreate.push(r);
  }
  if (problems.length) throw new RowsRejectedError(problems.sort((a, b) => a.row - b.row));

  const ids = new Map(toCreate.map((r) => [r.key, newId()]));
  const idOf = (key: string) => ids.get(key) ?? catalog.get(key)!.id;
  const now = nowIso();
  // Parents before their variants: the foreign key is checked per statement.
  const order: ProductKind[] = ['parent', 'stock', 'bundle'];
  const products = order.flatMap((kind) =>
    toCreate
      .filter((r) => r.kind === kind)
      .map((r) => [ids.get(r.key)!, r.sku, r.key, r.name, r.kind, r.parentKey ? idOf(r.parentKey) : null, now]),
  );
  // Plain multi-row INSERTs: TypeORM's entity insert costs far more than the statement for many rows.
  await insertRows(em, tableRef(em, ProductEntity), ['id', 'sku', 'sku_key', 'name', 'kind', 'parent_id', 'created_at'], products);
  const components = toCreate.flatMap((r) => r.components.map((c) => [ids.get(r.key)!, idOf(c.key), c.quantity]));
  await insertRows(em, tableRef(em, BundleComponentEntity), ['bundle_id', 'component_id', 'quantity'], components);
  return { created: toCreate.length, unchanged };
}

/** The create rules of one row, with references as SKU keys; null (and problems) when it breaks one. */
function validateRow(input: ProductRowInput, row: number, problems: RowProblem[]): ValidRow | null {
  const before = problems.length;
  const ref = (raw: string, field: string): string => {
    const s = checkSku(raw, field);
    if ('problems' in s) {
      for (const message of s.problems) problems.push({ row, field, message });
      return '';
    }
    return s.key;
  };
  // An unreadable reference is reported once, here; a placeholder keeps create()'s checks from repeating it.
  const parentKey = input.parentSku ? ref(input.parentSku, 'parentSku') || null : null;
  const components = input.components?.map((c, i) => ({ productId: ref(c.sku, 'components') || `\u0000invalid-${i}`, quantity: c.quantity })) ?? null;
  try {
    // The SKU keys stand for the ids create() takes: the same rules, checked on the references.
    const v = validateCreate({ sku: input.sku, name: input.name, kind: input.kind, parentId: parentKey, components });
    if (problems.length > before) return null;
    return { row, sku: v.sku, key: checkSkuKey(v.sku), name: v.name, kind: v.kind, parentKey: v.parentId, components: v.components.map((c) => ({ key: c.productId, quantity: c.quantity })) };
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    for (const p of err.problems) {
      const message = p.replace(/\bparentId\b/g, 'parentSku').replace(/\.productId\b/g, '.sku');
      problems.push({ row, field: fieldOfProblem(message, 'sku'), message });
    }
    return null;
  }
}

const checkSkuKey = (sku: string) => (checkSku(sku) as { key: string }).key;

/** What a row or a catalog product is made of, comparable between the two. */
function signature(p: { name: string; kind: ProductKind; parentKey: string | null; components: { key: string; quantity: number }[] }): string {
  const comps = [...p.components].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((c) => `${c.key}*${c.quantity}`);
  return JSON.stringify([p.name, p.kind, p.parentKey, comps]);
}

/** Catalog products among the keys, with their signatures (parent and components as SKU keys). */
async function loadKnown(em: EntityManager, keys: string[]): Promise<Map<string, Known>> {
  const rows: ProductEntity[] = [];
  for (const part of chunk(keys, MAX_SQL_PARAMS)) rows.push(...(await em.find(ProductEntity, { where: { skuKey: In(part) } })));
  const bundleIds = rows.filter((r) => r.kind === 'bundle').map((r) => r.id);
  const comps: BundleComponentEntity[] = [];
  for (const part of chunk(bundleIds, MAX_SQL_PARAMS)) comps.push(...(await em.find(BundleComponentEntity, { where: { bundleId: In(part) } })));
  const refIds = [...new Set([...rows.map((r) => r.parentId).filter((id): id is string => !!id), ...comps.map((c) => c.componentId)])];
  const keyOf = new Map<string, string>();
  for (const part of chunk(refIds, MAX_SQL_PARAMS)) {
    for (const p of await em.find(ProductEntity, { where: { id: In(part) }, select: { id: true, skuKey: true } })) keyOf.set(p.id, p.skuKey);
  }
  const recipes = new Map<string, { key: string; quantity: number }[]>();
  for (const c of comps) recipes.set(c.bundleId, [...(recipes.get(c.bundleId) ?? []), { key: keyOf.get(c.componentId)!, quantity: c.quantity }]);
  const out = new Map<string, Known>();
  for (const r of rows) {
    const components = recipes.get(r.id) ?? [];
    out.set(r.skuKey, { id: r.id, kind: r.kind, signature: signature({ name: r.name, kind: r.kind, parentKey: r.parentId ? keyOf.get(r.parentId)! : null, components }) });
  }
  return out;
}
