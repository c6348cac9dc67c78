import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ChannelEntity } from '@invsync/domain-channels';
import { TransactionRunner } from '@invsync/domain-shared';
import { HostOptions } from '../app/host-options';
import { ChannelConnectorsService } from './channel-connectors.service';
import { resealSecrets, SecretKeyMismatchError } from './secret-box';

/**
 * Secrets rotation: started with a new SECRETS_KEY and the old one in SECRETS_KEY_PREVIOUS, the
 * host re-encrypts every stored channel secret under the new key before anything uses the channels
 * (module init runs before the dispatcher and the scheduler start). One transaction, so a crash
 * leaves either all or none re-encrypted, and the next start with both keys finishes the job.
 * Channels whose secrets open with neither key are left as they are and reported (their use then
 * fails with a clear message), rather than stopping the host.
 */
@Injectable()
export class SecretsRotationService implements OnModuleInit {
  private readonly logger = new Logger('SecretsRotation');

  constructor(
    private readonly options: HostOptions,
    private readonly tx: TransactionRunner,
    private readonly connectors: ChannelConnectorsService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.options.config.previousSecretsKey) return;
    const result = await this.rotate();
    this.logger.log(
      `Secrets rotation: ${result.reencrypted} channel(s) re-encrypted with the new SECRETS_KEY, ${result.current} already current` +
        (result.unreadable.length ? `, ${result.unreadable.length} unreadable with both keys (${result.unreadable.join(', ')})` : '') +
        '. SECRETS_KEY_PREVIOUS can be removed once every instance runs with the new key.',
    );
  }

  async rotate(): Promise<{ reencrypted: number; current: number; unreadable: string[] }> {
    const box = this.connectors.box;
    return this.tx.run(async (em) => {
      const rows = await em.find(ChannelEntity, { select: { id: true, pluginSettings: true } });
      const out = { reencrypted: 0, current: 0, unreadable: [] as string[] };
      for (const row of rows) {
        let resealed: Record<string, unknown> | null;
        try {
          resealed = resealSecrets(JSON.parse(row.pluginSettings) as Record<string, unknown>, box);
        } catch (e) {
          if (!(e instanceof SecretKeyMismatchError)) throw e;
          out.unreadable.push(row.id);
          continue;
        }
        if (!resealed) {
          out.current++;
          continue;
        }
        // Only the settings column: the channel's version (updated_at) and its listings are untouched.
        await em.update(ChannelEntity, { id: row.id }, { pluginSettings: JSON.stringify(resealed) });
        out.reencrypted++;
      }
      return out;
    });
  }
}
