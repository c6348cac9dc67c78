import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type ChannelTypeContribution, HOST_SETTING_KEYS, type HostSettingKey, type JsonSchema } from '@invsync/plugin-api';
import type { ChannelSyncSettings, ChannelView, QuantityRules } from '@invsync/domain-channels';
import type { ApiVocabulary } from './api-vocabulary';

/**
 * Settings every channel has, whatever its plugin: the host owns them (sync switch, warehouses,
 * quantity rules), and the contract reserves their keys (`HOST_SETTING_KEYS`). Everything else in
 * the API's flat `settings` belongs to the plugin and is checked against the schema its manifest
 * declares.
 */
export const HOST_SETTINGS_SCHEMA: JsonSchema & { properties: Record<HostSettingKey, JsonSchema> } = {
  type: 'object',
  properties: {
    syncInventory: { type: 'boolean', description: 'Send quantities for this channel' },
    onHandWarehouseIds: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 36 },
      maxItems: 100,
      uniqueItems: true,
      description: 'Warehouses whose on hand is summed for merchant-fulfilled listings',
    },
    allocationWarehouseId: { type: ['string', 'null'], minLength: 1, maxLength: 36, description: "Where the channel's orders are allocated" },
    managedWarehouseId: { type: ['string', 'null'], minLength: 1, maxLength: 36, description: 'The warehouse mirroring the stock the channel holds in its own network (a channel type may name this key)' },
    reserve: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 },
    percentage: { type: ['integer', 'null'], minimum: 0, maximum: 100 },
    maxQuantity: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 },
    zeroAtOrBelow: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validators = new WeakMap<object, ValidateFunction>();

function compile(schema: JsonSchema): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    // Unknown settings are refused unless the plugin's schema says otherwise.
    v = ajv.compile({ additionalProperties: false, ...schema });
    validators.set(schema, v);
  }
  return v;
}

function messages(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const path = `settings${e.instancePath.replace(/\//g, '.')}`;
    if (e.keyword === 'additionalProperties') return `${path}.${String(e.params['additionalProperty'])} is not a known setting`;
    if (e.keyword === 'required') return `${path}.${String(e.params['missingProperty'])} is required`;
    return `${path} ${e.message ?? 'is invalid'}`;
  });
}

/** The host's part of a channel's settings; a patch leaves out what it does not change. */
export type HostChannelSettings = Partial<Omit<ChannelSyncSettings, 'rules'>> & { rules: QuantityRules };

/** A channel's settings inside the host: the host's and the plugin's apart (the API shows them flat). */
export interface ChannelSettings<H = HostChannelSettings> {
  host: H;
  plugin: Record<string, unknown>;
}

const isHostKey = (k: string): k is HostSettingKey => (HOST_SETTING_KEYS as readonly string[]).includes(k);

/**
 * Separates the keys the host owns from the plugin's in the API's flat settings (not yet validated).
 * The managed warehouse may be given under the name the channel type uses for it.
 */
export function splitSettings(settings: Record<string, unknown>, words: ApiVocabulary): ChannelSettings<Partial<Record<HostSettingKey, unknown>>> {
  const host: Partial<Record<HostSettingKey, unknown>> = {};
  const plugin: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    if (k === words.managedWarehouseSetting) host.managedWarehouseId = v;
    else if (isHostKey(k)) host[k] = v;
    else plugin[k] = v;
  }
  return { host, plugin };
}

/** The flat settings of the API: the plugin's, then the host's (the managed warehouse under the type's name). */
export function flattenSettings(settings: ChannelSettings, words: ApiVocabulary): Record<string, unknown> {
  const { rules, managedWarehouseId, ...rest } = settings.host;
  return { ...settings.plugin, ...rest, [words.managedWarehouseSetting]: managedWarehouseId ?? null, ...rules };
}

/** Validates the host part; returns field messages. */
export function checkHostSettings(
  host: Partial<Record<HostSettingKey, unknown>>,
  opts: { create: boolean; contribution: ChannelTypeContribution; words: ApiVocabulary },
): string[] {
  const v = compile(HOST_SETTINGS_SCHEMA);
  const problems = v(host) ? [] : messages(v.errors).map((m) => m.replace('settings.managedWarehouseId', `settings.${opts.words.managedWarehouseSetting}`));
  if (opts.create) {
    if (host['syncInventory'] === undefined) problems.push('settings.syncInventory is required');
    if (opts.contribution.fulfilment === 'merchant' && host['onHandWarehouseIds'] === undefined) problems.push('settings.onHandWarehouseIds is required');
  }
  return problems;
}

/** Validates the plugin part against the plugin's declared schema. */
export function checkPluginSettings(plugin: Record<string, unknown>, contribution: ChannelTypeContribution): string[] {
  const v = compile(contribution.settingsSchema);
  return v(plugin) ? [] : messages(v.errors);
}

/**
 * The validated host part as typed settings: given keys only, rules applied over `baseRules`
 * (a null rule removes it).
 */
export function toHostSettings(host: Partial<Record<HostSettingKey, unknown>>, baseRules: QuantityRules = {}): HostChannelSettings {
  const out: HostChannelSettings = { rules: { ...baseRules } };
  if ('syncInventory' in host) out.syncInventory = host.syncInventory as boolean;
  if ('onHandWarehouseIds' in host) out.onHandWarehouseIds = host.onHandWarehouseIds as string[];
  if ('allocationWarehouseId' in host) out.allocationWarehouseId = host.allocationWarehouseId as string | null;
  if ('managedWarehouseId' in host) out.managedWarehouseId = host.managedWarehouseId as string | null;
  for (const k of ['reserve', 'percentage', 'maxQuantity', 'zeroAtOrBelow'] as const) {
    if (!(k in host)) continue;
    const v = host[k] as number | null;
    if (v === null) delete out.rules[k];
    else out.rules[k] = v;
  }
  return out;
}

/** The host's settings of a stored channel. */
export function hostSettingsOf(v: ChannelView): HostChannelSettings {
  return {
    syncInventory: v.syncEnabled,
    onHandWarehouseIds: v.onHandWarehouseIds,
    allocationWarehouseId: v.allocationWarehouseId,
    managedWarehouseId: v.managedWarehouseId,
    rules: v.rules,
  };
}
