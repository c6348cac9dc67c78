import { Injectable, Logger } from '@nestjs/common';
import type { ChannelConnector, ChannelInstance, ChannelTypeContribution } from '@invsync/plugin-api';
import { type ChannelEntity, ChannelSyncService } from '@invsync/domain-channels';
import { HostOptions } from '../app/host-options';
import { redactor } from '../logging/redactor';
import { outsideRequest } from '../logging/request-context';
import { PluginHostService } from '../plugins/plugin-host.service';
import { openSecrets, SecretBox, secretKeys, secretStrings } from './secret-box';

/**
 * Turns stored channels into what plugins see (their own settings, secrets decrypted) and keeps one
 * connector per channel, recreated when the channel's settings change.
 */
@Injectable()
export class ChannelConnectorsService {
  private readonly logger = new Logger('Channels');
  readonly box: SecretBox;
  private readonly cache = new Map<string, { version: string; connector: ChannelConnector; instance: ChannelInstance<object> }>();

  constructor(
    options: HostOptions,
    private readonly plugins: PluginHostService,
    private readonly channels: ChannelSyncService,
  ) {
    this.box = new SecretBox(options.config.secretsKey, options.config.previousSecretsKey);
  }

  contribution(type: string): ChannelTypeContribution | undefined {
    return this.plugins.channelType(type);
  }

  /** The channel as a plugin sees it: only the plugin's settings (secrets decrypted), never the host's. */
  instance(row: ChannelEntity, replaced: readonly string[] = []): ChannelInstance<object> {
    const stored = JSON.parse(row.pluginSettings) as Record<string, unknown>;
    // Settings about to be replaced are not opened: new credentials repair a channel whose stored ones no key opens.
    for (const k of replaced) delete stored[k];
    const plugin = openSecrets(stored, this.box);
    const contribution = this.contribution(row.type);
    for (const k of contribution ? secretKeys(contribution.settingsSchema) : []) for (const s of secretStrings(plugin[k])) redactor.addSecret(s);
    return { id: row.id, name: row.name, type: row.type, settings: plugin };
  }

  async connector(channelId: string): Promise<{ connector: ChannelConnector; instance: ChannelInstance<object>; contribution: ChannelTypeContribution }> {
    const row = await this.channels.get(channelId);
    const contribution = this.contribution(row.type);
    if (!contribution) throw new Error(`no loaded plugin contributes the channel type "${row.type}"`);
    const cached = this.cache.get(channelId);
    if (cached && cached.version === row.updatedAt) return { connector: cached.connector, instance: cached.instance, contribution };
    if (cached) await this.drop(channelId);
    const provider = await this.plugins.channelProvider(row.type);
    const instance = this.instance(row);
    // A connector outlives the request that first needed it: its timers and lines are no request's.
    const connector = outsideRequest(() => provider.createConnector(instance));
    this.cache.set(channelId, { version: row.updatedAt, connector, instance });
    return { connector, instance, contribution };
  }

  async drop(channelId: string): Promise<void> {
    const cached = this.cache.get(channelId);
    this.cache.delete(channelId);
    try {
      await cached?.connector.dispose?.();
    } catch (e) {
      this.logger.warn(`disposing the connector of channel ${channelId} failed: ${(e as Error).message}`);
    }
  }

  async disposeAll(): Promise<void> {
    for (const id of [...this.cache.keys()]) await this.drop(id);
  }
}
