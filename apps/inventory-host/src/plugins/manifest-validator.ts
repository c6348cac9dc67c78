import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CronTime } from 'cron';
import * as semver from 'semver';
import {
  type ChannelTypeContribution,
  HOST_SETTING_KEYS,
  INVENTORY_SYNC_API_VERSION,
  INVENTORY_SYNC_ENGINE,
  type PluginManifest,
} from '@invsync/plugin-api';

const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const JOB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

// The formats (uri, date-time ...) the host validates channel settings with (channel-settings.ts).
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

/**
 * Checks a manifest before any of the plugin's code runs. Returns the reasons it is rejected
 * (empty when valid). `taken` holds the channel types other plugins already contribute.
 */
export function validateManifest(manifest: unknown, taken: ReadonlyMap<string, string> = new Map()): string[] {
  const problems: string[] = [];
  if (typeof manifest !== 'object' || manifest === null) return ['manifest is not an object'];
  const m = manifest as Partial<PluginManifest>;

  if (typeof m.id !== 'string' || !ID.test(m.id)) problems.push(`id "${String(m.id)}" is invalid: use 2-63 lower-case letters, digits and dashes`);
  if (typeof m.displayName !== 'string' || !m.displayName.trim()) problems.push('displayName is required');
  if (typeof m.version !== 'string' || !semver.valid(m.version)) problems.push(`version "${String(m.version)}" is not a semantic version (e.g. 1.0.0)`);

  const range = m.engines?.[INVENTORY_SYNC_ENGINE];
  if (typeof range !== 'string' || !semver.validRange(range)) {
    problems.push(`engines["${INVENTORY_SYNC_ENGINE}"] must be a semver range (e.g. ^1.0.0)`);
  } else if (!semver.satisfies(INVENTORY_SYNC_API_VERSION, range)) {
    problems.push(`engine range "${range}" is not satisfied by this host's inventory-sync contract ${INVENTORY_SYNC_API_VERSION}: ${engineAdvice(range)}`);
  }

  const contributes = m.contributes ?? {};
  const channelTypes = Array.isArray(contributes.channelTypes) ? contributes.channelTypes : [];
  const jobs = Array.isArray(contributes.jobs) ? contributes.jobs : [];
  if (m.contributes === undefined || typeof m.contributes !== 'object') problems.push('contributes is required (may be {})');

  const seenTypes = new Set<string>();
  for (const ct of channelTypes) {
    if (typeof ct?.id !== 'string' || !ID.test(ct.id)) {
      problems.push(`channel type id "${String(ct?.id)}" is invalid`);
      continue;
    }
    if (seenTypes.has(ct.id)) problems.push(`channel type "${ct.id}" is contributed twice`);
    const owner = taken.get(ct.id);
    if (owner && owner !== m.id) problems.push(`channel type "${ct.id}" is already contributed by plugin "${owner}"`);
    seenTypes.add(ct.id);
    if (ct.fulfilment !== 'merchant' && ct.fulfilment !== 'channel') problems.push(`channel type "${ct.id}": fulfilment must be "merchant" or "channel"`);
    if (!ct.capabilities || typeof ct.capabilities.pushQuantities !== 'boolean') {
      problems.push(`channel type "${ct.id}": capabilities.pushQuantities (boolean) is required`);
    } else if (ct.fulfilment === 'merchant' && !ct.capabilities.pushQuantities) {
      problems.push(`channel type "${ct.id}": merchant-fulfilled channels must declare pushQuantities`);
    } else if (ct.fulfilment === 'channel' && ct.capabilities.pushQuantities) {
      problems.push(`channel type "${ct.id}": channel-fulfilled channels never receive quantities (pushQuantities must be false)`);
    }
    if (!ct.settingsSchema || ct.settingsSchema.type !== 'object') {
      problems.push(`channel type "${ct.id}": settingsSchema must be a JSON schema of type "object"`);
    } else {
      try {
        ajv.compile(ct.settingsSchema);
      } catch (e) {
        problems.push(`channel type "${ct.id}": settingsSchema does not compile: ${(e as Error).message}`);
      }
      for (const key of Object.keys(ct.settingsSchema.properties ?? {})) {
        if ((HOST_SETTING_KEYS as readonly string[]).includes(key)) problems.push(`channel type "${ct.id}": settings key "${key}" is owned by the host`);
      }
    }
    problems.push(...checkManagedWarehouse(ct, typeof range === 'string' ? range : undefined));
    problems.push(...checkVocabulary(ct, typeof range === 'string' ? range : undefined));
  }

  const seenJobs = new Set<string>();
  for (const job of jobs) {
    if (typeof job?.id !== 'string' || !JOB_ID.test(job.id)) {
      problems.push(`job id "${String(job?.id)}" is invalid`);
      continue;
    }
    if (seenJobs.has(job.id)) problems.push(`job "${job.id}" is contributed twice`);
    seenJobs.add(job.id);
    const cronProblem = checkCron(job.defaultCron);
    if (cronProblem) problems.push(`job "${job.id}": ${cronProblem}`);
    if (typeof job.description !== 'string' || !job.description) problems.push(`job "${job.id}": description is required`);
  }

  if (!Array.isArray(m.activationEvents) || m.activationEvents.length === 0) {
    problems.push('activationEvents must list at least one event');
  } else {
    for (const ev of m.activationEvents) {
      if (ev === 'onStartup') continue;
      const [kind, arg] = typeof ev === 'string' ? ev.split(':', 2) : [];
      if (kind === 'onChannelType') {
        if (!seenTypes.has(arg)) problems.push(`activation event "${ev}" names a channel type the plugin does not contribute`);
      } else if (kind === 'onJob') {
        if (!seenJobs.has(arg)) problems.push(`activation event "${ev}" names a job the plugin does not contribute`);
      } else {
        problems.push(`unknown activation event "${String(ev)}" (known: onStartup, onChannelType:<type>, onJob:<jobId>)`);
      }
    }
  }
  return problems;
}

/** What to do about an engine range the host's contract does not satisfy. */
function engineAdvice(range: string): string {
  const needs = semver.minVersion(range);
  if (needs && semver.gt(needs, INVENTORY_SYNC_API_VERSION)) return `the plugin needs contract ${needs.version} or newer; update the host`;
  return 'the plugin was built for an older contract; update the plugin';
}

/** The staleness a channel-held type declares must be usable: a positive default, a real integer setting. */
function checkManagedWarehouse(ct: ChannelTypeContribution, range: string | undefined): string[] {
  const mw = ct.managedWarehouse;
  if (mw === undefined) return [];
  const where = `channel type "${ct.id}": managedWarehouse`;
  if (ct.fulfilment !== 'channel') return [`${where} is only for channel-fulfilled types`];
  // An older host would ignore the declaration silently: the range must exclude it.
  const lowest = range && semver.validRange(range) ? semver.minVersion(range) : null;
  if (lowest && semver.lt(lowest, '1.2.0')) return [`${where} needs contract 1.2.0: raise engines["${INVENTORY_SYNC_ENGINE}"] to ^1.2.0`];
  const stale = mw?.staleAfterMinutes;
  if (typeof stale?.default !== 'number' || !Number.isFinite(stale.default) || stale.default <= 0) {
    return [`${where}.staleAfterMinutes.default must be a positive number of minutes`];
  }
  if (stale.settingKey === undefined) return [];
  const prop = ct.settingsSchema?.properties?.[stale.settingKey];
  if (!prop || prop.type !== 'integer' || typeof prop.minimum !== 'number' || prop.minimum < 1) {
    return [`${where}.staleAfterMinutes.settingKey "${stale.settingKey}" must name an integer property of settingsSchema with minimum >= 1`];
  }
  return [];
}

const FIELD_NAME = /^[a-z][A-Za-z0-9]{0,39}$/;
const ROUTE_WORD = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Fields of the reconciliation tool's answers: a renamed channel quantity must not shadow one. */
const TOOL_FIELDS = ['productId', 'sku', 'skus', 'warehouseQuantity', 'warehouseQuantityAfter', 'difference', 'readAt', 'stale'];

/** The words a type gives the admin API must be usable where the host puts them (keys, routes, labels). */
function checkVocabulary(ct: ChannelTypeContribution, range: string | undefined): string[] {
  const v = ct.vocabulary;
  if (v === undefined) return [];
  const where = `channel type "${ct.id}": vocabulary`;
  if (typeof v !== 'object' || v === null) return [`${where} must be an object`];
  const lowest = range && semver.validRange(range) ? semver.minVersion(range) : null;
  if (lowest && semver.lt(lowest, '1.2.0')) return [`${where} needs contract 1.2.0: raise engines["${INVENTORY_SYNC_ENGINE}"] to ^1.2.0`];
  const problems: string[] = [];
  if (v.fulfilment !== undefined) {
    const { merchant, channel } = v.fulfilment ?? {};
    const label = (x: unknown) => typeof x === 'string' && x.trim().length > 0 && x.length <= 20;
    if (!label(merchant) || !label(channel) || merchant === channel) problems.push(`${where}.fulfilment needs two different labels of 1 to 20 characters (merchant, channel)`);
  }
  const setting = v.managedWarehouseSetting;
  if (setting !== undefined) {
    if (typeof setting !== 'string' || !FIELD_NAME.test(setting)) problems.push(`${where}.managedWarehouseSetting must be a camelCase settings key of at most 40 characters`);
    else if (setting !== 'managedWarehouseId' && (HOST_SETTING_KEYS as readonly string[]).includes(setting)) problems.push(`${where}.managedWarehouseSetting "${setting}" is another host setting`);
    else if (Object.keys(ct.settingsSchema?.properties ?? {}).includes(setting)) problems.push(`${where}.managedWarehouseSetting "${setting}" is also a key of the plugin's settingsSchema`);
  }
  const tool = v.managedWarehouseTool;
  if (tool !== undefined && (typeof tool !== 'string' || tool.length > 40 || !ROUTE_WORD.test(tool))) problems.push(`${where}.managedWarehouseTool must be lower-case words joined by dashes (at most 40 characters)`);
  const field = v.channelQuantityField;
  if (field !== undefined && (typeof field !== 'string' || !FIELD_NAME.test(field) || TOOL_FIELDS.includes(field))) {
    problems.push(`${where}.channelQuantityField must be a camelCase field name of at most 40 characters, not one of ${TOOL_FIELDS.join(', ')}`);
  }
  return problems;
}

/** Returns why a cron expression is invalid, or undefined. */
export function checkCron(expr: unknown): string | undefined {
  if (typeof expr !== 'string' || !expr.trim()) return 'cron expression is required';
  try {
    new CronTime(expr);
    return undefined;
  } catch (e) {
    return `cron expression "${expr}" is invalid: ${(e as Error).message}`;
  }
}
