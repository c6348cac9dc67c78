import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  type ActivationEvent,
  type ChannelProvider,
  type ChannelTypeContribution,
  INVENTORY_SYNC_API_VERSION,
  type PluginContext,
  type PluginManifest,
  type PluginStateStore,
  toDisposable,
} from '@invsync/plugin-api';
import { DataSource } from 'typeorm';
import { HostOptions } from '../app/host-options';
import { nowIso } from '../common/time';
import { JobSchedulerService, SkipRun } from '../jobs/job-scheduler.service';
import { ChannelDirectoryPort, InventoryPort, ListingReporterPort, OrderPort } from './host-ports';
import { validateManifest } from './manifest-validator';
import type { PluginRecord } from './plugin-record';
import { DbPluginStateStore } from './plugin-state.store';
import { createPluginLogger } from './plugin-logger';
import { outsideRequest } from '../logging/request-context';
import { runAsHost, runAsPlugin, scopedProvider } from './plugin-scope';
import { redactor } from '../logging/redactor';
import { describeSource, type HostPluginPackage } from './plugin-source';

const ACTIVATION_TIMEOUT_MS = 30_000;

export class PluginUnavailableError extends Error {}

/**
 * Loads plugins VS Code style: manifests are checked first (a rejected plugin never runs), code is
 * loaded and activated on the plugin's first activation event, failures are contained to the plugin,
 * and everything a plugin registered is disposed on shutdown.
 */
@Injectable()
export class PluginHostService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('PluginHost');
  private readonly records: PluginRecord[] = [];
  /** channel type -> the plugin contributing it (valid plugins only). */
  private readonly channelTypes = new Map<string, { record: PluginRecord; contribution: ChannelTypeContribution }>();

  constructor(
    private readonly options: HostOptions,
    private readonly db: DataSource,
    private readonly scheduler: JobSchedulerService,
    private readonly moduleRef: ModuleRef,
  ) {}

  // The host services behind a plugin's context live in the inventory and sync modules, which
  // themselves use this service: they are looked up when first needed, not injected.
  private port<T>(token: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }

  private get inventory() {
    return this.port(InventoryPort);
  }

  private get orders() {
    return this.port(OrderPort);
  }

  private get listingReporter() {
    return this.port(ListingReporterPort);
  }

  private get channelDirectory() {
    return this.port(ChannelDirectoryPort);
  }

  onModuleInit(): void {
    const taken = new Map<string, string>();
    const seenIds = new Set<string>();
    for (const pkg of this.options.plugins as readonly HostPluginPackage[]) {
      const manifest = pkg.manifest as PluginManifest;
      // A package that could not be read has no manifest to check: its reading problems stand alone.
      const readProblems = pkg.problems ?? [];
      const problems = [...readProblems, ...(readProblems.length && !manifest ? [] : validateManifest(manifest, taken))];
      if (manifest && seenIds.has(manifest.id)) problems.push(`another plugin already has the id "${manifest.id}"`);
      const record: PluginRecord = {
        pkg,
        manifest,
        source: pkg.source,
        state: problems.length ? 'failed' : 'inactive',
        rejected: problems.length ? problems : undefined,
        error: problems.length ? `manifest rejected: ${problems.join('; ')}` : undefined,
        subscriptions: [],
        channelProviders: new Map(),
        jobHandlers: new Map(),
      };
      this.records.push(record);
      if (problems.length) {
        this.logger.error(`Plugin "${String(manifest?.id ?? describeSource(pkg.source))}" rejected: ${problems.join('; ')}`);
        continue;
      }
      seenIds.add(manifest.id);
      for (const ct of manifest.contributes.channelTypes ?? []) {
        taken.set(ct.id, manifest.id);
        this.channelTypes.set(ct.id, { record, contribution: ct });
      }
      for (const job of manifest.contributes.jobs ?? []) {
        this.scheduler.define({
          name: `${manifest.id}.${job.id}`,
          owner: manifest.id,
          defaultCron: job.defaultCron,
          description: job.description,
          run: (ctx) => this.runPluginJob(record, job.id, ctx),
        });
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.fire('onStartup');
    const types = (await this.channelDirectory?.typesInUse()) ?? [];
    for (const t of types) await this.fire(`onChannelType:${t}`);
  }

  /** Fires an activation event: every valid, inactive plugin listening for it is activated. */
  async fire(event: ActivationEvent): Promise<void> {
    const listening = this.records.filter((r) => !r.rejected && r.manifest.activationEvents.includes(event));
    await Promise.all(listening.map((r) => this.activate(r)));
  }

  list(): PluginRecord[] {
    return [...this.records];
  }

  get(id: string): PluginRecord | undefined {
    return this.records.find((r) => r.manifest?.id === id);
  }

  /** The contribution for a channel type, or undefined when no loaded plugin contributes it. */
  channelType(type: string): ChannelTypeContribution | undefined {
    return this.channelTypes.get(type)?.contribution;
  }

  channelTypeIds(): string[] {
    return [...this.channelTypes.keys()];
  }

  /** The provider of a channel type, activating its plugin if needed. */
  async channelProvider(type: string): Promise<ChannelProvider<object>> {
    const entry = this.channelTypes.get(type);
    if (!entry) throw new PluginUnavailableError(`no loaded plugin contributes the channel type "${type}"`);
    await this.fire(`onChannelType:${type}`);
    const { record } = entry;
    if (record.state !== 'active') {
      throw new PluginUnavailableError(`plugin "${record.manifest.id}" is ${record.state}${record.error ? `: ${record.error}` : ''}`);
    }
    const provider = record.channelProviders.get(type);
    if (!provider) throw new PluginUnavailableError(`plugin "${record.manifest.id}" did not register the channel type "${type}" when activated`);
    return provider;
  }

  private activate(record: PluginRecord): Promise<void> {
    if (record.state !== 'inactive') return record.activation ?? Promise.resolve();
    record.state = 'activating';
    // Whichever request first needs the plugin, its activation (and what that starts) is no request's.
    record.activation = outsideRequest(() => this.doActivate(record)).finally(() => (record.activation = undefined));
    return record.activation;
  }

  private async doActivate(record: PluginRecord): Promise<void> {
    const id = record.manifest.id;
    try {
      // Loading runs the plugin's top-level code: in its scope, like everything it does.
      const mod = await runAsPlugin(id, () => record.pkg.load());
      if (typeof mod?.activate !== 'function') throw new Error('the plugin module has no activate() function');
      record.module = mod;
      const context = this.createContext(record);
      await withTimeout(Promise.resolve(runAsPlugin(id, () => mod.activate(context))), ACTIVATION_TIMEOUT_MS, `activate() did not finish within ${ACTIVATION_TIMEOUT_MS} ms`);
      // A stray error of the plugin's may have failed it while activate() was still running.
      if (record.strayError) throw new Error(record.strayError);
      const missing = (record.manifest.contributes.channelTypes ?? []).filter((ct) => !record.channelProviders.has(ct.id)).map((ct) => ct.id);
      if (missing.length) throw new Error(`activate() did not register the contributed channel types: ${missing.join(', ')}`);
      record.state = 'active';
      record.error = undefined;
      record.activatedAt = nowIso();
      this.logger.log(`Plugin "${id}" ${record.manifest.version} activated`);
    } catch (e) {
      record.state = 'failed';
      record.error = redactor.redactString(`activation failed: ${(e as Error)?.message ?? String(e)}`);
      this.logger.error(`Plugin "${id}" failed to activate: ${(e as Error)?.message ?? String(e)}`);
      await this.disposeAll(record);
    }
  }

  /**
   * An unhandled rejection or uncaught exception raised by a plugin's code (a timer, a promise no
   * one awaited): the plugin is failed and everything it registered disposed; the host goes on.
   * Returns false when no such plugin is loaded.
   */
  failFromStrayError(pluginId: string, error: unknown): boolean {
    const record = this.records.find((r) => r.manifest?.id === pluginId);
    if (!record) return false;
    const message = redactor.redactString(error instanceof Error ? error.message : String(error));
    record.strayError = `unhandled error in its code (a timer, a promise no one awaited): ${message}`;
    if (record.state === 'failed') return true;
    const wasActivating = record.state === 'activating';
    record.state = 'failed';
    record.error = record.strayError;
    // While activating, doActivate sees strayError and disposes what activate() registered.
    if (!wasActivating) void this.disposeAll(record);
    return true;
  }

  private createContext(record: PluginRecord): PluginContext {
    const id = record.manifest.id;
    const contributedTypes = new Set((record.manifest.contributes.channelTypes ?? []).map((c) => c.id));
    const contributedJobs = new Set((record.manifest.contributes.jobs ?? []).map((j) => j.id));
    const unavailable = (what: string) => () => Promise.reject(new PluginUnavailableError(`${what} is not available in this host`));
    return {
      pluginId: id,
      apiVersion: INVENTORY_SYNC_API_VERSION,
      subscriptions: record.subscriptions,
      logger: createPluginLogger(this.options.logger, id),
      channelTypes: {
        register: (type, provider) => {
          if (!contributedTypes.has(type)) throw new Error(`channel type "${type}" is not contributed in the manifest of "${id}"`);
          record.channelProviders.set(type, scopedProvider(id, provider as ChannelProvider<object>));
          return toDisposable(() => void record.channelProviders.delete(type));
        },
      },
      jobs: {
        register: (jobId, handler) => {
          if (!contributedJobs.has(jobId)) throw new Error(`job "${jobId}" is not contributed in the manifest of "${id}"`);
          record.jobHandlers.set(jobId, handler);
          return toDisposable(() => void record.jobHandlers.delete(jobId));
        },
      },
      // Host services run outside the plugin's scope: what they start (connections) is the host's.
      inventory: {
        onHand: (q) => runAsHost(() => (this.inventory ? this.inventory.onHand(q) : unavailable('inventory')())),
        findProductsBySku: (skus) => runAsHost(() => (this.inventory ? this.inventory.findProductsBySku(skus) : unavailable('inventory')())),
      },
      orders: { record: (o) => runAsHost(() => (this.orders ? this.orders.record(o) : unavailable('order recording')())) },
      listings: {
        recordRemoteQuantities: (channelId, pages) =>
          runAsHost(() => (this.listingReporter ? this.listingReporter.recordRemoteQuantities(channelId, pages) : unavailable('listing reporting')())),
      },
      state: hostSide(new DbPluginStateStore(this.db, id)),
    };
  }

  private async runPluginJob(record: PluginRecord, jobId: string, ctx: Parameters<Parameters<JobSchedulerService['define']>[0]['run']>[0]) {
    await this.fire(`onJob:${jobId}`);
    if (record.state === 'inactive') throw new SkipRun(`plugin "${record.manifest.id}" is not active (no channel uses it yet)`);
    if (record.state !== 'active') throw new Error(`plugin "${record.manifest.id}" is ${record.state}: ${record.error ?? ''}`);
    const handler = record.jobHandlers.get(jobId);
    if (!handler) throw new Error(`plugin "${record.manifest.id}" did not register a handler for job "${jobId}"`);
    const types = (record.manifest.contributes.channelTypes ?? []).map((c) => c.id);
    return runAsPlugin(record.manifest.id, () =>
      handler({
      signal: ctx.signal,
      logger: createPluginLogger(this.options.logger, record.manifest.id),
      progress: ctx.progress,
        channels: () => runAsHost(async () => (types.length && this.channelDirectory ? this.channelDirectory.channelsOfTypes(types) : [])),
      }),
    );
  }

  /** Deactivates every active plugin and disposes what it registered (reverse order). */
  async deactivateAll(): Promise<void> {
    for (const record of [...this.records].reverse()) {
      if (record.activation) await record.activation.catch(() => undefined);
      if (record.state !== 'active') continue;
      try {
        await withTimeout(Promise.resolve(runAsPlugin(record.manifest.id, () => record.module?.deactivate?.())), 10_000, 'deactivate() did not finish within 10 s');
      } catch (e) {
        this.logger.error(`Plugin "${record.manifest.id}" failed to deactivate: ${(e as Error).message}`);
      }
      await this.disposeAll(record);
      record.state = 'inactive';
      this.logger.log(`Plugin "${record.manifest.id}" deactivated`);
    }
  }

  private async disposeAll(record: PluginRecord): Promise<void> {
    const subs = record.subscriptions.splice(0).reverse();
    for (const d of subs) {
      try {
        await d.dispose();
      } catch (e) {
        this.logger.error(`Plugin "${record.manifest.id}": a disposable failed: ${(e as Error).message}`);
      }
    }
    record.channelProviders.clear();
    record.jobHandlers.clear();
  }
}

function hostSide(store: DbPluginStateStore): PluginStateStore {
  return { get: (key) => runAsHost(() => store.get(key)), set: (key, value) => runAsHost(() => store.set(key, value)) };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
