/** A FIFO async mutex: `runExclusive` runs one function at a time, in call order. */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();
  private depth = 0;

  /** Number of holders plus waiters (for tests and diagnostics). */
  get pending(): number {
    return this.depth;
  }

  async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    this.depth++;
    try {
      await previous;
      return await fn();
    } finally {
      this.depth--;
      release();
    }
  }
}
