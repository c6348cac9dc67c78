import type { ChannelTypeContribution } from '@invsync/plugin-api';
import type { ChannelSyncService } from '@invsync/domain-channels';
import type { ManagedWarehouseReconciliationService } from '@invsync/domain-managed-warehouses';
import type { ChannelConnectorsService } from '../channels/channel-connectors.service';
import { ManagedStockStalenessService } from './staleness.service';

const held: ChannelTypeContribution = {
  id: 'held',
  displayName: 'Held',
  fulfilment: 'channel',
  capabilities: { pushQuantities: false },
  settingsSchema: { type: 'object', properties: { staleAfter: { type: 'integer', minimum: 1 }, staleAfterMinutes: { type: 'integer', minimum: 1 } } },
};

const staleAfterMs = (contribution: ChannelTypeContribution | undefined, pluginSettings: Record<string, unknown>) => {
  const channels = { get: async () => ({ type: 'held', pluginSettings: JSON.stringify(pluginSettings) }) } as unknown as ChannelSyncService;
  const connectors = { contribution: () => contribution } as unknown as ChannelConnectorsService;
  return new ManagedStockStalenessService(channels, connectors, {} as ManagedWarehouseReconciliationService).staleAfterMs('c1');
};

describe('ManagedStockStalenessService.staleAfterMs', () => {
  it("reads the channel type's declared default, and the channel's value of the declared setting", async () => {
    const declared = { ...held, managedWarehouse: { staleAfterMinutes: { default: 45, settingKey: 'staleAfter' } } };
    expect(await staleAfterMs(declared, {})).toBe(45 * 60_000);
    expect(await staleAfterMs(declared, { staleAfter: 10 })).toBe(10 * 60_000);
    expect(await staleAfterMs({ ...declared, managedWarehouse: { staleAfterMinutes: { default: 45 } } }, { staleAfter: 10 })).toBe(45 * 60_000);
  });

  it('uses 90 minutes when the type declares nothing, whatever its settings hold', async () => {
    expect(await staleAfterMs(held, { staleAfterMinutes: 5 })).toBe(90 * 60_000);
    expect(await staleAfterMs(undefined, {})).toBe(90 * 60_000);
  });
});
