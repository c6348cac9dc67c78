import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ChannelTypeContribution, JsonSchema } from '@invsync/plugin-api';
import type { ChannelSyncSettings, ChannelView, QuantityRules } from '@invsync/domain-channels';

/**
 * Settings every channel has, whatever its plugin: the host owns them (sync switch, warehouses,
 * quantity rules). Everything else in `settings` belongs to the plugin and is checked against the
 * schema its manifest declares.
 */
export const HOST_SETTINGS_SCHEMA: JsonSchema = {
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
    fbaWarehouseId: { type: ['string', 'null'], minLength: 1, maxLength: 36, description: 'The warehouse mirroring channel-held (FBA) stock' },
    reserve: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 },
    percentage: { type: ['integer', 'null'], minimum: 0, maximum: 100 },
    maxQuantity: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 },
    zeroAtOrBelow: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 },
  },
};

export const HOST_SETTING_KEYS = Object.keys(HOST_SETTINGS_SCHEMA.properties ?? {});

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

export interface SplitSettings {
  host: Partial<ChannelSyncSettings> & { rules: QuantityRules };
  plugin: Record<string, unknown>;
}

/** Separates the host's settings from the plugin's. */
export function splitSettings(settings: Record<string, unknown>): { host: Record<string, unknown>; plugin: Record<string, unknown> } {
  const host: Record<string, unknown> = {};
  const plugin: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) (HOST_SETTING_KEYS.includes(k) ? host : plugin)[k] = v;
  return { host, plugin };
}

/** Validates the host part; returns field messages. */
export function checkHostSettings(host: Record<string, unknown>, opts: { create: boolean; contribution: ChannelTypeContribution }): string[] {
  const v = compile(HOST_SETTINGS_SCHEMA);
  const problems = v(host) ? [] : messages(v.errors);
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

export function toRules(host: Record<string, unknown>, base: QuantityRules = {}): QuantityRules {
  const rules: QuantityRules = { ...base };
  for (const k of ['reserve', 'percentage', 'maxQuantity', 'zeroAtOrBelow'] as const) {
    if (k in host) {
      const v = host[k] as number | null;
      if (v === null) delete rules[k];
      else rules[k] = v;
    }
  }
  return rules;
}

/** The host's settings of a channel, as plugins and API responses show them beside the plugin's. */
export function hostSettingsOf(v: ChannelView): Record<string, unknown> {
  return {
    syncInventory: v.syncEnabled,
    onHandWarehouseIds: v.onHandWarehouseIds,
    allocationWarehouseId: v.allocationWarehouseId,
    fbaWarehouseId: v.fbaWarehouseId,
    ...v.rules,
  };
}
