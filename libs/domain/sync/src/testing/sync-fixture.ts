import { CatalogService, catalogEntities, catalogMigrations } from '@invsync/domain-catalog';
import type { DeliveryConfirmation, QuantityResult, QuantityUpdate, RemoteQuantity } from '@invsync/plugin-api';
import { type DbEngine, openTestDataSource, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import { ProductChangeFeed, StockLedgerService, WarehouseService, stockEntities, stockMigrations } from '@invsync/domain-stock';
import type { EntityManager } from 'typeorm';
import { ChannelSyncService } from '@invsync/domain-channels';
import { ListingService } from '@invsync/domain-channels';
import { channelEntities, channelMigrations } from '@invsync/domain-channels';
import { type DispatcherOptions, SyncDispatcher } from '../lib/dispatcher/dispatcher';
import type { ChannelGateway, OnHandSource } from '../lib/dispatcher/ports';
import { ReconciliationService } from '../lib/nightly/reconciliation.service';

/** A channel that records what it is asked to send and answers as told. */
export class RecordingGateway implements ChannelGateway {
  readonly sent: { channelId: string; updates: QuantityUpdate[] }[] = [];
  /** Decides each update's result; default: synced. */
  answer: (u: QuantityUpdate, channelId: string) => QuantityResult = (u) => ({ updateId: u.updateId, status: 'synced' });
  remote = new Map<string, RemoteQuantity[]>();
  confirmations: (r: { receipt: string; updateId: string }) => DeliveryConfirmation = (r) => ({ ...r, status: 'synced' });
  batchSize = 1000;
  /** Runs while a send is in flight (before it answers): a change arriving meanwhile. */
  whileSending?: (updates: QuantityUpdate[]) => Promise<void>;

  async maxBatchSize() {
    return this.batchSize;
  }
  async send(channelId: string, updates: QuantityUpdate[]) {
    this.sent.push({ channelId, updates: updates.map((u) => ({ ...u })) });
    await this.whileSending?.(updates);
    return updates.map((u) => this.answer(u, channelId));
  }
  async canConfirm() {
    return true;
  }
  async confirm(_channelId: string, receipts: { receipt: string; updateId: string }[]) {
    return receipts.map((r) => this.confirmations(r));
  }
  async canPull(channelId: string) {
    return this.remote.has(channelId);
  }
  async *pull(channelId: string) {
    yield this.remote.get(channelId) ?? [];
  }
  /** Every update sent, flattened. */
  updates(): QuantityUpdate[] {
    return this.sent.flatMap((s) => s.updates);
  }
}

/** On hand of stock products summed over warehouses (enough for engine tests; bundles are the availability lib's job). */
export function ledgerOnHand(ledger: StockLedgerService): OnHandSource {
  return {
    async onHand(productIds: string[], warehouseIds: string[], em?: EntityManager) {
      const out = new Map<string, number>();
      for (const l of await ledger.levels(productIds, warehouseIds, em)) out.set(l.productId, (out.get(l.productId) ?? 0) + l.onHand);
      return out;
    },
  };
}

export interface SyncFixture {
  t: TestDataSource;
  tx: TransactionRunner;
  catalog: CatalogService;
  warehouses: WarehouseService;
  ledger: StockLedgerService;
  feed: ProductChangeFeed;
  channels: ChannelSyncService;
  listings: ListingService;
  gateway: RecordingGateway;
  dispatcher: SyncDispatcher;
  reconciliation: ReconciliationService;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Classes = Function[];

/** A migrated database with the catalog, warehouses and sync engine (plus `extra` persistence), and the services. */
export async function openSyncFixture(
  engine: DbEngine,
  options: Partial<DispatcherOptions> = {},
  onHand?: (ledger: StockLedgerService) => OnHandSource,
  extra: { entities: Classes; migrations: Classes } = { entities: [], migrations: [] },
): Promise<SyncFixture> {
  const t = await openTestDataSource({
    engine,
    entities: [...catalogEntities, ...stockEntities, ...channelEntities, ...extra.entities],
    migrations: [...catalogMigrations, ...stockMigrations, ...channelMigrations, ...extra.migrations],
  });
  const tx = TransactionRunner.for(t.ds);
  const catalog = new CatalogService(tx);
  const warehouses = new WarehouseService(tx);
  const feed = new ProductChangeFeed(tx);
  const ledger = new StockLedgerService(tx, catalog, warehouses, feed);
  const gateway = new RecordingGateway();
  const source = onHand ? onHand(ledger) : ledgerOnHand(ledger);
  const dispatcher = new SyncDispatcher(tx, source, feed, gateway, { windowMs: 0, retryBaseMs: 50, retryCapMs: 200, ...options });
  return {
    t,
    tx,
    catalog,
    warehouses,
    ledger,
    feed,
    channels: new ChannelSyncService(tx),
    listings: new ListingService(tx),
    gateway,
    dispatcher,
    reconciliation: new ReconciliationService(tx, source, gateway),
    close: () => t.close(),
  };
}
