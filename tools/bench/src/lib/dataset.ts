import { quantityPoolOf } from '@invsync/amazon-spapi';
import { skuKey } from '@invsync/domain-catalog';
import { applyQuantityRules, effectiveRules, type QuantityRules } from '@invsync/domain-channels';
import { Random } from './random';

export type SizeName = 'quick' | 'medium' | 'large';

export interface DatasetSize {
  name: SizeName;
  listings: number;
  products: number;
  warehouses: number;
  bundles: number;
}

/** The sizes `--quick`, `--medium` and `--large` select (large: the million listings). */
export const SIZES: Record<SizeName, DatasetSize> = {
  quick: { name: 'quick', listings: 2_000, products: 500, warehouses: 3, bundles: 25 },
  medium: { name: 'medium', listings: 100_000, products: 20_000, warehouses: 5, bundles: 1_000 },
  large: { name: 'large', listings: 1_000_000, products: 200_000, warehouses: 5, bundles: 10_000 },
};

export const SELLER_ID = 'A1BENCHSELLER';
export const NA_MARKETPLACE = { country: 'US', id: 'ATVPDKIKX0DER' };
/** Nine EU marketplaces of the one seller: one quantity per SKU across all of them (Amazon's EU rule). */
export const EU_MARKETPLACES = [
  { country: 'UK', id: 'A1F83G8C2ARO7P' },
  { country: 'DE', id: 'A1PA6795UKMFR9' },
  { country: 'FR', id: 'A13V1IB3VIYZZH' },
  { country: 'IT', id: 'APJ6JRA9NG5V4' },
  { country: 'ES', id: 'A1RKKUPIHCS9HS' },
  { country: 'NL', id: 'A1805IZSGTT6HS' },
  { country: 'SE', id: 'A2NODRKZP88ZB9' },
  { country: 'PL', id: 'A1C3SOZRARQ6R3' },
  { country: 'BE', id: 'AMEN7PMS3EDWL' },
];

export type ProductKind = 'stock' | 'bundle' | 'parent';

export interface Product {
  id: string;
  sku: string;
  kind: ProductKind;
  parentId: string | null;
}

export interface Level {
  productId: string;
  warehouseId: string;
  inStock: number;
  allocated: number;
}

export interface Component {
  bundleId: string;
  componentId: string;
  quantity: number;
}

export interface Channel {
  id: string;
  name: string;
  region: 'NA' | 'EU';
  marketplaceId: string;
  quantityPool: string;
  warehouseIds: string[];
  rules: QuantityRules;
}

export interface Listing {
  id: string;
  channel: number;
  product: number;
  overrides: QuantityRules;
  syncEnabled: boolean;
  /** What Amazon shows (and last accepted) for this listing's pool + SKU; null when Amazon does not report it. */
  amazonQuantity: number | null;
  /** The quantity the rules give from the generated stock (computed here, independently of SQL). */
  expected: number;
}

export interface DatasetOptions {
  seed?: number;
  /** Share of pools + SKUs where Amazon shows another quantity than ours (stock changed since). */
  driftRate?: number;
  /** Share of pools + SKUs Amazon does not report. */
  missingRate?: number;
  /** Leave the listings out (the host benchmarks connect their own). */
  withListings?: boolean;
}

/**
 * A deterministic, seeded inventory: warehouses, products (plain, parents with variants, bundles of 2
 * to 5 components), stock levels, one seller's channels (NA + nine EU marketplaces) and listings
 * spread over them, plus what Amazon shows for each listing. Everything is kept in memory as plain
 * arrays so the loader can write it in big transactions.
 */
export class Dataset {
  readonly warehouses: { id: string; code: string }[] = [];
  readonly products: Product[] = [];
  readonly components: Component[] = [];
  readonly levels: Level[] = [];
  readonly channels: Channel[] = [];
  readonly listings: Listing[] = [];
  /** Index of the first listable (non-parent) product. */
  readonly firstListable: number;
  readonly createdAt = '2025-01-01T00:00:00.000Z';

  constructor(
    readonly size: DatasetSize,
    opts: DatasetOptions = {},
  ) {
    const rnd = new Random(opts.seed ?? 20250101);
    for (let w = 0; w < size.warehouses; w++) this.warehouses.push({ id: rnd.uuid(), code: `WH-${w + 1}` });

    const stockTotal = size.products - size.bundles;
    const parents = Math.floor((stockTotal * 0.02) / 1);
    const variantsPer = 4;
    const plain = stockTotal - parents - parents * variantsPer;
    if (plain < 1) throw new Error(`size ${size.name}: too few products for ${size.bundles} bundles`);
    for (let i = 0; i < parents; i++) this.products.push({ id: rnd.uuid(), sku: `PAR-${pad(i, 6)}`, kind: 'parent', parentId: null });
    this.firstListable = this.products.length;
    for (let i = 0; i < parents; i++) {
      for (let v = 1; v <= variantsPer; v++) this.products.push({ id: rnd.uuid(), sku: `PAR-${pad(i, 6)}-V${v}`, kind: 'stock', parentId: this.products[i].id });
    }
    for (let i = 0; i < plain; i++) this.products.push({ id: rnd.uuid(), sku: `STK-${pad(i, 7)}`, kind: 'stock', parentId: null });
    const stockEnd = this.products.length;
    for (let i = 0; i < size.bundles; i++) this.products.push({ id: rnd.uuid(), sku: `BND-${pad(i, 6)}`, kind: 'bundle', parentId: null });

    // Stock: most products in most warehouses, some empty, a few units allocated.
    for (let p = this.firstListable; p < stockEnd; p++) {
      for (const w of this.warehouses) {
        if (!rnd.chance(0.75)) continue;
        const inStock = rnd.chance(0.15) ? 0 : rnd.int(1, 120);
        const allocated = rnd.chance(0.3) ? rnd.int(0, Math.min(inStock, 5)) : 0;
        this.levels.push({ productId: this.products[p].id, warehouseId: w.id, inStock, allocated });
      }
    }
    // Bundles: 2 to 5 distinct stock components, mostly one unit each.
    for (let b = stockEnd; b < this.products.length; b++) {
      const n = rnd.int(2, 5);
      const picked = new Set<number>();
      while (picked.size < n) picked.add(rnd.int(this.firstListable, stockEnd - 1));
      for (const c of picked) this.components.push({ bundleId: this.products[b].id, componentId: this.products[c].id, quantity: rnd.chance(0.7) ? 1 : rnd.int(2, 3) });
    }

    // NA sums every warehouse but the last, EU every warehouse but the first: the sets overlap and differ.
    const ids = this.warehouses.map((w) => w.id);
    const naWarehouses = ids.length > 1 ? ids.slice(0, -1) : ids;
    const euWarehouses = ids.length > 1 ? ids.slice(1) : ids;
    this.channels.push({
      id: rnd.uuid(),
      name: `Amazon ${NA_MARKETPLACE.country}`,
      region: 'NA',
      marketplaceId: NA_MARKETPLACE.id,
      quantityPool: quantityPoolOf(SELLER_ID, NA_MARKETPLACE.id),
      warehouseIds: naWarehouses,
      rules: { reserve: 1, zeroAtOrBelow: 2 },
    });
    for (const m of EU_MARKETPLACES) {
      this.channels.push({
        id: rnd.uuid(),
        name: `Amazon ${m.country}`,
        region: 'EU',
        marketplaceId: m.id,
        quantityPool: quantityPoolOf(SELLER_ID, m.id),
        warehouseIds: euWarehouses,
        rules: { percentage: 90, maxQuantity: 300 },
      });
    }
    if (opts.withListings === false) return;

    // Listings: each listable product on k consecutive channels (k = listings / listable products,
    // the remainder spread over the first products), starting at a channel that rotates.
    const listable = this.products.length - this.firstListable;
    const per = Math.floor(size.listings / listable);
    const extra = size.listings % listable;
    if (per + 1 > this.channels.length) throw new Error(`size ${size.name}: ${size.listings} listings need more channels than ${this.channels.length}`);
    const onHand = this.onHandCalculator();
    const drift = opts.driftRate ?? 0.03;
    const missing = opts.missingRate ?? 0.005;
    // What Amazon shows is one value per pool + SKU (EU: shared by the nine marketplaces).
    const shown = new Map<string, number | null>();
    for (let i = 0; i < listable; i++) {
      const p = this.firstListable + i;
      const k = per + (i < extra ? 1 : 0);
      for (let j = 0; j < k; j++) {
        const c = (i + j) % this.channels.length;
        const channel = this.channels[c];
        // Overrides only on NA listings: EU listings of one SKU share one quantity and must agree.
        let overrides: QuantityRules = {};
        if (channel.region === 'NA') {
          if (rnd.chance(0.02)) overrides = { maxQuantity: 5 };
          else if (rnd.chance(0.01)) overrides = { reserve: null };
        }
        const expected = applyQuantityRules(onHand(p, channel.warehouseIds), effectiveRules(channel.rules, overrides)).quantity;
        const key = `${channel.quantityPool}\u0000${skuKey(this.products[p].sku)}`;
        let amazon = shown.get(key);
        if (amazon === undefined) {
          amazon = rnd.chance(missing) ? null : rnd.chance(drift) ? expected + rnd.int(1, 7) : expected;
          shown.set(key, amazon);
        }
        this.listings.push({ id: rnd.uuid(), channel: c, product: p, overrides, syncEnabled: !rnd.chance(0.005), amazonQuantity: amazon, expected });
      }
    }
  }

  /** On hand of product index `p` over a warehouse set: stock summed, bundles per warehouse then summed, parents 0. */
  onHandCalculator(): (p: number, warehouseIds: string[]) => number {
    const byProduct = new Map<string, Map<string, number>>();
    for (const l of this.levels) {
      const m = byProduct.get(l.productId) ?? new Map<string, number>();
      m.set(l.warehouseId, l.inStock - l.allocated);
      byProduct.set(l.productId, m);
    }
    const recipes = new Map<string, Component[]>();
    for (const c of this.components) recipes.set(c.bundleId, [...(recipes.get(c.bundleId) ?? []), c]);
    const level = (productId: string, w: string) => byProduct.get(productId)?.get(w) ?? 0;
    return (p, warehouseIds) => {
      const product = this.products[p];
      if (product.kind === 'parent') return 0;
      if (product.kind === 'stock') return Math.max(0, warehouseIds.reduce((s, w) => s + level(product.id, w), 0));
      let total = 0;
      const recipe = recipes.get(product.id);
      if (!recipe) throw new Error(`bundle ${product.sku} has no components`);
      for (const w of warehouseIds) total += Math.min(...recipe.map((c) => Math.floor(Math.max(0, level(c.componentId, w)) / c.quantity)));
      return total;
    };
  }

  /** The listings the nightly run must find different from Amazon: sync on and Amazon's value not ours. */
  expectedDifferences(): Map<string, { quantity: number; channelQuantity: number | null }> {
    const out = new Map<string, { quantity: number; channelQuantity: number | null }>();
    for (const l of this.listings) {
      if (l.syncEnabled && l.amazonQuantity !== l.expected) out.set(l.id, { quantity: l.expected, channelQuantity: l.amazonQuantity });
    }
    return out;
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
