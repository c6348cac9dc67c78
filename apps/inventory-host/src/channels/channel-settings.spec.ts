import { HOST_SETTING_KEYS } from '@invsync/plugin-api';
import { HOST_VOCABULARY } from './api-vocabulary';
import { flattenSettings, HOST_SETTINGS_SCHEMA, splitSettings, toHostSettings } from './channel-settings';

describe('channel settings at the API boundary', () => {
  it('the host validates exactly the keys the contract reserves for it', () => {
    expect(Object.keys(HOST_SETTINGS_SCHEMA.properties).sort()).toEqual([...HOST_SETTING_KEYS].sort());
  });

  it('splits the flat settings into the host part and the plugin part, and flattens them back', () => {
    const flat = { url: 'https://x.test', syncInventory: true, onHandWarehouseIds: ['w1'], reserve: 2, maxQuantity: null, secret: 's' };
    const given = splitSettings(flat, HOST_VOCABULARY);
    expect(given.plugin).toEqual({ url: 'https://x.test', secret: 's' });
    expect(given.host).toEqual({ syncInventory: true, onHandWarehouseIds: ['w1'], reserve: 2, maxQuantity: null });
    const host = toHostSettings(given.host, { maxQuantity: 10, percentage: 50 });
    expect(host).toEqual({ syncInventory: true, onHandWarehouseIds: ['w1'], rules: { reserve: 2, percentage: 50 } });
    expect(flattenSettings({ host, plugin: given.plugin }, HOST_VOCABULARY)).toEqual({ url: 'https://x.test', secret: 's', syncInventory: true, onHandWarehouseIds: ['w1'], managedWarehouseId: null, reserve: 2, percentage: 50 });
  });

  it('takes and shows the managed warehouse under the name the channel type gives it', () => {
    const words = { ...HOST_VOCABULARY, managedWarehouseSetting: 'mirrorWarehouseId' };
    const given = splitSettings({ mirrorWarehouseId: 'w9', url: 'https://x.test' }, words);
    expect(given).toEqual({ host: { managedWarehouseId: 'w9' }, plugin: { url: 'https://x.test' } });
    expect(flattenSettings({ host: toHostSettings(given.host), plugin: given.plugin }, words)).toEqual({ url: 'https://x.test', mirrorWarehouseId: 'w9' });
  });
});
