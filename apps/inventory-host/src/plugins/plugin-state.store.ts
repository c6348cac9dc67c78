import type { PluginStateStore } from '@invsync/plugin-api';
import { TransactionRunner } from '@invsync/domain-shared';
import type { DataSource } from 'typeorm';
import { nowIso } from '../common/time';
import { PluginStateEntity } from '../database/entities/plugin-state.entity';

/** A plugin's persisted key/value state, JSON-encoded in `plugin_state`. */
export class DbPluginStateStore implements PluginStateStore {
  constructor(
    private readonly db: DataSource,
    private readonly pluginId: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await TransactionRunner.for(this.db).read((em) => em.getRepository(PluginStateEntity).findOneBy({ pluginId: this.pluginId, key }));
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set<T>(key: string, value: T): Promise<void> {
    // Through the one TransactionRunner: on SQLite's single connection, never inside someone else's transaction.
    await TransactionRunner.for(this.db).run((em) =>
      em.getRepository(PluginStateEntity).upsert({ pluginId: this.pluginId, key, value: JSON.stringify(value), updatedAt: nowIso() }, ['pluginId', 'key']),
    );
  }
}
