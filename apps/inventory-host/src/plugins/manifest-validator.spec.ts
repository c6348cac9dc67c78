import { type ChannelTypeContribution, INVENTORY_SYNC_API_VERSION, type PluginManifest } from '@invsync/plugin-api';
import * as semver from 'semver';
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

  it('refuses a plugin that needs a newer contract, saying which version and what to do', () => {
    const next = semver.inc(INVENTORY_SYNC_API_VERSION, 'minor')!;
    const problems = validateManifest(withChanges({ engines: { 'inventory-sync': `^${next}` } }));
    expect(problems).toEqual([
      `engine range "^${next}" is not satisfied by this host's inventory-sync contract ${INVENTORY_SYNC_API_VERSION}: the plugin needs contract ${next} or newer; update the host`,
    ]);
    expect(validateManifest(withChanges({ engines: { 'inventory-sync': '^0.9.0' } })).join()).toMatch(/built for an older contract; update the plugin/);
  });

  it('refuses a settings schema that declares a key the host owns', () => {
    const ct = valid.contributes.channelTypes![0];
    const settingsSchema = { type: 'object' as const, properties: { url: { type: 'string' as const }, reserve: { type: 'integer' as const } } };
    const problems = validateManifest({ ...valid, contributes: { ...valid.contributes, channelTypes: [{ ...ct, settingsSchema }] } });
    expect(problems).toEqual(['channel type "demo": settings key "reserve" is owned by the host']);
  });

  describe('managedWarehouse staleness', () => {
    const held: ChannelTypeContribution = {
      id: 'held',
      displayName: 'Held',
      fulfilment: 'channel',
      capabilities: { pushQuantities: false },
      settingsSchema: { type: 'object', properties: { staleAfter: { type: 'integer', minimum: 1 }, label: { type: 'string' } } },
      managedWarehouse: { staleAfterMinutes: { default: 60, settingKey: 'staleAfter' } },
    };
    const check = (ct: ChannelTypeContribution) =>
      validateManifest({ ...valid, engines: { 'inventory-sync': '^1.2.0' }, activationEvents: ['onStartup'], contributes: { channelTypes: [ct] } }).join('\n');

    it('accepts a positive default and an integer setting', () => {
      expect(check(held)).toBe('');
      expect(check({ ...held, managedWarehouse: { staleAfterMinutes: { default: 30 } } })).toBe('');
    });

    it('refuses it on a merchant type, a bad default or a setting that is not a positive integer', () => {
      expect(check({ ...held, fulfilment: 'merchant', capabilities: { pushQuantities: true } })).toMatch(/managedWarehouse is only for channel-fulfilled types/);
      expect(check({ ...held, managedWarehouse: { staleAfterMinutes: { default: 0 } } })).toMatch(/default must be a positive number/);
      expect(check({ ...held, managedWarehouse: { staleAfterMinutes: { default: 60, settingKey: 'label' } } })).toMatch(/settingKey "label" must name an integer property/);
      expect(check({ ...held, managedWarehouse: { staleAfterMinutes: { default: 60, settingKey: 'missing' } } })).toMatch(/settingKey "missing"/);
    });

    it('refuses it with an engine range that admits a contract without it', () => {
      const problems = validateManifest({ ...valid, activationEvents: ['onStartup'], contributes: { channelTypes: [held] } });
      expect(problems).toEqual(['channel type "held": managedWarehouse needs contract 1.2.0: raise engines["inventory-sync"] to ^1.2.0']);
    });
  });

  describe('vocabulary', () => {
    const ct = valid.contributes!.channelTypes![0];
    const check = (vocabulary: ChannelTypeContribution['vocabulary'], range = '^1.2.0') =>
      validateManifest({ ...valid, engines: { 'inventory-sync': range }, activationEvents: ['onStartup'], contributes: { channelTypes: [{ ...ct, vocabulary }] } }).join('\n');

    it('accepts a marketplace\'s words for fulfilment, the managed warehouse, its tool and quantity', () => {
      expect(check({ fulfilment: { merchant: 'OWN', channel: 'NET' }, managedWarehouseSetting: 'mirrorWarehouseId', managedWarehouseTool: 'net-stock', channelQuantityField: 'netQuantity' })).toBe('');
      expect(check({})).toBe('');
    });

    it('refuses words the host cannot put where they go, saying which', () => {
      expect(check({ fulfilment: { merchant: 'X', channel: 'X' } })).toMatch(/fulfilment needs two different labels/);
      expect(check({ managedWarehouseSetting: 'reserve' })).toMatch(/managedWarehouseSetting "reserve" is another host setting/);
      expect(check({ managedWarehouseSetting: 'url' })).toMatch(/managedWarehouseSetting "url" is also a key of the plugin's settingsSchema/);
      expect(check({ managedWarehouseSetting: 'has space' })).toMatch(/managedWarehouseSetting must be a camelCase settings key/);
      expect(check({ managedWarehouseTool: 'Net/Stock' })).toMatch(/managedWarehouseTool must be lower-case words joined by dashes/);
      expect(check({ channelQuantityField: 'difference' })).toMatch(/channelQuantityField must be a camelCase field name/);
    });

    it('refuses it with an engine range that admits a contract without it', () => {
      expect(check({ managedWarehouseTool: 'net' }, '^1.0.0')).toBe('channel type "demo": vocabulary needs contract 1.2.0: raise engines["inventory-sync"] to ^1.2.0');
    });
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
