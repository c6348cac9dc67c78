export * from './lib/fba-discrepancies';
export * from './lib/fba-reconciliation.service';
