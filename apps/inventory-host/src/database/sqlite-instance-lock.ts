import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export class InstanceLockError extends Error {}

/**
 * SQLite mode is one host per database file (one writer, in-process serialisation, claims without
 * leases). A lock file beside the database, created atomically, holds the owner's pid; a lock whose
 * process is gone (a crash) is taken over at once.
 */
export function acquireSqliteLock(dbPath: string): { release(): void } {
  const lockPath = `${dbPath}.lock`;
  // A first start with a new DATA_DIR: the lock is the first thing written into the data folder.
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number };
            if (owner.pid === process.pid) unlinkSync(lockPath);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid: number; host: string; startedAt: string } | undefined;
      try {
        owner = JSON.parse(readFileSync(lockPath, 'utf8'));
      } catch {
        owner = undefined; // half-written by a starting process, or corrupt: treated as stale
      }
      if (owner && owner.pid !== process.pid && owner.host === hostname() && isAlive(owner.pid)) {
        throw new InstanceLockError(
          `Another inventory-sync host (pid ${owner.pid}, started ${owner.startedAt}) is using the SQLite database ${dbPath}. ` +
            'SQLite mode runs a single instance: stop the other one, or use PostgreSQL (DATABASE_URL=postgres://...) to run several.',
        );
      }
      try {
        unlinkSync(lockPath);
      } catch {
        // someone else removed it first; retry the create
      }
    }
  }
  throw new InstanceLockError(`Could not take the lock ${lockPath}; is another host starting at the same time?`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
