import { definePlugin, INVENTORY_SYNC_API_VERSION, type PluginContext, toDisposable } from '../index';
import * as semver from 'semver';

describe('plugin-api', () => {
  it('carries a semantic contract version', () => {
    expect(semver.valid(INVENTORY_SYNC_API_VERSION)).toBe(INVENTORY_SYNC_API_VERSION);
  });

  it('toDisposable runs its clean-up once', async () => {
    let n = 0;
    const d = toDisposable(() => void n++);
    await d.dispose();
    await d.dispose();
    expect(n).toBe(1);
  });

  it('a minimal channel plugin (the README example) type-checks and registers through the context', async () => {
    const sent: number[] = [];
    const plugin = definePlugin({
      manifest: {
        id: 'hello-channel',
        displayName: 'Hello channel',
        version: '0.1.0',
        engines: { 'inventory-sync': '^1.0.0' },
        activationEvents: ['onChannelType:hello'],
        contributes: {
          channelTypes: [
            {
              id: 'hello',
              displayName: 'Hello',
              fulfilment: 'merchant',
              capabilities: { pushQuantities: true },
              settingsSchema: { type: 'object', properties: { shop: { type: 'string' } }, required: ['shop'] },
            },
          ],
        },
      },
      load: async () => ({
        activate(ctx: PluginContext) {
          ctx.subscriptions.push(
            ctx.channelTypes.register<{ shop: string }>('hello', {
              identify: (s) => ({ marketplaceId: s.shop, quantityPool: s.shop, accountId: s.shop }),
              createConnector: () => ({
                async pushQuantities(batch) {
                  return batch.updates.map((u) => {
                    sent.push(u.quantity);
                    return { updateId: u.updateId, status: 'synced' as const };
                  });
                },
              }),
            }),
          );
        },
      }),
    });
    const registered = new Map<string, unknown>();
    const ctx = {
      subscriptions: [],
      channelTypes: { register: (t: string, p: unknown) => (registered.set(t, p), toDisposable(() => void registered.delete(t))) },
    } as unknown as PluginContext;
    const mod = await plugin.load();
    await mod.activate(ctx);
    expect(registered.has('hello')).toBe(true);
    await Promise.all(ctx.subscriptions.map((d) => d.dispose()));
    expect(registered.has('hello')).toBe(false);
  });
});
