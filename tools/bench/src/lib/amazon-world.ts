import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { quantityPoolOf } from '@invsync/amazon-spapi';
import { newId, TransactionRunner } from '@invsync/domain-shared';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchDatabase, createBenchDatabase, openBenchDataSource } from './database';
import type { Dataset } from './dataset';
import { type BenchHost, startBenchHost } from './host';
import { bulkInsert, inventoryTables, listingRow, listingTable } from './loader';
import { forkSandbox, type SandboxProcess } from './sandbox-child';
import { SandboxClient } from './sandbox-client';

export interface Seller {
  sellerId: string;
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
}

export interface WorldChannel {
  id: string;
  marketplaceId: string;
  quantityPool: string;
  seller: Seller;
}

/**
 * The host with the amazon-mfn plugin on a SQLite file holding the data set's inventory, and the
 * SP-API sandbox in a child process of its own with Amazon's rate limits on, seen only over HTTP.
 * Listings are written straight into the database in the state the engine leaves after Amazon
 * accepted them, and the sandbox is seeded with the same quantities: a steady state to start
 * measuring from.
 */
export class AmazonWorld {
  private sellers = 0;
  private constructor(
    readonly d: Dataset,
    readonly db: BenchDatabase,
    private readonly sandbox: SandboxProcess,
    readonly sb: SandboxClient,
    readonly host: BenchHost,
    readonly onHand: (p: number) => number,
  ) {}

  static async start(d: Dataset, dir: string, name: string, env: Record<string, string> = {}, delays = { feed: 2000, report: 1000 }): Promise<AmazonWorld> {
    mkdirSync(dir, { recursive: true });
    const db = await createBenchDatabase('sqlite', dir, name);
    const ds = await openBenchDataSource(db);
    for (const t of inventoryTables(d)) await bulkInsert(ds, t);
    await ds.destroy();
    const sandbox = await forkSandbox({ port: 0, rateLimits: 'amazon', feedProcessingDelayMs: delays.feed, reportProcessingDelayMs: delays.report });
    const host = await startBenchHost({ databaseUrl: db.url, dataDir: dir, plugins: [amazonMfnPlugin], logFile: join(dir, `${name}-host.log`), env });
    const calc = d.onHandCalculator();
    const all = d.warehouses.map((w) => w.id);
    return new AmazonWorld(d, db, sandbox, new SandboxClient(sandbox.url), host, (p) => calc(p, all));
  }

  /** A new seller on the sandbox (rate limits are per seller, so scenarios do not share buckets). */
  async seller(regions: ('EU' | 'NA')[] = ['EU', 'NA']): Promise<Seller> {
    const sellerId = `A${++this.sellers}BENCH${process.pid % 10000}`;
    const credentials = { clientId: `amzn1.application-oa2-client.${sellerId}`, clientSecret: `cs-${sellerId}-0123456789abcdef`, refreshToken: `Atzr|rt-${sellerId}-0123456789abcdef` };
    await this.sb.seedSellers([{ sellerId, regions, ...credentials }]);
    return { sellerId, credentials };
  }

  /** An amazon-mfn channel through the admin API: every warehouse counts, the first allocates. */
  async channel(seller: Seller, marketplaceId: string, region: 'NA' | 'EU'): Promise<WorldChannel> {
    const { body } = await this.host.call<{ id: string }>(
      'POST',
      '/api/v1/channels',
      {
        type: 'amazon-mfn',
        name: `Amazon ${marketplaceId} ${seller.sellerId}`,
        settings: {
          sellerId: seller.sellerId,
          region,
          marketplaceId,
          credentials: seller.credentials,
          spApiEndpoint: this.sb.url,
          lwaEndpoint: `${this.sb.url}/auth/o2/token`,
          syncInventory: true,
          onHandWarehouseIds: this.d.warehouses.map((w) => w.id),
          allocationWarehouseId: this.d.warehouses[0].id,
        },
      },
      201,
    );
    return { id: body.id, marketplaceId, quantityPool: quantityPoolOf(seller.sellerId, marketplaceId), seller };
  }

  /**
   * Connects products (indexes into the data set) to a channel as already synced listings, SKU = the
   * product's SKU, and seeds the sandbox with `amazonQuantity(p)` (default: the current on hand).
   */
  async connect(c: WorldChannel, products: number[], amazonQuantity: (p: number) => number = this.onHand): Promise<Map<number, string>> {
    const ids = new Map<number, string>();
    const at = new Date().toISOString();
    const rows = products.map((p) => {
      const id = newId();
      ids.set(p, id);
      const product = this.d.products[p];
      return listingRow({ id, channelId: c.id, sku: product.sku, marketplaceId: c.marketplaceId, quantityPool: c.quantityPool, productId: product.id, overrides: {}, syncEnabled: true, accepted: this.onHand(p) }, at);
    });
    await this.host.insert(listingTable(rows));
    await this.sb.seedListings(products.map((p) => ({ sellerId: c.seller.sellerId, sku: this.d.products[p].sku, marketplaceId: c.marketplaceId, quantity: amazonQuantity(p), leadTimeToShipMaxDays: 2 })));
    return ids;
  }

  /** What the sandbox shows for a seller's SKU (EU: the seller's one quantity for it). */
  async shown(seller: Seller, marketplaceId: string, sku: string): Promise<number | undefined> {
    const [row] = await this.sb.quantities({ sellerId: seller.sellerId, marketplaceId, sku });
    return row?.quantity ?? undefined;
  }

  /** What the sandbox shows for every SKU of a seller in a marketplace, in one request (for polling thousands of SKUs). */
  async shownAll(seller: Seller, marketplaceId: string): Promise<Map<string, number | undefined>> {
    const rows = await this.sb.quantities({ sellerId: seller.sellerId, marketplaceId });
    return new Map(rows.map((r) => [r.sku, r.quantity ?? undefined]));
  }

  /** Listings still to send or being sent (accepted deliveries waiting for confirmation excluded). */
  async pending(): Promise<number> {
    // Through the host's runner: on SQLite a bare query could read another request's open transaction.
    return TransactionRunner.for(this.host.ds).read(async (em) => {
      const [r] = (await em.query(`SELECT COUNT(*) AS n FROM listing WHERE dirty = 1 OR (inflight_token IS NOT NULL AND inflight_quantity IS NULL)`)) as { n: number }[];
      const [c] = (await em.query(`SELECT COUNT(*) AS n FROM product_change`)) as { n: number }[];
      return Number(r.n) + Number(c.n);
    });
  }

  /** A product's free units (in stock minus allocated) per warehouse id, as the data set loaded them. */
  free(p: number): Map<string, number> {
    if (!this.freeByProduct) {
      this.freeByProduct = new Map();
      for (const l of this.d.levels) {
        const m = this.freeByProduct.get(l.productId) ?? new Map<string, number>();
        m.set(l.warehouseId, l.inStock - l.allocated);
        this.freeByProduct.set(l.productId, m);
      }
    }
    return new Map(this.freeByProduct.get(this.d.products[p].id) ?? []);
  }
  private freeByProduct?: Map<string, Map<string, number>>;

  /** Indexes of the data set's stock products (those that take movements). */
  stockProducts(): number[] {
    const out: number[] = [];
    this.d.products.forEach((p, i) => p.kind === 'stock' && out.push(i));
    return out;
  }

  async close(): Promise<void> {
    await this.host.close();
    await this.sandbox.close();
    await this.db.drop();
  }
}
