import { InvalidInputError, newId, NotFoundError, nowIso, RuleViolationError, type TransactionRunner } from '@invsync/domain-shared';
import { WarehouseEntity } from '@invsync/domain-stock';
import { type EntityManager, In } from 'typeorm';
import { findSharedQuantityConflicts } from '../listings/eu-conflicts';
import { ChannelEntity, type Fulfilment } from '../persistence/channel.entity';
import { ListingEntity } from '../persistence/listing.entity';
import { checkRules, effectiveRules, type QuantityRules, RULE_KEYS } from '../rules/quantity-rules';
import { ClaimStore } from '../listing-state/claim-store';
import { type ChannelView, toChannelView } from './channel-view';

/** The host-level settings every channel has, whatever its plugin. */
export interface ChannelSyncSettings {
  syncInventory: boolean;
  onHandWarehouseIds: string[];
  allocationWarehouseId?: string | null;
  managedWarehouseId?: string | null;
  rules: QuantityRules;
}

export interface CreateChannelInput extends ChannelSyncSettings {
  type: string;
  name: string;
  fulfilment: Fulfilment;
  marketplaceId: string;
  quantityPool: string;
  accountId: string;
  /** The plugin's settings as stored (secrets already encrypted by the host). */
  pluginSettings: string;
}

export interface UpdateChannelInput {
  name?: string;
  syncInventory?: boolean;
  onHandWarehouseIds?: string[];
  allocationWarehouseId?: string | null;
  managedWarehouseId?: string | null;
  rules?: QuantityRules;
  identity?: { marketplaceId: string; quantityPool: string; accountId: string };
  pluginSettings?: string;
}

/**
 * Channels as the sync engine sees them: create, change settings (with the shared-quantity rule
 * checked and the right listings marked dirty in the same transaction), read.
 */
export class ChannelSyncService {
  private readonly claims = new ClaimStore();

  constructor(private readonly tx: TransactionRunner) {}

  async create(input: CreateChannelInput): Promise<ChannelEntity> {
    return this.tx.run(async (em) => {
      await this.checkSettings(em, input);
      const now = nowIso();
      const row: ChannelEntity = {
        id: newId(),
        type: input.type,
        name: input.name,
        fulfilment: input.fulfilment,
        marketplaceId: input.marketplaceId,
        quantityPool: input.quantityPool,
        accountId: input.accountId,
        syncEnabled: input.syncInventory,
        onHandWarehouseIds: JSON.stringify(input.onHandWarehouseIds),
        allocationWarehouseId: input.allocationWarehouseId ?? null,
        managedWarehouseId: input.managedWarehouseId ?? null,
        rules: JSON.stringify(input.rules),
        pluginSettings: input.pluginSettings,
        healthOk: null,
        healthMessage: null,
        healthCheckedAt: null,
        remoteReadAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await em.getRepository(ChannelEntity).insert(row);
      this.tx.changed('channels');
      return row;
    });
  }

  async update(id: string, patch: UpdateChannelInput): Promise<{ channel: ChannelEntity; resent: boolean }> {
    return this.tx.run(async (em) => {
      const current = await em.getRepository(ChannelEntity).findOneBy({ id });
      if (!current) throw new NotFoundError(`No channel with id "${id}".`);
      const before = toChannelView(current);
      const next: ChannelSyncSettings = {
        syncInventory: patch.syncInventory ?? before.syncEnabled,
        onHandWarehouseIds: patch.onHandWarehouseIds ?? before.onHandWarehouseIds,
        allocationWarehouseId: patch.allocationWarehouseId !== undefined ? patch.allocationWarehouseId : before.allocationWarehouseId,
        managedWarehouseId: patch.managedWarehouseId !== undefined ? patch.managedWarehouseId : before.managedWarehouseId,
        rules: patch.rules ?? before.rules,
      };
      await this.checkSettings(em, { ...next, fulfilment: current.fulfilment });
      const identity = patch.identity ?? { marketplaceId: current.marketplaceId, quantityPool: current.quantityPool, accountId: current.accountId };
      if (identity.marketplaceId !== current.marketplaceId || identity.quantityPool !== current.quantityPool) {
        const count = await em.getRepository(ListingEntity).countBy({ channelId: id });
        if (count > 0) {
          throw new RuleViolationError(
            `The channel's account, region or marketplace cannot change while it has ${count} connected listing(s): they belong to the current marketplace. Create a new channel instead.`,
            'channel-identity-immutable',
          );
        }
      }
      const quantityChanged =
        JSON.stringify([...next.onHandWarehouseIds].sort()) !== JSON.stringify([...before.onHandWarehouseIds].sort()) ||
        JSON.stringify(effectiveRules(next.rules, {})) !== JSON.stringify(effectiveRules(before.rules, {}));
      if (quantityChanged) await this.checkListingsAgree(em, current, next);
      const now = nowIso();
      await em.getRepository(ChannelEntity).update(
        { id },
        {
          name: patch.name ?? current.name,
          syncEnabled: next.syncInventory,
          onHandWarehouseIds: JSON.stringify(next.onHandWarehouseIds),
          allocationWarehouseId: next.allocationWarehouseId ?? null,
          managedWarehouseId: next.managedWarehouseId ?? null,
          rules: JSON.stringify(next.rules),
          pluginSettings: patch.pluginSettings ?? current.pluginSettings,
          marketplaceId: identity.marketplaceId,
          quantityPool: identity.quantityPool,
          accountId: identity.accountId,
          updatedAt: now,
        },
      );
      this.tx.changed('channels');
      // Sync switched back on: everything on the channel is sent again, whatever was sent before.
      const resent = !before.syncEnabled && next.syncInventory;
      if (resent) await this.claims.markChannel(em, id, now, { force: true, immediate: true });
      else if (quantityChanged || patch.syncInventory !== undefined) await this.claims.markChannel(em, id, now);
      return { channel: (await em.getRepository(ChannelEntity).findOneBy({ id }))!, resent };
    });
  }

  async get(id: string, em?: EntityManager): Promise<ChannelEntity> {
    const row = await this.tx.read((m) => m.getRepository(ChannelEntity).findOneBy({ id }), { em });
    if (!row) throw new NotFoundError(`No channel with id "${id}".`);
    return row;
  }

  async list(): Promise<ChannelEntity[]> {
    return this.tx.read((m) => m.getRepository(ChannelEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  async view(id: string): Promise<ChannelView> {
    return toChannelView(await this.get(id));
  }

  async typesInUse(): Promise<string[]> {
    const rows = await this.tx.read((m) => m.getRepository(ChannelEntity).createQueryBuilder('c').select('DISTINCT c.type', 'type').getRawMany<{ type: string }>());
    return rows.map((r) => r.type);
  }

  async recordHealth(id: string, ok: boolean, message: string | null): Promise<void> {
    await this.tx.run((em) => em.getRepository(ChannelEntity).update({ id }, { healthOk: ok, healthMessage: message, healthCheckedAt: nowIso() }));
  }

  private async checkSettings(em: EntityManager, s: ChannelSyncSettings & { fulfilment: Fulfilment }): Promise<void> {
    const problems = checkRules(s.rules ?? {}, 'settings.');
    for (const k of Object.keys(s.rules ?? {})) if (!(RULE_KEYS as readonly string[]).includes(k)) problems.push(`settings.${k} is not a quantity rule`);
    if (!Array.isArray(s.onHandWarehouseIds)) problems.push('settings.onHandWarehouseIds must be an array of warehouse ids');
    else if (s.fulfilment === 'merchant' && s.onHandWarehouseIds.length === 0) problems.push('settings.onHandWarehouseIds must name at least one warehouse');
    else if (new Set(s.onHandWarehouseIds).size !== s.onHandWarehouseIds.length) problems.push('settings.onHandWarehouseIds must not repeat a warehouse');
    if (problems.length) throw new InvalidInputError(problems);
    const ids = [...new Set([...s.onHandWarehouseIds, s.allocationWarehouseId, s.managedWarehouseId].filter((x): x is string => !!x))];
    const found = new Set((await em.getRepository(WarehouseEntity).findBy({ id: In(ids) })).map((w) => w.id));
    const missing = ids.filter((i) => !found.has(i));
    if (missing.length) throw new NotFoundError(`No warehouse with id ${missing.map((m) => `"${m}"`).join(', ')}.`).withRemedy({ action: 'list-warehouses' });
  }

  /** Refuses a settings change that would make listings sharing a quantity disagree. */
  private async checkListingsAgree(em: EntityManager, channel: ChannelEntity, next: ChannelSyncSettings): Promise<void> {
    const listings = await em.getRepository(ListingEntity).findBy({ channelId: channel.id, fulfilment: 'merchant' });
    const proposed = listings.map((l) => ({
      id: l.id,
      channelId: channel.id,
      channelName: channel.name,
      sku: l.sku,
      skuKey: l.skuKey,
      quantityPool: l.quantityPool,
      productId: l.productId,
      warehouseIds: next.onHandWarehouseIds,
      rules: effectiveRules(next.rules, JSON.parse(l.overrides) as QuantityRules),
    }));
    const conflicts = await findSharedQuantityConflicts(em, proposed);
    if (conflicts.length) {
      throw new RuleViolationError(
        `This change would make ${conflicts.length} listing(s) disagree with listings that share their quantity on the channel. First: ${conflicts[0].message}`,
        'shared-quantity',
        { conflicts: conflicts.slice(0, 20).map((c) => ({ listingId: c.listing.id, otherListingId: c.other.id, otherChannelId: c.other.channelId })) },
      );
    }
  }
}
