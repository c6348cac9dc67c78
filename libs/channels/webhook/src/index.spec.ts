import { INVENTORY_SYNC_API_VERSION, INVENTORY_SYNC_ENGINE, type PluginManifest } from '@invsync/plugin-api';
import Ajv from 'ajv';
import * as semver from 'semver';
import { webhookPlugin } from './index';

// The host checks every built-in plugin's manifest with its own validator before loading any code
// (apps/inventory-host/src/plugins/built-in-plugins.spec.ts). A plugin test may not import the host,
// so these are the same rules seen from the plugin's side.
describe('webhook manifest', () => {
  const manifest: PluginManifest = webhookPlugin.manifest;
  const channelType = manifest.contributes.channelTypes?.find((c) => c.id === 'webhook');
  const compileSettings = () => new Ajv({ allErrors: true, strict: false }).compile({ additionalProperties: false, ...channelType!.settingsSchema });
  const valid = { account: 'my-shop', apiKey: 'key-0123456789' };

  it('is plain data: an id, a semantic version and a contract range this contract satisfies', () => {
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(manifest.id).toMatch(/^[a-z0-9][a-z0-9-]{1,62}$/);
    expect(manifest.displayName.trim()).not.toBe('');
    expect(semver.valid(manifest.version)).toBe(manifest.version);
    expect(semver.satisfies(INVENTORY_SYNC_API_VERSION, manifest.engines[INVENTORY_SYNC_ENGINE])).toBe(true);
  });

  it('activates lazily on the channel type it contributes', () => {
    expect(manifest.activationEvents).toEqual(['onChannelType:webhook']);
    expect(channelType).toBeDefined();
  });

  it('is a merchant-fulfilled channel type that receives quantities', () => {
    expect(channelType).toMatchObject({ fulfilment: 'merchant', capabilities: { pushQuantities: true } });
  });

  it('declares its settings as a JSON schema: valid settings pass, missing and unknown ones fail, the key is secret', () => {
    const validate = compileSettings();
    expect(validate(valid)).toBe(true);
    expect(validate({ account: 'my-shop' })).toBe(false);
    expect(validate({ ...valid, bogus: 1 })).toBe(false);
    expect(channelType!.settingsSchema.properties!['apiKey']['x-secret']).toBe(true);
  });
});
