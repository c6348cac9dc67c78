import type { PluginManifest } from '@invsync/plugin-api';
import { validateManifest } from './manifest-validator';

const valid: PluginManifest = {
  id: 'demo-channel',
  displayName: 'Demo',
  version: '1.2.3',
  engines: { 'inventory-sync': '^1.0.0' },
  activationEvents: ['onChannelType:demo', 'onJob:pull'],
  contributes: {
    channelTypes: [
      {
        id: 'demo',
        displayName: 'Demo channel',
        fulfilment: 'merchant',
        capabilities: { pushQuantities: true },
        settingsSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
      },
    ],
    jobs: [{ id: 'pull', defaultCron: '*/5 * * * *', description: 'Pulls' }],
  },
};

const withChanges = (patch: Partial<PluginManifest>) => ({ ...valid, ...patch });

describe('validateManifest', () => {
  it('accepts a valid manifest', () => {
    expect(validateManifest(valid)).toEqual([]);
  });

  it.each([
    [{ id: 'Demo Channel' }, /id "Demo Channel" is invalid/],
    [{ version: '1.2' }, /version "1.2" is not a semantic version/],
    [{ engines: { 'inventory-sync': '^2.0.0' } }, /engine range "\^2.0.0" is not satisfied/],
    [{ engines: { 'inventory-sync': 'latest' } }, /must be a semver range/],
    [{ activationEvents: [] }, /at least one event/],
    [{ activationEvents: ['onChannelType:other'] }, /names a channel type the plugin does not contribute/],
    [{ activationEvents: ['onJob:nope'] }, /names a job the plugin does not contribute/],
    [{ activationEvents: ['whenever' as 'onStartup'] }, /unknown activation event "whenever"/],
  ] as [Partial<PluginManifest>, RegExp][])('rejects %j', (patch, reason) => {
    expect(validateManifest(withChanges(patch)).join('\n')).toMatch(reason);
  });

  it('rejects a channel type already contributed by another plugin', () => {
    expect(validateManifest(valid, new Map([['demo', 'other-plugin']])).join()).toMatch(/already contributed by plugin "other-plugin"/);
  });

  it('rejects bad jobs, schemas and capability combinations', () => {
    const ct = valid.contributes.channelTypes![0];
    const problems = validateManifest({
      ...valid,
      contributes: {
        channelTypes: [
          { ...ct, fulfilment: 'channel', capabilities: { pushQuantities: true } },
          { ...ct, id: 'demo2', settingsSchema: { type: 'string' } },
          { ...ct, id: 'demo3', capabilities: { pushQuantities: false } },
        ],
        jobs: [
          { id: 'pull', defaultCron: 'sometimes', description: 'x' },
          { id: 'pull', defaultCron: '* * * * *', description: 'y' },
        ],
      },
    }).join('\n');
    expect(problems).toMatch(/channel-fulfilled channels never receive quantities/);
    expect(problems).toMatch(/settingsSchema must be a JSON schema of type "object"/);
    expect(problems).toMatch(/merchant-fulfilled channels must declare pushQuantities/);
    expect(problems).toMatch(/cron expression "sometimes" is invalid/);
    expect(problems).toMatch(/job "pull" is contributed twice/);
  });
});
