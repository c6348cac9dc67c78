import type { PluginStateStore } from '@invsync/plugin-api';
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
    const row = await this.db.getRepository(PluginStateEntity).findOneBy({ pluginId: this.pluginId, key });
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set<T>(key: string, value: T): Promise<void> {
    await this.db
      .getRepository(PluginStateEntity)
      .upsert({ pluginId: this.pluginId, key, value: JSON.stringify(value), updatedAt: nowIso() }, ['pluginId', 'key']);
  }
}
