export * from './lib/warehouse.entity';
export * from './lib/stock-level.entity';
export * from './lib/stock-movement.entity';
export * from './lib/product-change.entity';
export * from './lib/warehouse.service';
export * from './lib/stock-ledger.service';
export * from './lib/product-change.feed';
export * from './lib/stock.persistence';
