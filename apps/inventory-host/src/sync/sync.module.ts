import { Module } from '@nestjs/common';
import { AvailabilityService } from '@invsync/domain-availability';
import { OrderService, RecordedSales } from '@invsync/domain-orders';
import { ChannelSyncService, ExplainService, ListingService } from '@invsync/domain-channels';
import { ManagedWarehouseReconciliationService } from '@invsync/domain-managed-warehouses';
import { ReconciliationService, SyncDispatcher } from '@invsync/domain-sync';
import { TransactionRunner } from '@invsync/domain-shared';
import { ProductChangeFeed, StockLedgerService } from '@invsync/domain-stock';
import { HostOptions } from '../app/host-options';
import { InventoryModule } from '../inventory/inventory.module';
import { ChannelDirectoryPort, ListingReporterPort, OrderPort } from '../plugins/host-ports';
import { ChannelConnectorsService } from '../channels/channel-connectors.service';
import { PluginChannelGateway } from './channel-gateway';
import { ChannelsController } from '../channels/channels.controller';
import { ChannelsService } from '../channels/channels.service';
import { ManagedWarehouseController } from '../managed-warehouses/managed-warehouse.controller';
import { ApiVocabularyService } from '../channels/api-vocabulary';
import { ManagedStockStalenessService } from '../managed-warehouses/staleness.service';
import { ListingsController } from '../channels/listings.controller';
import { OrdersController } from '../orders/orders.controller';
import { ParkedOrderRetrier } from '../orders/parked-order-retrier.service';
import { HostChannelDirectory, HostListingReporter, HostOrderPort } from './sync-ports';
import { SecretsRotationService } from '../channels/secrets-rotation.service';
import { SyncRunnerService } from './sync-runner.service';
import { MetricsController } from '../metrics/metrics.controller';
import { OverviewController } from '../metrics/overview.controller';
import { MetricsService } from '../metrics/metrics.service';

/**
 * The sync engine wired into the host: channels (settings through the plugins' schemas, secrets
 * encrypted), listings, orders, the dispatcher loop, the nightly reconciliation and Live Listings.
 */
@Module({
  imports: [InventoryModule],
  controllers: [MetricsController, OverviewController, ChannelsController, ListingsController, OrdersController, ManagedWarehouseController],
  providers: [
    { provide: ChannelSyncService, useFactory: (tx: TransactionRunner) => new ChannelSyncService(tx), inject: [TransactionRunner] },
    { provide: ListingService, useFactory: (tx: TransactionRunner) => new ListingService(tx), inject: [TransactionRunner] },
    {
      provide: OrderService,
      useFactory: (tx: TransactionRunner, ledger: StockLedgerService) => new OrderService(tx, ledger),
      inject: [TransactionRunner, StockLedgerService],
    },
    {
      provide: ExplainService,
      useFactory: (tx: TransactionRunner, listings: ListingService, availability: AvailabilityService) => new ExplainService(tx, listings, availability, new RecordedSales()),
      inject: [TransactionRunner, ListingService, AvailabilityService],
    },
    ChannelConnectorsService,
    PluginChannelGateway,
    {
      provide: SyncDispatcher,
      useFactory: (tx: TransactionRunner, availability: AvailabilityService, feed: ProductChangeFeed, gateway: PluginChannelGateway, options: HostOptions) =>
        new SyncDispatcher(tx, availability, feed, gateway, {
          windowMs: options.config.sync.windowMs,
          retryBaseMs: options.config.sync.retryBaseMs,
          retryCapMs: options.config.sync.retryCapMs,
          leaseMs: options.config.sync.leaseMs,
          // Units a channel sold whose order is not recorded yet are not offered again (docs/reliability.md).
          recordedSales: new RecordedSales(),
        }),
      inject: [TransactionRunner, AvailabilityService, ProductChangeFeed, PluginChannelGateway, HostOptions],
    },
    {
      provide: ReconciliationService,
      useFactory: (tx: TransactionRunner, availability: AvailabilityService, gateway: PluginChannelGateway) => new ReconciliationService(tx, availability, gateway),
      inject: [TransactionRunner, AvailabilityService, PluginChannelGateway],
    },
    {
      provide: ManagedWarehouseReconciliationService,
      useFactory: (tx: TransactionRunner, ledger: StockLedgerService) => new ManagedWarehouseReconciliationService(tx, ledger),
      inject: [TransactionRunner, StockLedgerService],
    },
    ManagedStockStalenessService,
    ApiVocabularyService,
    ChannelsService,
    SecretsRotationService,
    SyncRunnerService,
    MetricsService,
    ParkedOrderRetrier,
    { provide: OrderPort, useClass: HostOrderPort },
    { provide: ChannelDirectoryPort, useClass: HostChannelDirectory },
    { provide: ListingReporterPort, useClass: HostListingReporter },
  ],
  exports: [ChannelSyncService, ListingService, OrderService, ReconciliationService, SyncRunnerService, ChannelsService, ChannelConnectorsService],
})
export class SyncModule {}
