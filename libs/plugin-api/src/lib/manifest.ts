import type { ChannelTypeVocabulary } from './vocabulary';

/**
 * The plugin manifest: plain data, checked by the host before any plugin code runs.
 */

/** A JSON Schema (draft 2020-12 subset) describing a channel type's settings object. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'null' | Array<string>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: ReadonlyArray<string | number | boolean | null>;
  const?: string | number | boolean | null;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  format?: string;
  default?: unknown;
  description?: string;
  title?: string;
  /** Marks a value as a secret: the host encrypts it at rest, never returns it and never logs it. */
  'x-secret'?: boolean;
}

/**
 * When a plugin is activated. Activation is lazy: a plugin is loaded on its first event.
 * - `onStartup`: when the host starts.
 * - `onChannelType:<type>`: when the first channel of that type exists (at start or when created).
 * - `onJob:<jobId>`: when one of its contributed jobs is triggered.
 */
export type ActivationEvent = 'onStartup' | `onChannelType:${string}` | `onJob:${string}`;

/**
 * Who controls a channel's quantity for listings of this channel type.
 * - `merchant`: we do; the host computes quantities and asks the plugin to send them (Amazon MFN).
 * - `channel`: the channel does (Amazon FBA); the host never sends a quantity, it can only read them.
 */
export type FulfilmentKind = 'merchant' | 'channel';

/** What a channel type can do beyond the basics; the host only calls what is declared here. */
export interface ChannelCapabilities {
  /** Receives batches of quantities to send (required for `merchant` fulfilment). */
  pushQuantities: boolean;
  /** Can confirm whether earlier accepted deliveries were applied (e.g. an asynchronous feed). */
  confirmDeliveries?: boolean;
  /** Can read the quantities the channel currently shows, so reconciliation sends only differences. */
  pullQuantities?: boolean;
  /** Downloads orders from the channel (through a contributed job and `context.orders`). */
  fetchOrders?: boolean;
  /** Can list the listings the account has on the channel (for importing/connecting). */
  listRemoteListings?: boolean;
  /** Can check the channel's credentials and reachability. */
  healthCheck?: boolean;
}

/**
 * The settings every channel has, whatever its type: the host owns and reads them (sync switch,
 * warehouses, quantity rules). A channel type's `settingsSchema` must not declare any of them; the
 * host refuses such a manifest. Plugins never receive them (`ChannelInstance.settings` holds only
 * the plugin's own settings).
 */
export const HOST_SETTING_KEYS = [
  'syncInventory',
  'onHandWarehouseIds',
  'allocationWarehouseId',
  'managedWarehouseId',
  'reserve',
  'percentage',
  'maxQuantity',
  'zeroAtOrBelow',
] as const;

export type HostSettingKey = (typeof HOST_SETTING_KEYS)[number];

/**
 * For channel-held stock (fulfilment `channel`) mirrored in a managed warehouse: how old the
 * channel's quantities may be before the host flags them stale (Live Listings, reconciliation).
 */
export interface ManagedWarehouseContribution {
  staleAfterMinutes: {
    /** Minutes, > 0; used when the channel's setting is absent. */
    default: number;
    /** A property of `settingsSchema` (integer, minimum >= 1) a channel may override the default with. */
    settingKey?: string;
  };
}

export interface ChannelTypeContribution {
  /** Channel type id, unique across all plugins, e.g. `amazon-mfn`. */
  id: string;
  displayName: string;
  fulfilment: FulfilmentKind;
  /**
   * The plugin's settings of one channel of this type; validated by the host on create and update.
   * Must not declare a `HOST_SETTING_KEYS` key.
   */
  settingsSchema: JsonSchema;
  capabilities: ChannelCapabilities;
  /** Largest batch `pushQuantities` accepts at once; the host splits bigger ones. Default 10,000. */
  maxBatchSize?: number;
  /** Only for fulfilment `channel`; without it quantities are stale after 90 minutes (since 1.2). */
  managedWarehouse?: ManagedWarehouseContribution;
  /** The marketplace's words for what the admin API shows of this type (since 1.2). */
  vocabulary?: ChannelTypeVocabulary;
}

export interface JobContribution {
  /** Job id, unique within the plugin; the host names the job `<pluginId>.<id>`. */
  id: string;
  /** Cron expression (6 fields with seconds, or 5) used unless an operator overrides it. */
  defaultCron: string;
  description: string;
}

export interface PluginContributions {
  channelTypes?: ChannelTypeContribution[];
  jobs?: JobContribution[];
}

export interface PluginManifest {
  /** Lower-case id, letters, digits and dashes, e.g. `amazon-mfn`. */
  id: string;
  displayName: string;
  /** The plugin's own version (semver). */
  version: string;
  description?: string;
  /** The contract range the plugin was built against, e.g. `{ "inventory-sync": "^1.0.0" }`. */
  engines: { 'inventory-sync': string };
  activationEvents: ActivationEvent[];
  contributes: PluginContributions;
}
