import { BundleComponentEntity, type CatalogService, type ComponentQuantity, type ProductKind, wholeBundles } from '@invsync/domain-catalog';
import { chunk, MAX_SQL_PARAMS, queryNamed, tableRef, toInt, type TransactionRunner } from '@invsync/domain-shared';
import { StockLevelEntity, type WarehouseService } from '@invsync/domain-stock';
import { type EntityManager, In } from 'typeorm';

/** Largest IN list of warehouses per query (results are summed over chunks). */
const WAREHOUSE_CHUNK = 1000;
/** Largest IN list of products per query; the bundle query binds it twice. */
const PRODUCT_CHUNK = 5000;

export interface ComponentBreakdown {
  productId: string;
  /** Units per bundle. */
  quantity: number;
  onHand: number;
  /** floor(onHand / quantity) */
  canMake: number;
}

export interface WarehouseBreakdown {
  warehouseId: string;
  code: string;
  inStock: number;
  allocated: number;
  onHand: number;
  /** Bundles only: how each component limits this warehouse. */
  components?: ComponentBreakdown[];
}

export interface ProductInventory {
  productId: string;
  kind: ProductKind;
  warehouses: WarehouseBreakdown[];
  total: { inStock: number; allocated: number; onHand: number };
}

/**
 * On hand over any set of warehouses, set-based. `onHand` runs two grouped queries per chunk of
 * products (stock products; bundles by the per-warehouse rule), never one per product: built for the
 * nightly reconciliation of a million listings.
 */
export class AvailabilityService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly catalog: CatalogService,
    private readonly warehouses: WarehouseService,
    /** Chunk sizes (tests make them tiny to prove that chunks add up). */
    private readonly limits: { productChunk?: number; warehouseChunk?: number } = {},
  ) {}

  /**
   * On hand of each product summed over `warehouseIds`: stock products `SUM(in_stock - allocated)`,
   * bundles `sum over warehouses of min over components floor(on hand / qty)`, parents and unknown
   * ids 0. Every requested id is in the result; never negative.
   */
  async onHand(productIds: readonly string[], warehouseIds: readonly string[], em?: EntityManager): Promise<Map<string, number>> {
    const products = [...new Set(productIds)];
    const warehouses = [...new Set(warehouseIds)];
    const out = new Map<string, number>(products.map((p) => [p, 0]));
    if (!products.length || !warehouses.length) return out;
    const warehouseChunk = this.limits.warehouseChunk ?? WAREHOUSE_CHUNK;
    const productChunk = this.limits.productChunk ?? Math.min(PRODUCT_CHUNK, Math.floor((MAX_SQL_PARAMS - warehouseChunk) / 2));
    await this.tx.read(async (m) => {
      const sl = tableRef(m, StockLevelEntity);
      const bc = tableRef(m, BundleComponentEntity);
      const join = this.tx.engine === 'sqlite' ? 'CROSS JOIN' : 'JOIN';
      // SQLite: "+" keeps the warehouse term off the primary key, so each product is one index search
      // whose few levels are then filtered, instead of one search per (product, warehouse).
      const warehouseTerm = this.tx.engine === 'sqlite' ? '+sl.warehouse_id' : 'sl.warehouse_id';
      for (const w of chunk(warehouses, warehouseChunk)) {
        for (const p of chunk(products, productChunk)) {
          const stock = await queryNamed<{ product_id: string; on_hand: unknown }>(
            m,
            `SELECT sl.product_id AS product_id, SUM(sl.in_stock - sl.allocated) AS on_hand
               FROM ${sl} sl
              WHERE sl.product_id IN (:...p) AND ${warehouseTerm} IN (:...w)
              GROUP BY sl.product_id`,
            { p, w },
          );
          for (const r of stock) out.set(r.product_id, out.get(r.product_id)! + Math.max(0, toInt(r.on_hand)));
          // Per (bundle, warehouse): the fewest bundles any component allows; a warehouse lacking a
          // level row for some component (n < the bundle's component count) makes none. Then summed
          // per bundle. The bundles among the ids are found once (b), and only their components read.
          // SQLite without ANALYZE statistics would drive the join from stock_level's warehouse index
          // (a scan of every level per chunk); its CROSS JOIN fixes the order (bundle_component first).
          // PostgreSQL plans this well on its own and does not accept ON after CROSS JOIN.
          const bundles = await queryNamed<{ bundle_id: string; on_hand: unknown }>(
            m,
            `WITH b AS (SELECT bundle_id, COUNT(*) AS n FROM ${bc} WHERE bundle_id IN (:...p) GROUP BY bundle_id)
             SELECT t.bundle_id AS bundle_id, SUM(t.can_make) AS on_hand
               FROM (SELECT b.bundle_id AS bundle_id, b.n AS components, sl.warehouse_id AS warehouse_id,
                            MIN((sl.in_stock - sl.allocated) / bc.quantity) AS can_make, COUNT(*) AS n
                       FROM b
                       ${join} ${bc} bc ON bc.bundle_id = b.bundle_id
                       ${join} ${sl} sl ON sl.product_id = bc.component_id
                      WHERE sl.warehouse_id IN (:...w)
                      GROUP BY b.bundle_id, b.n, sl.warehouse_id) t
              WHERE t.can_make > 0 AND t.n = t.components
              GROUP BY t.bundle_id`,
            { p, w },
          );
          for (const r of bundles) out.set(r.bundle_id, out.get(r.bundle_id)! + Math.max(0, toInt(r.on_hand)));
        }
      }
    }, { em });
    return out;
  }

  /**
   * Per-warehouse breakdown of one product (every warehouse, or `warehouseIds`), for
   * GET /products/:id/inventory and listing "explain". Bundles: inStock/allocated 0, onHand by the
   * bundle rule, with each component's contribution. NotFoundError for an unknown product.
   */
  async breakdown(productId: string, warehouseIds?: readonly string[], em?: EntityManager): Promise<ProductInventory> {
    return this.tx.read(async (m) => {
      const product = await this.catalog.get(productId, m);
      let whs = await this.warehouses.all(m);
      if (warehouseIds) {
        const wanted = new Set(warehouseIds);
        whs = whs.filter((w) => wanted.has(w.id));
      }
      const components: ComponentQuantity[] = product.kind === 'bundle' ? product.components : product.kind === 'stock' ? [{ productId, quantity: 1 }] : [];
      const levels = components.length && whs.length
        ? await m.findBy(StockLevelEntity, { productId: In(components.map((c) => c.productId)), warehouseId: In(whs.map((w) => w.id)) })
        : [];
      const level = (p: string, w: string) => levels.find((l) => l.productId === p && l.warehouseId === w);
      const rows: WarehouseBreakdown[] = whs.map((w) => {
        if (product.kind === 'stock') {
          const l = level(productId, w.id);
          const inStock = l ? Number(l.inStock) : 0;
          const allocated = l ? Number(l.allocated) : 0;
          return { warehouseId: w.id, code: w.code, inStock, allocated, onHand: inStock - allocated };
        }
        const onHandOf = (p: string) => {
          const l = level(p, w.id);
          return l ? Number(l.inStock) - Number(l.allocated) : 0;
        };
        const row: WarehouseBreakdown = { warehouseId: w.id, code: w.code, inStock: 0, allocated: 0, onHand: wholeBundles(components, onHandOf) };
        if (product.kind === 'bundle') {
          row.components = components.map((c) => ({ productId: c.productId, quantity: c.quantity, onHand: onHandOf(c.productId), canMake: Math.floor(Math.max(0, onHandOf(c.productId)) / c.quantity) }));
        }
        return row;
      });
      const total = rows.reduce((t, r) => ({ inStock: t.inStock + r.inStock, allocated: t.allocated + r.allocated, onHand: t.onHand + r.onHand }), { inStock: 0, allocated: 0, onHand: 0 });
      return { productId, kind: product.kind, warehouses: rows, total };
    }, { em });
  }
}
