import type { TransactionRunner } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { MAX_BATCH_MOVEMENTS, type ApplyResult } from './ledger-types';
import type { WriteEntry, WriteOutcome } from './movement-booking';

interface Queued {
  entry: WriteEntry;
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

type Book = (em: EntityManager, entries: readonly WriteEntry[]) => Promise<WriteOutcome[]>;

/**
 * Group commit: a request waits while a transaction is running, and every request that arrived
 * meanwhile is booked in the next transaction together (up to MAX_BATCH_MOVEMENTS movements), each
 * still all or nothing and answered with its own result or refusal. An idle ledger starts a group at
 * the end of the current event-loop turn (setImmediate). Under concurrent single movements this
 * shares one transaction's fixed cost (begin, commit, statement overhead, the pages written to the
 * WAL: about 20 per transaction on SQLite) among many (B4 in docs/benchmarks.md).
 */
export class GroupCommit {
  private readonly queued: Queued[] = [];
  private flushing = false;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly book: Book,
  ) {}

  submit(entry: WriteEntry): Promise<ApplyResult> {
    return new Promise<ApplyResult>((resolve, reject) => {
      this.queued.push({ entry, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // After the I/O already read in this turn of the event loop: requests that arrived together
        // (several connections) are handled up to here first and go in one group. Outside the first
        // caller's async context: the group is nobody's request.
        this.tx.detached(() => setImmediate(() => void this.flush()));
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queued.length) {
        const group = [this.queued.shift() as Queued];
        let size = group[0].entry.lines.length;
        while (this.queued.length && size + this.queued[0].entry.lines.length <= MAX_BATCH_MOVEMENTS) {
          const next = this.queued.shift() as Queued;
          size += next.entry.lines.length;
          group.push(next);
        }
        try {
          const outcomes = await this.tx.run((em) => this.book(em, group.map((g) => g.entry)));
          outcomes.forEach((o, i) => (o.ok ? group[i].resolve(o.result) : group[i].reject(o.error)));
        } catch (error) {
          for (const g of group) g.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
