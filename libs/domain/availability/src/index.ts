export * from './lib/availability.service';
