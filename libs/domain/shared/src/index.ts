export * from './lib/domain-errors';
export * from './lib/ids';
export * from './lib/async-mutex';
export * from './lib/commit-listeners';
export * from './lib/transaction-runner';
export * from './lib/sql';
export * from './lib/paging';
export * from './testing/test-data-source';
