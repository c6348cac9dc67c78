import * as path from 'node:path';
import * as ts from 'typescript';
import { type ChannelProvider, INVENTORY_SYNC_API_VERSION, type JobHandler, type PluginContext, toDisposable } from '../src';
import { type HelloSettings, helloPlugin } from '../examples/minimal-plugin';

const EXAMPLE = path.join(__dirname, '../examples/minimal-plugin.ts');

/** A host context with every service the contract promises, recording what the plugin does. */
function fakeContext() {
  const providers = new Map<string, ChannelProvider<object>>();
  const jobs = new Map<string, JobHandler>();
  const logs: string[] = [];
  const state = new Map<string, unknown>();
  const log = (level: string) => (message: string) => void logs.push(`${level}: ${message}`);
  const context: PluginContext = {
    pluginId: 'hello-channel',
    apiVersion: INVENTORY_SYNC_API_VERSION,
    subscriptions: [],
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    channelTypes: { register: (type, p) => (providers.set(type, p as ChannelProvider<object>), toDisposable(() => void providers.delete(type))) },
    jobs: { register: (id, h) => (jobs.set(id, h), toDisposable(() => void jobs.delete(id))) },
    inventory: { onHand: async () => new Map(), findProductsBySku: async () => new Map() },
    orders: { record: async (o) => ({ orderId: o.externalId, created: true, status: o.status }) },
    listings: { recordRemoteQuantities: async () => ({ stored: 0, readAt: new Date(0).toISOString() }) },
    state: { get: async <T>(k: string) => state.get(k) as T | undefined, set: async (k, v) => void state.set(k, v) },
  };
  return { context, providers, logs };
}

describe('the minimal plugin of the README (examples/minimal-plugin.ts)', () => {
  it('type-checks against the contract', () => {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(__dirname, '../tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const program = ts.createProgram([EXAMPLE], { ...config!.options, noEmit: true });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000);

  it('activates, registers its channel type, sends a batch and releases everything on dispose', async () => {
    const { context, providers, logs } = fakeContext();
    const mod = await helloPlugin.load();
    await mod.activate(context);
    const provider = providers.get('hello') as ChannelProvider<HelloSettings>;
    expect(provider).toBeDefined();

    const settings: HelloSettings = { shop: 'shop-1', apiKey: 'key' };
    expect(provider.identify(settings)).toEqual({ marketplaceId: 'shop-1', quantityPool: 'shop-1', accountId: 'shop-1' });
    const channel = { id: 'c1', name: 'Shop', type: 'hello', settings };
    const connector = provider.createConnector(channel);
    const updates = [{ updateId: 'u1', sku: 'A', marketplaceIds: ['shop-1'], quantity: 3 }];
    const results = await connector.pushQuantities!({ channel, updates, signal: new AbortController().signal });
    expect(results).toEqual([{ updateId: 'u1', status: 'synced' }]);
    expect(logs).toEqual(['info: sending quantities']);

    for (const d of context.subscriptions) await d.dispose();
    expect(providers.size).toBe(0);
  });
});
