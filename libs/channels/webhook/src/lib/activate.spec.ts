import { type ChannelProvider, type PluginContext, toDisposable } from '@invsync/plugin-api';
import { webhookPlugin } from '../index';
import type { WebhookSettings } from './webhook-settings';

/** A context with just what activation uses, as libs/plugin-api/src/lib/plugin.spec.ts does. */
function fakeContext() {
  const registered = new Map<string, ChannelProvider<WebhookSettings>>();
  const log = () => undefined;
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
  return { context, registered };
}

const settings: WebhookSettings = { url: 'https://erp.example.test/hooks/stock?token=abc', secret: 'whsec-0123456789abcdef' };

describe('webhook activation', () => {
  it('registers the channel type on activate; disposing the subscriptions unregisters it', async () => {
    const { context, registered } = fakeContext();
    const mod = await webhookPlugin.load();
    await mod.activate(context);
    expect([...registered.keys()]).toEqual(['webhook']);
    expect(typeof registered.get('webhook')!.createConnector({ id: 'c1', name: 'ERP', type: 'webhook', settings }).pushQuantities).toBe('function');
    await mod.deactivate?.();
    await Promise.all(context.subscriptions.map((d) => d.dispose()));
    expect(registered.size).toBe(0);
  });

  it('identifies a channel by receiver and labels; each listing keeps its own quantity per SKU there', async () => {
    const { context, registered } = fakeContext();
    await (await webhookPlugin.load()).activate(context);
    const provider = registered.get('webhook')!;
    const plain = provider.identify(settings);
    expect(plain).toMatchObject({ marketplaceId: 'default', accountId: 'erp.example.test' });
    // The URL (and a token in it) enters the pool only as a digest.
    expect(plain.quantityPool).toMatch(/^webhook:[0-9a-f]{16}::default$/);
    expect(plain.quantityPool).not.toContain('token');
    const labelled = provider.identify({ ...settings, account: 'shop-1', marketplace: 'web' });
    expect(labelled).toMatchObject({ marketplaceId: 'web', accountId: 'shop-1' });
    // Other labels or another receiver: other pools. The same receiver and labels: the same pool.
    const pools = new Set([
      plain.quantityPool,
      labelled.quantityPool,
      provider.identify({ ...settings, account: 'shop-2', marketplace: 'web' }).quantityPool,
      provider.identify({ ...settings, account: 'shop-1', marketplace: 'pos' }).quantityPool,
      provider.identify({ ...settings, url: 'https://other.example.test/hooks/stock' }).quantityPool,
    ]);
    expect(pools.size).toBe(5);
    expect(provider.identify({ ...settings, secret: 'another-secret-123456' }).quantityPool).toBe(plain.quantityPool);
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    const { context, registered } = fakeContext();
    await (await webhookPlugin.load()).activate(context);
    const validate = registered.get('webhook')!.validateSettings!;
    expect(validate(settings)).toEqual([]);
    expect(validate({ ...settings, url: 'http://127.0.0.1:8080/x' })).toEqual([]);
    expect(validate({ ...settings, url: 'ftp://files.example.test/x' })).toEqual(['settings.url must be an http or https URL']);
    expect(validate({ ...settings, url: 'https://user:pw@erp.example.test/' })[0]).toMatch(/must not contain a user name or password/);
    expect(validate({ ...settings, url: 'http://' })[0]).toMatch(/is not a valid URL/);
  });
});
