export * from './lib/stock-comparison';
export * from './lib/managed-warehouse-reconciliation.service';
