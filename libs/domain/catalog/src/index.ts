export * from './lib/product.entity';
export * from './lib/bundle-component.entity';
export * from './lib/sku';
export * from './lib/bundle-math';
export * from './lib/catalog.service';
export type { ProductRowInput, CreateManyResult } from './lib/create-many';
export * from './lib/catalog.persistence';
export * from './lib/bundle-on-hand';
