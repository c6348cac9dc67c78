import { Injectable } from '@nestjs/common';
import { ListingEntity } from '@invsync/domain-channels';
import { OrderEntity } from '@invsync/domain-orders';
import { TransactionRunner } from '@invsync/domain-shared';
import { ProductChangeEntity } from '@invsync/domain-stock';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * Prometheus metrics: process metrics, what the dispatcher did, and the sync state read from the
 * database at scrape time (so every instance reports the shared truth).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly dispatched = new Counter({ name: 'invsync_dispatch_updates_total', help: 'Updates handed to channels, by result', labelNames: ['result'], registers: [this.registry] });
  readonly passes = new Counter({ name: 'invsync_dispatch_passes_total', help: 'Dispatcher passes that claimed work', registers: [this.registry] });
  readonly changes = new Counter({ name: 'invsync_stock_changes_consumed_total', help: 'Stock change signals turned into dirty marks', registers: [this.registry] });

  constructor(private readonly tx: TransactionRunner) {
    collectDefaultMetrics({ register: this.registry, prefix: 'invsync_' });
    const listings: Gauge = new Gauge({
      name: 'invsync_listings',
      help: 'Listings by fulfilment and stored sync status',
      labelNames: ['fulfilment', 'status'],
      registers: [this.registry],
      collect: async (): Promise<void> => {
        const rows = await this.tx.read((em) =>
          em
            .getRepository(ListingEntity)
            .createQueryBuilder('l')
            .select('l.fulfilment', 'fulfilment')
            .addSelect('l.status', 'status')
            .addSelect('COUNT(*)', 'n')
            .groupBy('l.fulfilment')
            .addGroupBy('l.status')
            .getRawMany<{ fulfilment: string; status: string; n: string | number }>(),
        );
        listings.reset();
        for (const r of rows) listings.set({ fulfilment: r.fulfilment, status: r.status }, Number(r.n));
      },
    });
    const dirty: Gauge = new Gauge({
      name: 'invsync_listings_dirty',
      help: 'Listings waiting to be recomputed and sent',
      registers: [this.registry],
      collect: async (): Promise<void> => dirty.set(await this.tx.read((em) => em.getRepository(ListingEntity).countBy({ dirty: true }))),
    });
    const parked: Gauge = new Gauge({
      name: 'invsync_orders_parked',
      help: 'Orders kept parked: not allocated until their SKUs resolve or their channel can allocate',
      registers: [this.registry],
      collect: async (): Promise<void> => parked.set(await this.tx.read((em) => em.getRepository(OrderEntity).countBy({ status: 'parked' }))),
    });
    const withheld: Gauge = new Gauge({
      name: 'invsync_units_withheld',
      help: 'Units held back from channels at their last sends: sold there, order not recorded yet',
      registers: [this.registry],
      collect: async (): Promise<void> => withheld.set((await this.tx.read((em) => em.getRepository(ListingEntity).sum('withheldQuantity'))) ?? 0),
    });
    const outbox: Gauge = new Gauge({
      name: 'invsync_stock_changes_pending',
      help: 'Stock change signals not yet consumed by the dispatcher',
      registers: [this.registry],
      collect: async (): Promise<void> => outbox.set(await this.tx.read((em) => em.getRepository(ProductChangeEntity).count())),
    });
  }
}
