import {
  chunk,
  decodeCursor,
  encodeCursor,
  InvalidInputError,
  isUniqueViolation,
  MAX_SQL_PARAMS,
  newId,
  NotFoundError,
  nowIso,
  type Page,
  type PageRequest,
  pageSize,
  RuleViolationError,
  type TransactionRunner,
  parameterList,
  tableRef,
  startsWith,
} from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import type { ComponentQuantity } from './bundle-math';
import { BundleComponentEntity } from './bundle-component.entity';
import { PRODUCT_KINDS, ProductEntity, type ProductKind } from './product.entity';
import { checkSku, skuKey } from './sku';
import { createMany, type CreateManyResult, type ProductRowInput } from './create-many';

export const MAX_BUNDLE_COMPONENTS = 40;
export const MAX_COMPONENT_QUANTITY = 10_000;
export const PRODUCT_NAME_MAX_LENGTH = 200;

export interface CreateProductInput {
  sku: string;
  name: string;
  kind: ProductKind;
  /** Only for kind `stock`: makes the product a variant of this `parent` product. */
  parentId?: string | null;
  /** Only for kind `bundle`: 1..40 distinct `stock` products with positive integer quantities. */
  components?: ComponentQuantity[] | null;
}

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  kind: ProductKind;
  parentId: string | null;
  /** A bundle's recipe; empty for other kinds. */
  components: ComponentQuantity[];
  createdAt: string;
}

/** What set-based lookups return: enough to route stock and orders. */
export interface ProductRef {
  id: string;
  sku: string;
  kind: ProductKind;
}

export interface ListProductsQuery extends PageRequest {
  /** Exact SKU, compared by the SKU rule (case and surrounding whitespace ignored). */
  sku?: string;
  /** SKUs starting with this (case-insensitive): a search that walks the SKU index from the prefix. */
  skuPrefix?: string;
  kind?: ProductKind;
  parentId?: string;
}

/** Ids per IN list; leaves room for the fixed parameters of a query. */
const ID_CHUNK = Math.floor(MAX_SQL_PARAMS / 2);

/**
 * Products, variants and bundles (definitions only; stock lives in domain-stock).
 * Every method that reads takes an optional EntityManager to run inside a caller's transaction.
 */
export class CatalogService {
  constructor(private readonly tx: TransactionRunner) {}

  /**
   * Creates a product. Throws InvalidInputError (malformed fields), NotFoundError (unknown parent or
   * component), RuleViolationError (duplicate SKU, parent not of kind `parent`, component not of kind `stock`).
   */
  async create(input: CreateProductInput): Promise<ProductView> {
    const { sku, key, name, kind, parentId, components } = validateCreate(input);
    return this.tx.run(async (em) => {
      if (parentId) {
        const parent = await em.findOneBy(ProductEntity, { id: parentId });
        if (!parent) throw new NotFoundError(`parentId: product ${parentId} does not exist`);
        if (parent.kind !== 'parent') {
          throw new RuleViolationError(
            `variant-parent: parentId ${parentId} is a product of kind "${parent.kind}"; a variant's parent must be of kind "parent" (create one with kind "parent" first)`,
            'variant-parent',
          );
        }
      }
      if (components.length) {
        const found = await this.getRefs(
          components.map((c) => c.productId),
          em,
        );
        const missing = components.filter((c) => !found.has(c.productId)).map((c) => c.productId);
        if (missing.length) throw new NotFoundError(`components: product(s) ${missing.join(', ')} do not exist`);
        components.forEach((c, i) => {
          const ref = found.get(c.productId)!;
          if (ref.kind !== 'stock') {
            throw new RuleViolationError(
              `bundle-components: components[${i}] (${ref.sku}) is of kind "${ref.kind}"; a bundle's components must be stock products (no bundle in a bundle, no variant parent): use its components or variants instead`,
              'bundle-components',
              { index: i },
            );
          }
        });
      }
      const existing = await em.findOneBy(ProductEntity, { skuKey: key });
      if (existing) throw duplicateSku(sku, existing.id);
      const product = em.create(ProductEntity, { id: newId(), sku, skuKey: key, name, kind, parentId, createdAt: nowIso() });
      try {
        await em.insert(ProductEntity, product);
      } catch (err) {
        if (isUniqueViolation(err, 'sku_key')) throw duplicateSku(sku);
        throw err;
      }
      if (components.length) {
        await em.insert(
          BundleComponentEntity,
          components.map((c) => ({ bundleId: product.id, componentId: c.productId, quantity: c.quantity })),
        );
      }
      this.tx.changed('catalog');
      return toView(product, components);
    });
  }

  /**
   * Creates many products, referring to parents and components by SKU, all or nothing (in `em`'s
   * transaction when given). Rows equal to a catalog product are left as they are; every problem of
   * every row is thrown together as RowsRejectedError.
   */
  async createMany(rows: readonly ProductRowInput[], em?: EntityManager): Promise<CreateManyResult> {
    return this.tx.run((m) => createMany(m, rows), { em });
  }

  /** The product, or NotFoundError. */
  async get(id: string, em?: EntityManager): Promise<ProductView> {
    const view = await this.find(id, em);
    if (!view) throw new NotFoundError(`product ${id} does not exist`);
    return view;
  }

  async find(id: string, em?: EntityManager): Promise<ProductView | null> {
    return this.tx.read(async (m) => {
      const p = await m.findOneBy(ProductEntity, { id });
      if (!p) return null;
      const comps = p.kind === 'bundle' ? ((await this.componentsOf([p.id], m)).get(p.id) ?? []) : [];
      return toView(p, comps);
    }, { em });
  }

  /** Products ordered by SKU key; `sku` filters by the SKU rule (exact, case-insensitive). */
  async list(query: ListProductsQuery = {}, em?: EntityManager): Promise<Page<ProductView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor<[string]>(query.cursor, ['string'])[0] : undefined;
    return this.tx.read(async (m) => {
      const qb = m.createQueryBuilder(ProductEntity, 'p').orderBy('p.skuKey', 'ASC').take(limit + 1);
      if (query.sku !== undefined) qb.andWhere('p.skuKey = :key', { key: skuKey(query.sku) });
      if (query.skuPrefix) {
        const prefix = startsWith(m, 'p.sku_key', skuKey(query.skuPrefix));
        qb.andWhere(prefix.where, prefix.params);
      }
      if (query.kind !== undefined) qb.andWhere('p.kind = :kind', { kind: query.kind });
      if (query.parentId !== undefined) qb.andWhere('p.parentId = :parentId', { parentId: query.parentId });
      if (after !== undefined) qb.andWhere('p.skuKey > :after', { after });
      const rows = await qb.getMany();
      const page = rows.slice(0, limit);
      const comps = await this.componentsOf(
        page.filter((p) => p.kind === 'bundle').map((p) => p.id),
        m,
      );
      return {
        items: page.map((p) => toView(p, comps.get(p.id) ?? [])),
        nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].skuKey]) : null,
      };
    }, { em });
  }

  /**
   * Set-based SKU lookup (SKU rule applies). The map is keyed by the SKU exactly as the caller gave it;
   * SKUs without a product are absent.
   */
  async findBySkus(skus: readonly string[], em?: EntityManager): Promise<Map<string, ProductRef>> {
    const keys = new Map<string, string[]>();
    for (const s of skus) {
      const k = skuKey(s);
      keys.set(k, [...(keys.get(k) ?? []), s]);
    }
    const out = new Map<string, ProductRef>();
    await this.tx.read(async (m) => {
      for (const part of chunk([...keys.keys()], ID_CHUNK)) {
        const rows = await m.find(ProductEntity, { where: { skuKey: In(part) }, select: { id: true, sku: true, skuKey: true, kind: true } });
        for (const r of rows) for (const given of keys.get(r.skuKey) ?? []) out.set(given, { id: r.id, sku: r.sku, kind: r.kind });
      }
    }, { em });
    return out;
  }

  /** Set-based lookup by id; unknown ids are absent. */
  async getRefs(ids: readonly string[], em?: EntityManager): Promise<Map<string, ProductRef>> {
    const out = new Map<string, ProductRef>();
    await this.tx.read(async (m) => {
      for (const part of chunk([...new Set(ids)], ID_CHUNK)) {
        // Raw SQL: this runs for every stock movement, and TypeORM's find costs more than the query.
        const params = parameterList(m);
        const rows = await m.query(`SELECT id, sku, kind FROM ${tableRef(m, ProductEntity)} WHERE id IN (${params.list(part)})`, params.values);
        for (const r of rows as ProductRef[]) out.set(r.id, { id: r.id, sku: r.sku, kind: r.kind });
      }
    }, { em });
    return out;
  }

  /** Ids of every bundle that contains at least one of the given products (set-based, distinct). */
  async bundlesContaining(componentIds: readonly string[], em?: EntityManager): Promise<string[]> {
    const out = new Set<string>();
    await this.tx.read(async (m) => {
      for (const part of chunk([...new Set(componentIds)], ID_CHUNK)) {
        const params = parameterList(m);
        const rows = await m.query(`SELECT DISTINCT bundle_id FROM ${tableRef(m, BundleComponentEntity)} WHERE component_id IN (${params.list(part)})`, params.values);
        for (const r of rows as { bundle_id: string }[]) out.add(r.bundle_id);
      }
    }, { em });
    return [...out];
  }

  /** Recipes of the given bundles (set-based); products that are not bundles are absent. */
  async componentsOf(bundleIds: readonly string[], em?: EntityManager): Promise<Map<string, ComponentQuantity[]>> {
    const out = new Map<string, ComponentQuantity[]>();
    if (!bundleIds.length) return out;
    await this.tx.read(async (m) => {
      for (const part of chunk([...new Set(bundleIds)], ID_CHUNK)) {
        const rows = await m.find(BundleComponentEntity, { where: { bundleId: In(part) } });
        for (const r of rows) {
          const list = out.get(r.bundleId) ?? [];
          list.push({ productId: r.componentId, quantity: r.quantity });
          out.set(r.bundleId, list);
        }
      }
    }, { em });
    for (const list of out.values()) list.sort(byProductId);
    return out;
  }
}

/** Components are always listed in product-id order (code-unit order, the same on every engine). */
const byProductId = (a: ComponentQuantity, b: ComponentQuantity) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);

function duplicateSku(sku: string, existingId?: string): RuleViolationError {
  return new RuleViolationError(
    `sku-unique: SKU "${sku}" is already used${existingId ? ` by product ${existingId}` : ''} (SKUs are compared ignoring letter case and surrounding whitespace); choose another SKU`,
    'sku-unique',
  );
}

function toView(p: ProductEntity, components: ComponentQuantity[]): ProductView {
  return { id: p.id, sku: p.sku, name: p.name, kind: p.kind, parentId: p.parentId ?? null, components, createdAt: p.createdAt };
}

interface ValidCreate {
  sku: string;
  key: string;
  name: string;
  kind: ProductKind;
  parentId: string | null;
  components: ComponentQuantity[];
}

/** Domain validation of a create request (the host's DTO checks types first; this holds the rules). */
export function validateCreate(input: CreateProductInput): ValidCreate {
  const problems: string[] = [];
  const s = checkSku(input.sku);
  if ('problems' in s) problems.push(...s.problems);
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) problems.push('name must be a non-empty string');
  else if ([...name].length > PRODUCT_NAME_MAX_LENGTH) problems.push(`name must be at most ${PRODUCT_NAME_MAX_LENGTH} characters`);
  const kind = input.kind;
  if (!PRODUCT_KINDS.includes(kind)) problems.push(`kind must be one of: ${PRODUCT_KINDS.join(', ')}`);
  const parentId = input.parentId ?? null;
  if (parentId !== null && (typeof parentId !== 'string' || !parentId)) problems.push('parentId must be a product id');
  if (parentId !== null && kind !== 'stock') problems.push(`parentId is only allowed for kind "stock" (a variant); a ${kind} cannot have a parent`);
  const components = input.components ?? [];
  if (kind === 'bundle') {
    if (!Array.isArray(components) || components.length < 1 || components.length > MAX_BUNDLE_COMPONENTS) {
      problems.push(`components must list 1 to ${MAX_BUNDLE_COMPONENTS} products for a bundle; got ${Array.isArray(components) ? components.length : 'none'}`);
    } else {
      const seen = new Map<string, number>();
      components.forEach((c, i) => {
        if (typeof c?.productId !== 'string' || !c.productId) problems.push(`components[${i}].productId must be a product id`);
        if (!Number.isInteger(c?.quantity) || c.quantity < 1 || c.quantity > MAX_COMPONENT_QUANTITY) {
          problems.push(`components[${i}].quantity must be an integer from 1 to ${MAX_COMPONENT_QUANTITY}`);
        }
        const first = seen.get(c?.productId);
        if (first !== undefined) problems.push(`components[${i}].productId repeats components[${first}]; list each component once with its total quantity`);
        else seen.set(c?.productId, i);
      });
    }
  } else if (input.components != null && (!Array.isArray(components) || components.length > 0)) {
    problems.push(`components are only allowed for kind "bundle"`);
  }
  if (problems.length || 'problems' in s) throw new InvalidInputError(problems);
  return { sku: s.sku, key: s.key, name, kind, parentId, components: kind === 'bundle' ? components.map((c) => ({ productId: c.productId, quantity: c.quantity })).sort(byProductId) : [] };
}
