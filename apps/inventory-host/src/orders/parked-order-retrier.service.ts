import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OrderService } from '@invsync/domain-orders';
import { type ChangeTopic, TransactionRunner } from '@invsync/domain-shared';
import { LifecycleService } from '../app/lifecycle.service';

/** Commits that can resolve a parked order: a listing connected, a product created, a channel's allocation warehouse set. */
const RESOLVING: ChangeTopic[] = ['listings', 'catalog', 'channels'];

/**
 * Records parked orders as soon as they resolve: after every commit of a resolving topic, and once at
 * start (a commit whose wake-up was lost to a crash). One sweep at a time; commits arriving during a
 * sweep cause one more. Two instances sweeping at once are harmless: an order is recorded once.
 */
@Injectable()
export class ParkedOrderRetrier implements OnApplicationBootstrap {
  private readonly logger = new Logger('Orders');
  private sweeping?: Promise<void>;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly orders: OrderService,
    lifecycle: LifecycleService,
  ) {
    lifecycle.stopFirst('parked orders', () => this.stop());
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.tx.afterCommit((topics) => {
      if (RESOLVING.some((t) => topics.has(t))) this.kick();
    });
    this.kick();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.sweeping) {
      this.again = true;
      return;
    }
    this.sweeping = this.sweep().finally(() => (this.sweeping = undefined));
  }

  private async sweep(): Promise<void> {
    do {
      this.again = false;
      try {
        const { recorded } = await this.orders.retryResolvable();
        if (recorded) this.logger.log(`recorded ${recorded} parked order(s) that resolve now`);
      } catch (e) {
        this.logger.error(`recording parked orders failed: ${(e as Error).message}`);
      }
    } while (this.again && !this.stopped);
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.sweeping;
  }
}
