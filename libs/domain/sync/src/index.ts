export * from './lib/dispatcher/ports';
export * from './lib/dispatcher/dispatcher';
export * from './lib/dispatcher/pass-planner';
export * from './lib/dispatcher/delivery-confirmer';
export * from './lib/nightly/on-hand-memo';
export * from './lib/nightly/reconciliation.service';
export * from './testing/sync-fixture';
export * from './testing/read-back-scenario';
