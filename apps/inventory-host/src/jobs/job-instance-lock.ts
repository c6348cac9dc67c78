import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { TransactionRunner } from '@invsync/domain-shared';

export interface HeldJobLock {
  release(): Promise<void>;
}

const NO_LOCK: HeldJobLock = { release: async () => undefined };

/**
 * One runner of a job across host instances. On PostgreSQL (several instances share the database)
 * it is an advisory lock held by an open transaction on its own connection for the length of the
 * run: released by commit, or by PostgreSQL if the instance dies. SQLite is single-instance: the
 * lock is always free.
 */
@Injectable()
export class JobInstanceLock {
  constructor(private readonly db: DataSource) {}

  /** Several instances share the database: jobs are coordinated through it. */
  get shared(): boolean {
    return TransactionRunner.for(this.db).engine === 'postgres';
  }

  /** The job's lock, or undefined when another instance holds it. */
  async tryAcquire(jobName: string): Promise<HeldJobLock | undefined> {
    if (!this.shared) return NO_LOCK;
    const qr: QueryRunner = this.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const [row] = (await qr.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`invsync-job:${jobName}`])) as { locked: boolean }[];
      if (row?.locked) {
        return {
          release: async () => {
            await qr.commitTransaction().catch(() => undefined);
            await qr.release();
          },
        };
      }
      await qr.rollbackTransaction();
    } catch (e) {
      await qr.rollbackTransaction().catch(() => undefined);
      await qr.release();
      throw e;
    }
    await qr.release();
    return undefined;
  }
}
