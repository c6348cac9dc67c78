import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What to release once the database is closed (SQLite: the instance lock file). */
export const INSTANCE_LOCK = Symbol('INSTANCE_LOCK');

/**
 * Releases the SQLite instance lock at shutdown, after closing the database itself (TypeORM's own
 * hook may run later and then finds it closed): the next host never opens a file still in use.
 */
@Injectable()
export class InstanceLockRelease implements OnApplicationShutdown {
  constructor(
    private readonly db: DataSource,
    @Inject(INSTANCE_LOCK) private readonly lock: { release(): void } | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.lock) return;
    try {
      if (this.db.isInitialized) await this.db.destroy();
    } finally {
      this.lock.release();
    }
  }
}
