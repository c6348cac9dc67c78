import { type ChannelProvider, type PluginContext, type QuantityBatch, toDisposable } from '@invsync/plugin-api';
import { webhookPlugin } from '../index';
import type { WebhookSettings } from './activate';

/** A context with just what activation uses, as libs/plugin-api/src/lib/plugin.spec.ts does. */
function fakeContext() {
  const registered = new Map<string, ChannelProvider<WebhookSettings>>();
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const context = {
    pluginId: 'webhook',
    subscriptions: [],
    logger: { debug: log, info: log, warn: log, error: log },
    channelTypes: {
      register: (type: string, provider: ChannelProvider<WebhookSettings>) => {
        registered.set(type, provider);
        return toDisposable(() => void registered.delete(type));
      },
    },
  } as unknown as PluginContext;
  return { context, registered, logs };
}

const settings: WebhookSettings = { account: 'my-shop', apiKey: 'key-0123456789' };

describe('webhook activation', () => {
  it('registers the channel type on activate; disposing the subscriptions unregisters it', async () => {
    const { context, registered } = fakeContext();
    const mod = await webhookPlugin.load();
    await mod.activate(context);
    expect([...registered.keys()]).toEqual(['webhook']);
    await mod.deactivate?.();
    await Promise.all(context.subscriptions.map((d) => d.dispose()));
    expect(registered.size).toBe(0);
  });

  it('identifies where a channel\'s listings live and which share a quantity', async () => {
    const { context, registered } = fakeContext();
    await (await webhookPlugin.load()).activate(context);
    const provider = registered.get('webhook')!;
    expect(provider.identify(settings)).toEqual({ marketplaceId: 'my-shop', quantityPool: 'webhook:my-shop', accountId: 'my-shop' });
    expect(provider.identify({ ...settings, account: 'other' }).quantityPool).not.toBe(provider.identify(settings).quantityPool);
  });

  // Replace this test when pushQuantities is written: it pins down that the scaffold never claims success.
  it('refuses every update as "not implemented" until pushQuantities is written', async () => {
    const { context, registered } = fakeContext();
    await (await webhookPlugin.load()).activate(context);
    const channel = { id: 'c1', name: 'Shop', type: 'webhook', settings };
    const connector = registered.get('webhook')!.createConnector(channel);
    const batch: QuantityBatch = {
      channel,
      signal: new AbortController().signal,
      updates: [
        { updateId: 'u1', sku: 'A-1', marketplaceIds: ['my-shop'], quantity: 3 },
        { updateId: 'u2', sku: 'B-2', marketplaceIds: ['my-shop'], quantity: 0 },
      ],
    };
    const results = await connector.pushQuantities!(batch);
    expect(results.map((r) => [r.updateId, r.status])).toEqual([
      ['u1', 'rejected'],
      ['u2', 'rejected'],
    ]);
    expect(results[0].message).toMatch(/not implemented/);
  });
});
