export * from './lib/order.entity';
export * from './lib/order.service';
export { resolveSku, type ResolvedSku, type SkuTarget } from './lib/line-resolution';
import { OrderEntity, OrderLineEntity } from './lib/order.entity';
import { OrdersInit1764500000000 } from './lib/migrations/1764500000000-orders-init';
import { OrderParked1765150000000 } from './lib/migrations/1765150000000-order-parked';

export const orderEntities = [OrderEntity, OrderLineEntity];
export const orderMigrations = [OrdersInit1764500000000, OrderParked1765150000000];
export * from './lib/recorded-sales';
