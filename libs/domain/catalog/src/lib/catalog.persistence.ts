import { BundleComponentEntity } from './bundle-component.entity';
import { CatalogInit1764200000000 } from './migrations/1764200000000-catalog-init';
import { ProductSkuPatternIndex1765310000000 } from './migrations/1765310000000-product-sku-pattern-index';
import { ProductEntity } from './product.entity';

/** What the host lists in its DataSource for this lib. */
export const catalogEntities = [ProductEntity, BundleComponentEntity];
export const catalogMigrations = [CatalogInit1764200000000, ProductSkuPatternIndex1765310000000];
