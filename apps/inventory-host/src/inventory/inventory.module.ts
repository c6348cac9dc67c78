import { AvailabilityService } from '@invsync/domain-availability';
import { CatalogService } from '@invsync/domain-catalog';
import { TransactionRunner } from '@invsync/domain-shared';
import { ProductChangeFeed, StockLedgerService, WarehouseService } from '@invsync/domain-stock';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InventoryPort } from '../plugins/host-ports';
import { HostInventoryPort } from './host-inventory.port';
import { ProductsController } from './products.controller';
import { StockMovementsController } from './stock-movements.controller';
import { WarehousesController } from './warehouses.controller';

/**
 * Wires the inventory domain (catalog, warehouses and ledger, availability) into the host and exposes
 * its REST routes. Exports the domain services for the sync engine and the InventoryPort for plugins.
 * There is one TransactionRunner per DataSource: every module that writes must use it.
 */
@Module({
  controllers: [WarehousesController, ProductsController, StockMovementsController],
  providers: [
    { provide: TransactionRunner, useFactory: (ds: DataSource) => TransactionRunner.for(ds), inject: [DataSource] },
    { provide: CatalogService, useFactory: (tx: TransactionRunner) => new CatalogService(tx), inject: [TransactionRunner] },
    { provide: WarehouseService, useFactory: (tx: TransactionRunner) => new WarehouseService(tx), inject: [TransactionRunner] },
    { provide: ProductChangeFeed, useFactory: (tx: TransactionRunner) => new ProductChangeFeed(tx), inject: [TransactionRunner] },
    {
      provide: StockLedgerService,
      useFactory: (tx: TransactionRunner, catalog: CatalogService, warehouses: WarehouseService, feed: ProductChangeFeed) =>
        new StockLedgerService(tx, catalog, warehouses, feed),
      inject: [TransactionRunner, CatalogService, WarehouseService, ProductChangeFeed],
    },
    {
      provide: AvailabilityService,
      useFactory: (tx: TransactionRunner, catalog: CatalogService, warehouses: WarehouseService) => new AvailabilityService(tx, catalog, warehouses),
      inject: [TransactionRunner, CatalogService, WarehouseService],
    },
    { provide: InventoryPort, useClass: HostInventoryPort },
  ],
  exports: [TransactionRunner, CatalogService, WarehouseService, ProductChangeFeed, StockLedgerService, AvailabilityService, InventoryPort],
})
export class InventoryModule {}
