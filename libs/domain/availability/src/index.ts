export * from './lib/bundle-on-hand';
export * from './lib/availability.service';
