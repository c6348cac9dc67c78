export * from './lib/order.entity';
export * from './lib/order.service';
import { OrderEntity, OrderLineEntity } from './lib/order.entity';
import { OrdersInit1764500000000 } from './lib/migrations/1764500000000-orders-init';

export const orderEntities = [OrderEntity, OrderLineEntity];
export const orderMigrations = [OrdersInit1764500000000];
export * from './lib/recorded-sales';
