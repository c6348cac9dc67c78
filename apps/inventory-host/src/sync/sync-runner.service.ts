import { setMaxListeners } from 'node:events';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type PassSummary, ReconciliationService, SyncDispatcher } from '@invsync/domain-sync';
import { ChannelSyncService } from '@invsync/domain-channels';
import { TransactionRunner } from '@invsync/domain-shared';
import { HostOptions } from '../app/host-options';
import { JobSchedulerService } from '../jobs/job-scheduler.service';
import { LifecycleService } from '../app/lifecycle.service';
import { MetricsService } from '../metrics/metrics.service';
import { ChannelConnectorsService } from '../channels/channel-connectors.service';

/**
 * Runs the dispatcher continuously (a pass per tick, or at once when a committed change wakes it:
 * every write declares its topics to the TransactionRunner, which tells us after the commit), confirms
 * accepted deliveries periodically in a loop of its own, and registers the nightly reconciliation job.
 *
 * Confirming is not part of the pass loop on purpose: a confirmation round reads accepted updates back
 * from the channel (e.g. a marketplace reading up to 50 listings at 5 requests a second, about 10 s), and a change arriving
 * meanwhile waited behind it (B2 in docs/benchmarks.md: p99 9 s for a 1 s window). Both loops write
 * only rows whose claim/receipt they match, as two host instances already do.
 */
@Injectable()
export class SyncRunnerService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sync');
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private woken = false;
  private readonly abort = new AbortController();
  private confirmLoop?: Promise<void>;
  private leadLoop?: Promise<void>;
  private wakeLead?: () => void;
  private leadWoken = false;
  private wakeConfirm?: () => void;
  private unsubscribe?: () => void;
  lastPass?: PassSummary & { at: string };

  constructor(
    private readonly options: HostOptions,
    private readonly tx: TransactionRunner,
    private readonly dispatcher: SyncDispatcher,
    private readonly reconciliation: ReconciliationService,
    private readonly channels: ChannelSyncService,
    private readonly connectors: ChannelConnectorsService,
    jobs: JobSchedulerService,
    lifecycle: LifecycleService,
    private readonly metrics: MetricsService,
  ) {
    lifecycle.stopFirst('sync dispatcher', () => this.stop());
    // Every send of every pass listens to this signal (plugins combine it with their own).
    setMaxListeners(0, this.abort.signal);
    jobs.define({
      name: 'host.sync-nightly',
      owner: 'host',
      defaultCron: '0 2 * * *',
      description: 'Nightly bulk reconciliation: recompute every listing of every channel with sync on and send where the channel differs',
      run: async (exec) => {
        const all = (await this.channels.list()).filter((c) => c.fulfilment === 'merchant' && c.syncEnabled);
        // One run for all channels: channels summing the same warehouses share on hand (the EU ones).
        const run = await this.reconciliation.reconcileAll(all.map((c) => c.id), { signal: exec.signal, progress: (n) => exec.progress(n) });
        const totals = { channels: all.length, ...run.totals, failed: run.failed };
        this.kick();
        if (totals.failed.length && totals.failed.length === all.length) throw new Error(`every channel failed: ${totals.failed[0].error}`);
        return totals;
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // One process per SQLite file: claims left by a crashed run are nobody's now.
    if (this.tx.engine === 'sqlite') await this.dispatcher.releaseAbandonedClaims();
    if (!this.options.config.sync.enabled) return;
    this.unsubscribe = this.tx.afterCommit(() => this.kick());
    this.running = true;
    this.loop = this.run();
    this.leadLoop = this.runLead();
    this.confirmLoop = this.runConfirmations();
  }

  /** Wakes the dispatcher now (after a committed change, or the nightly run). */
  private kick(): void {
    this.kickWindow();
    this.leadWoken = true;
    this.wakeLead?.();
  }

  private kickWindow(): void {
    this.woken = true;
    this.wake?.();
  }

  private record(summary: PassSummary): void {
    if (summary.claimed || summary.changesConsumed) {
      this.lastPass = { ...summary, at: new Date().toISOString() };
      this.metrics.changes.inc(summary.changesConsumed);
      if (summary.claimed) this.metrics.passes.inc();
      for (const [result, n] of Object.entries(summary.results)) this.metrics.dispatched.inc({ result }, n);
      if (summary.unchanged) this.metrics.dispatched.inc({ result: 'unchanged' }, summary.unchanged);
    }
  }

  /** The window's lane: listings whose coalescing window has passed. */
  private async run(): Promise<void> {
    const { tickMs, windowMs } = this.options.config.sync;
    while (this.running) {
      this.woken = false;
      try {
        this.record(await this.dispatcher.pass(this.abort.signal, 'due'));
      } catch (e) {
        this.logger.error(`dispatcher pass failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      // After a wake-up, wait out the coalescing window's remainder in small steps.
      const wait = this.woken ? Math.min(tickMs, Math.max(10, windowMs / 4)) : tickMs;
      await sleepUnlessWoken(wait, (wake) => (this.wake = this.woken ? undefined : wake));
      this.wake = undefined;
    }
  }

  /**
   * The lead lane (docs/reliability.md, "Priority lanes"): at once after each committed change, sends
   * the listings whose quantity goes down and leaves the others to the window's lane. A loop of its
   * own, so a decrease never waits behind the window's sends (its calls also go first in the plugin's
   * rate budget); both lanes claim through the claim store, as two instances do.
   */
  private async runLead(): Promise<void> {
    const { tickMs } = this.options.config.sync;
    while (this.running) {
      this.leadWoken = false;
      let claimed = 0;
      try {
        const summary = await this.dispatcher.pass(this.abort.signal, 'lead');
        claimed = summary.claimed;
        this.record(summary);
        // What it claimed and left to the window was held from the window's lane meanwhile (a pass
        // there skipped it as another's claim): that lane looks again, or it would wait for the tick.
        if (claimed) this.kickWindow();
      } catch (e) {
        this.logger.error(`dispatcher lead pass failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      // More to look at (a bulk change seen a page at a time) or woken meanwhile: again at once.
      if (claimed || this.leadWoken) continue;
      await sleepUnlessWoken(tickMs, (wake) => (this.wakeLead = this.leadWoken ? undefined : wake));
      this.wakeLead = undefined;
    }
  }

  /** Every SYNC_CONFIRM_INTERVAL_MS: asks the channels about accepted deliveries (see the class comment). */
  private async runConfirmations(): Promise<void> {
    const { confirmIntervalMs } = this.options.config.sync;
    // First round at start: deliveries accepted before a restart are confirmed without waiting.
    while (this.running) {
      try {
        await this.dispatcher.confirmPending(this.abort.signal);
      } catch (e) {
        this.logger.error(`confirming deliveries failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      await sleepUnlessWoken(confirmIntervalMs, (wake) => (this.wakeConfirm = wake));
      this.wakeConfirm = undefined;
    }
  }

  /** Runs passes until nothing is dirty, claimed or in the change feed (tests, the reconcile route). */
  async drain(maxPasses = 50): Promise<void> {
    for (let i = 0; i < maxPasses; i++) {
      const s = await this.dispatcher.pass(this.abort.signal);
      if (!s.claimed && !s.changesConsumed) return;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    this.wakeLead?.();
    this.wakeConfirm?.();
    // Let in-flight passes finish their sends; results are recorded only if the claim is still ours.
    const grace = new Promise<void>((r) => setTimeout(r, 15_000).unref());
    await Promise.race([Promise.all([this.loop, this.leadLoop]), grace]);
    this.abort.abort();
    await Promise.all([this.loop, this.leadLoop, this.confirmLoop]);
    await this.connectors.disposeAll();
  }
}

/** Waits `ms` (without keeping the process alive) or until the function handed to `expose` is called. */
function sleepUnlessWoken(ms: number, expose: (wake: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref?.();
    function done() {
      clearTimeout(timer);
      resolve();
    }
    expose(done);
  });
}
