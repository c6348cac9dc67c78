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
  // As the host validates settings: unknown properties refused.
  const validate = () => new Ajv({ allErrors: true, strict: false }).compile({ additionalProperties: false, ...channelType!.settingsSchema });
  const valid = { url: 'https://erp.example.test/hooks/stock', secret: 'whsec-0123456789abcdef' };

  it('is plain data: an id, a semantic version and a contract range this contract satisfies', () => {
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(manifest.id).toMatch(/^[a-z0-9][a-z0-9-]{1,62}$/);
    expect(semver.valid(manifest.version)).toBe(manifest.version);
    expect(semver.satisfies(INVENTORY_SYNC_API_VERSION, manifest.engines[INVENTORY_SYNC_ENGINE])).toBe(true);
  });

  it('activates lazily on the merchant-fulfilled channel type it contributes, which receives quantities', () => {
    expect(manifest.activationEvents).toEqual(['onChannelType:webhook']);
    expect(channelType).toMatchObject({ fulfilment: 'merchant', capabilities: { pushQuantities: true }, maxBatchSize: 1000 });
  });

  it('settings: url and secret required, the secret is secret, labels and limits optional and bounded', () => {
    const v = validate();
    expect(v(valid)).toBe(true);
    expect(v({ ...valid, account: 'shop-1', marketplace: 'web', timeoutMs: 5000, maxAttempts: 5 })).toBe(true);
    expect(channelType!.settingsSchema.properties!['secret']['x-secret']).toBe(true);
    expect(channelType!.settingsSchema.properties!['url']['x-secret']).toBeUndefined();
    for (const bad of [
      { url: valid.url },
      { secret: valid.secret },
      { ...valid, url: 'ftp://erp.example.test/x' },
      { ...valid, secret: 'short' },
      { ...valid, timeoutMs: 10 },
      { ...valid, maxAttempts: 0 },
      { ...valid, maxAttempts: 11 },
      { ...valid, bogus: true },
    ]) {
      expect({ bad, valid: v(bad) }).toEqual({ bad, valid: false });
    }
  });
});
