import { BadGatewayException, Injectable } from '@nestjs/common';
import type { ChannelProvider, ChannelTypeContribution, RemoteListing } from '@invsync/plugin-api';
import { skuKey } from '@invsync/domain-catalog';
import { type ChannelEntity, ChannelSyncService, type ListingService, toChannelView } from '@invsync/domain-channels';
import { InvalidInputError, RuleViolationError } from '@invsync/domain-shared';
import { JobSchedulerService } from '../jobs/job-scheduler.service';
import { PluginHostService, PluginUnavailableError } from '../plugins/plugin-host.service';
import { vocabularyOf } from './api-vocabulary';
import { type ChannelSettings, checkHostSettings, checkPluginSettings, flattenSettings, hostSettingsOf, splitSettings, toHostSettings } from './channel-settings';
import { ChannelConnectorsService } from './channel-connectors.service';
import { maskSecrets, sealSecrets, secretKeys } from './secret-box';

export interface ChannelResponse {
  id: string;
  type: string;
  name: string;
  fulfilment: 'merchant' | 'channel';
  /** The fulfilment as the channel type names it (its vocabulary), e.g. a marketplace's own code. */
  fulfillment: string;
  marketplaceId: string;
  accountId: string;
  quantityPool: string;
  settings: Record<string, unknown>;
  health: { ok: boolean | null; message: string | null; checkedAt: string | null };
  createdAt: string;
  updatedAt: string;
}

/**
 * Channel settings as a person gives them (one flat object): split at this boundary into the host's
 * settings and the plugin's, each validated (the plugin's against its declared schema), secrets
 * encrypted before storage and never returned.
 */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly plugins: PluginHostService,
    private readonly channels: ChannelSyncService,
    private readonly connectors: ChannelConnectorsService,
    jobs: JobSchedulerService,
  ) {
    jobs.define({
      name: 'host.channel-health',
      owner: 'host',
      defaultCron: '*/15 * * * *',
      description: "Runs every channel's health check (credentials, reachability) and stores the answers shown on the channel and summarised in /health",
      run: async (exec) => {
        const all = await this.channels.list();
        const summary = { channels: all.length, ok: 0, failing: [] as { channelId: string; message: string | null }[] };
        for (const [i, c] of all.entries()) {
          if (exec.signal.aborted) break;
          const h = await this.checkHealth(c.id, exec.signal);
          if (h.ok) summary.ok++;
          else summary.failing.push({ channelId: c.id, message: h.message });
          exec.progress(i + 1, all.length);
        }
        return summary;
      },
    });
  }

  private contributionOf(type: string): ChannelTypeContribution {
    const c = this.plugins.channelType(type);
    if (!c) {
      const known = this.plugins.channelTypeIds();
      throw new InvalidInputError([`type "${type}" is not a channel type of any loaded plugin (known: ${known.join(', ') || 'none'})`]);
    }
    return c;
  }

  private async providerOf(type: string): Promise<ChannelProvider<object>> {
    try {
      return await this.plugins.channelProvider(type);
    } catch (e) {
      if (e instanceof PluginUnavailableError) throw new RuleViolationError(`The channel type "${type}" cannot be used now: ${e.message}. See GET /api/v1/plugins.`, 'plugin-unavailable');
      throw e;
    }
  }

  private identify(provider: ChannelProvider<object>, pluginSettings: Record<string, unknown>) {
    const extra = provider.validateSettings?.(pluginSettings) ?? [];
    if (extra.length) throw new InvalidInputError(extra.map((m) => (m.startsWith('settings') ? m : `settings: ${m}`)));
    const id = provider.identify(pluginSettings);
    return { marketplaceId: id.marketplaceId, quantityPool: id.quantityPool, accountId: id.accountId };
  }

  async create(input: { type: string; name: string; settings: Record<string, unknown> }): Promise<ChannelResponse> {
    const contribution = this.contributionOf(input.type);
    const words = vocabularyOf(contribution);
    const given = splitSettings(input.settings, words);
    const problems = [...checkHostSettings(given.host, { create: true, contribution, words }), ...checkPluginSettings(given.plugin, contribution)];
    if (problems.length) throw new InvalidInputError(problems);
    const { host, plugin }: ChannelSettings = { host: toHostSettings(given.host), plugin: given.plugin };
    const provider = await this.providerOf(input.type);
    const identity = this.identify(provider, plugin);
    const row = await this.channels.create({
      type: input.type,
      name: input.name,
      fulfilment: contribution.fulfilment,
      ...identity,
      syncInventory: host.syncInventory as boolean,
      onHandWarehouseIds: host.onHandWarehouseIds ?? [],
      allocationWarehouseId: host.allocationWarehouseId ?? null,
      managedWarehouseId: host.managedWarehouseId ?? null,
      rules: host.rules,
      pluginSettings: JSON.stringify(sealSecrets(plugin, secretKeys(contribution.settingsSchema), this.connectors.box)),
    });
    return this.toResponse(row);
  }

  /** Partial update: given top-level settings replace the stored ones. */
  async update(id: string, patch: Record<string, unknown>): Promise<{ channel: ChannelResponse; resent: boolean }> {
    const current = await this.channels.get(id);
    const contribution = this.contributionOf(current.type);
    const words = vocabularyOf(contribution);
    const given = splitSettings(patch, words);
    const pluginPatch = given.plugin;
    const stored = JSON.parse(current.pluginSettings) as Record<string, unknown>;
    const keys = secretKeys(contribution.settingsSchema);
    // Validate the merged plugin settings (secrets not given keep their stored, encrypted value).
    const mergedPlugin = { ...this.connectors.instance(current, Object.keys(pluginPatch)).settings, ...pluginPatch } as Record<string, unknown>;
    const problems = [...checkHostSettings(given.host, { create: false, contribution, words }), ...checkPluginSettings(mergedPlugin, contribution)];
    if (problems.length) throw new InvalidInputError(problems);
    const provider = await this.providerOf(current.type);
    const identity = this.identify(provider, mergedPlugin);
    const sealed = sealSecrets({ ...stored, ...pluginPatch }, keys, this.connectors.box);
    const before = toChannelView(current);
    const { channel, resent } = await this.channels.update(id, {
      ...toHostSettings(given.host, before.rules),
      identity,
      pluginSettings: JSON.stringify(sealed),
    });
    await this.connectors.drop(id);
    return { channel: this.toResponse(channel), resent };
  }

  async get(id: string): Promise<ChannelResponse> {
    return this.toResponse(await this.channels.get(id));
  }

  async list(): Promise<ChannelResponse[]> {
    return (await this.channels.list()).map((r) => this.toResponse(r));
  }

  /** Runs the plugin's health check for the channel and stores the answer. */
  async checkHealth(id: string, signal: AbortSignal = new AbortController().signal): Promise<ChannelResponse['health']> {
    const row = await this.channels.get(id);
    let ok = false;
    let message: string | null;
    try {
      const { connector, contribution } = await this.connectors.connector(id);
      if (!contribution.capabilities.healthCheck || !connector.checkHealth) {
        ok = true;
        message = 'the channel type has no health check';
      } else {
        const r = await connector.checkHealth(signal);
        ok = r.ok;
        message = r.message ?? null;
      }
    } catch (e) {
      message = (e as Error).message;
    }
    await this.channels.recordHealth(row.id, ok, message);
    return (await this.get(id)).health;
  }

  toResponse(row: ChannelEntity): ChannelResponse {
    const v = toChannelView(row);
    const plugin = maskSecrets(JSON.parse(row.pluginSettings) as Record<string, unknown>);
    const words = vocabularyOf(this.plugins.channelType(row.type));
    return {
      id: row.id,
      type: row.type,
      name: row.name,
      fulfilment: row.fulfilment,
      fulfillment: words.fulfilment[row.fulfilment],
      marketplaceId: row.marketplaceId,
      accountId: row.accountId,
      quantityPool: row.quantityPool,
      settings: flattenSettings({ host: hostSettingsOf(v), plugin }, words),
      health: { ok: row.healthOk === null ? null : !!row.healthOk, message: row.healthMessage, checkedAt: row.healthCheckedAt },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  /**
   * Connects the channel's remote listings whose SKU matches a product (dry run: lists them only).
   * Listings fulfilled the other way (stock the marketplace holds, on a merchant channel), of another marketplace, of a parent
   * product, or repeated in the channel's answer are skipped with the reason; SKUs without a product
   * are reported as unmatched. With sync on, connected listings get their quantity sent right away.
   */
  /** Refuses at once (409) an import the channel type cannot do, before any job run starts. */
  async checkImportable(id: string): Promise<void> {
    const row = await this.channels.get(id);
    const contribution = this.contributionOf(row.type);
    if (!contribution.capabilities.listRemoteListings) {
      throw new RuleViolationError(`Channel type "${row.type}" cannot list its remote listings, so there is nothing to import.`, 'import-unsupported');
    }
  }

  async importListings(
    id: string,
    listings: ListingService,
    opts: { dryRun: boolean; findProducts: (skus: string[]) => Promise<Map<string, { id: string; kind: string }>>; signal?: AbortSignal },
  ) {
    const row = await this.channels.get(id);
    const { connector, contribution } = await this.connectors.connector(id);
    if (!contribution.capabilities.listRemoteListings || !connector.listRemoteListings) {
      throw new RuleViolationError(`Channel type "${row.type}" cannot list its remote listings, so there is nothing to import.`, 'import-unsupported');
    }
    const wanted = contribution.fulfilment === 'channel' ? 'channel' : 'merchant';
    const words = vocabularyOf(contribution);
    const result = {
      dryRun: opts.dryRun,
      matched: [] as { sku: string; productId: string; listingId?: string }[],
      unmatched: [] as string[],
      alreadyConnected: [] as string[],
      skipped: [] as { sku: string; reason: string }[],
    };
    // Keys as the catalog and the listings use them (trimmed, NFC, upper case).
    const existing = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await listings.listByChannel(id, 1000, cursor);
      for (const l of page.items) existing.add(skuKey(l.sku));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const seen = new Set<string>();
    const remote = connector.listRemoteListings(opts.signal ?? new AbortController().signal)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<RemoteListing[]>;
      try {
        next = await remote.next();
      } catch (e) {
        throw new BadGatewayException(`Could not read the listings of channel "${row.name}" from the marketplace: ${(e as Error).message}`);
      }
      if (next.done) break;
      const page = next.value;
      const relevant: RemoteListing[] = [];
      for (const l of page) {
        if (l.fulfilment !== wanted) result.skipped.push({ sku: l.sku, reason: `fulfilled by ${l.fulfilment === 'channel' ? 'the marketplace' : 'the merchant'} (${words.fulfilment[l.fulfilment]}); this channel type handles ${wanted}-fulfilled listings` });
        else if (l.marketplaceId && l.marketplaceId !== row.marketplaceId) result.skipped.push({ sku: l.sku, reason: `other marketplace (${l.marketplaceId})` });
        else if (seen.has(skuKey(l.sku))) result.skipped.push({ sku: l.sku, reason: 'listed twice by the marketplace' });
        else {
          seen.add(skuKey(l.sku));
          relevant.push(l);
        }
      }
      const products = await opts.findProducts(relevant.map((l) => l.sku));
      for (const l of relevant) {
        if (existing.has(skuKey(l.sku))) {
          result.alreadyConnected.push(l.sku);
          continue;
        }
        const p = products.get(l.sku);
        if (!p) {
          result.unmatched.push(l.sku);
          continue;
        }
        if (p.kind === 'parent') {
          result.skipped.push({ sku: l.sku, reason: 'the product with this SKU is a variant parent, which is not listable: connect its variants' });
          continue;
        }
        if (opts.dryRun) {
          result.matched.push({ sku: l.sku, productId: p.id });
          continue;
        }
        try {
          const created = await listings.connect(id, { sku: l.sku, productId: p.id });
          existing.add(skuKey(l.sku));
          result.matched.push({ sku: l.sku, productId: p.id, listingId: created.id });
        } catch (e) {
          result.skipped.push({ sku: l.sku, reason: (e as Error).message });
        }
      }
    }
    return result;
  }
}

