import { WarehousesInit1764200000100 } from './migrations/1764200000100-warehouses-init';
import { ProductChangeEntity } from './product-change.entity';
import { StockLevelEntity } from './stock-level.entity';
import { StockMovementEntity } from './stock-movement.entity';
import { WarehouseEntity } from './warehouse.entity';

/** What the host lists in its DataSource for this lib (after the catalog's: FKs reference `product`). */
export const stockEntities = [WarehouseEntity, StockLevelEntity, StockMovementEntity, ProductChangeEntity];
export const stockMigrations = [WarehousesInit1764200000100];
