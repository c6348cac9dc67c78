/** What a committed transaction changed, in the terms of those who wait for changes (the sync engine). */
/** `catalog`: a product was created (an order parked on its SKU may resolve now). */
export const CHANGE_TOPICS = ['onHand', 'orders', 'listings', 'channels', 'catalog'] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

/** Told once per outermost commit that declared changes: the union of its topics. */
export type CommitListener = (topics: ReadonlySet<ChangeTopic>) => void;

/**
 * The after-commit subscribers of a TransactionRunner. A listener is a wake-up, never part of the
 * write: whatever it throws (or its promise rejects with) is swallowed, so the committer's result
 * stands and the other listeners are still told.
 */
export class CommitListeners {
  private readonly listeners = new Set<CommitListener>();

  /** Registers a listener; returns the unsubscribe function. */
  add(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(topics: ReadonlySet<ChangeTopic>): void {
    if (!topics.size) return;
    const frozen: ReadonlySet<ChangeTopic> = new Set(topics);
    for (const listener of [...this.listeners]) {
      try {
        const out = listener(frozen) as unknown;
        if (isThenable(out)) out.then(undefined, ignore);
      } catch {
        // see the class comment
      }
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

const ignore = () => undefined;
