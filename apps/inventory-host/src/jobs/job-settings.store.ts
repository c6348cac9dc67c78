import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@invsync/domain-shared';
import { nowIso } from '../common/time';
import { JobSettingEntity } from '../database/entities/job-setting.entity';

export interface JobSettingsPatch {
  cron?: string;
  enabled?: boolean;
}

/**
 * Operators' overrides of a job's cron and enabled flag: persisted, and held in memory so that
 * scheduling never waits on the database.
 */
@Injectable()
export class JobSettingsStore {
  private readonly rows = new Map<string, JobSettingEntity>();

  constructor(private readonly db: DataSource) {}

  /** Reads every stored override; answers the jobs whose cron or enabled flag differ from those held. */
  async load(): Promise<string[]> {
    const changed: string[] = [];
    for (const row of await this.read((em) => em.getRepository(JobSettingEntity).find())) {
      const cur = this.rows.get(row.name);
      if (cur && cur.cron === row.cron && !!cur.enabled === !!row.enabled) continue;
      this.rows.set(row.name, row);
      changed.push(row.name);
    }
    return changed;
  }

  /** The overriding cron, or undefined when the job runs on its default. */
  cronOf(name: string): string | undefined {
    return this.rows.get(name)?.cron ?? undefined;
  }

  enabledOf(name: string): boolean {
    return this.rows.get(name)?.enabled ?? true;
  }

  /** Stores a patch over the current override (a field left out keeps its value). */
  async save(name: string, patch: JobSettingsPatch): Promise<void> {
    const current = this.rows.get(name);
    const row: JobSettingEntity = {
      name,
      cron: patch.cron ?? current?.cron ?? null,
      enabled: patch.enabled ?? current?.enabled ?? true,
      updatedAt: nowIso(),
    };
    await TransactionRunner.for(this.db).run((em) => em.getRepository(JobSettingEntity).save(row));
    this.rows.set(name, row);
  }

  // Every statement goes through the one TransactionRunner: on SQLite (one connection) a statement
  // issued while a ledger transaction is open would otherwise land inside it.
  private read<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return TransactionRunner.for(this.db).read(fn);
  }
}
