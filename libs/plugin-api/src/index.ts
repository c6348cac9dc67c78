export * from './lib/version';
export * from './lib/disposable';
export * from './lib/manifest';
export * from './lib/channel';
export * from './lib/context';
export * from './lib/jobs';
export * from './lib/plugin';
export * from './lib/backoff';
