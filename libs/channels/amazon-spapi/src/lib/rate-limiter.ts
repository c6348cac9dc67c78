/**
 * Token buckets with FIFO queues, one per key (the client keys them by seller, region and operation).
 * A call is `urgent` (a send lowering a quantity, and the read it needs: served before every other
 * waiter, so a decrease waits at most for the next token, never behind a queue of raises), `normal`
 * (a send, or the read a send needs) or `background` (e.g. reading accepted updates
 * back to confirm them): background calls wait while others are queued and leave half the bucket
 * (`reserve`), so a send, or a burst of decreases, never queues behind a round of confirmation reads (B2 in docs/benchmarks.md: 50
 * confirmation reads at 5/s put 10 s in front of the next patch's read).
 */

/** `urgent` goes before `normal`, which goes before `background`; see the module comment. */
export type CallPriority = 'urgent' | 'normal' | 'background';

export interface RateLimit {
  /** Sustained requests per second. */
  rate: number;
  /** Bucket size: requests allowed at once after a quiet period. */
  burst: number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

class Bucket {
  tokens: number;
  last: number;
  timer?: ReturnType<typeof setTimeout>;
  readonly urgent: Waiter[] = [];
  readonly queue: Waiter[] = [];
  readonly background: Waiter[] = [];

  constructor(
    public rate: number,
    public burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    this.last = now;
  }

  /**
   * Tokens a background call leaves for the others: half the bucket (none when it holds one). One
   * was too few: a confirmation round's reads drained getListingsItem (burst 10) to one token, and
   * the reads of a burst of 5 decreases then waited 200 ms each (B2 in docs/benchmarks.md: p99 801 ms).
   */
  get reserve(): number {
    return Math.floor(this.burst / 2);
  }

  /** Tokens the next waiter needs: 1 for a normal call, 1 + reserve for a background one. */
  needed(): number {
    return this.urgent.length > 0 || this.queue.length > 0 ? 1 : 1 + this.reserve;
  }

  /** The queue served next: urgent, then normal, then background. */
  next(): Waiter[] {
    return this.urgent.length > 0 ? this.urgent : this.queue.length > 0 ? this.queue : this.background;
  }

  msUntil(tokens: number): number {
    if (this.tokens >= tokens) return 0;
    return Math.ceil(((tokens - this.tokens) / this.rate) * 1000);
  }
}

export interface RateLimiterOptions {
  now?: () => number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Waits for a token of the bucket `key` (created with `limit` on first use). Waiters of one key and
   * priority are served in order, urgent before normal before background; keys never wait for each other.
   */
  acquire(key: string, limit: RateLimit, signal?: AbortSignal, priority: CallPriority = 'normal'): Promise<void> {
    const bucket = this.bucket(key, limit);
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    const queue = priority === 'background' ? bucket.background : priority === 'urgent' ? bucket.urgent : bucket.queue;
    const free =
      priority === 'background'
        ? bucket.urgent.length === 0 && bucket.queue.length === 0 && bucket.background.length === 0
        : priority === 'urgent'
          ? bucket.urgent.length === 0
          : bucket.urgent.length === 0 && bucket.queue.length === 0;
    if (free) {
      bucket.refill(this.now());
      if (bucket.tokens >= (priority === 'background' ? 1 + bucket.reserve : 1)) {
        bucket.tokens -= 1;
        return Promise.resolve();
      }
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason ?? new Error('aborted'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      queue.push(waiter);
      if (priority !== 'background' && bucket.timer) {
        // A timer set for a background waiter may wait for more tokens than this call needs.
        clearTimeout(bucket.timer);
        bucket.timer = undefined;
      }
      this.schedule(bucket);
    });
  }

  /** Sets the sustained rate of a key (e.g. from `x-amzn-RateLimit-Limit`); the burst stays. */
  retune(key: string, rate: number): boolean {
    const bucket = this.buckets.get(key);
    if (!bucket || !(rate > 0) || Math.abs(bucket.rate - rate) < 1e-9) return false;
    bucket.refill(this.now());
    bucket.rate = rate;
    if (bucket.timer) {
      clearTimeout(bucket.timer);
      bucket.timer = undefined;
      this.schedule(bucket);
    }
    return true;
  }

  /** Current rate, burst, available tokens and queue length of a key (for tests and metrics). */
  inspect(key: string): { rate: number; burst: number; tokens: number; queued: number } | undefined {
    const b = this.buckets.get(key);
    if (!b) return undefined;
    b.refill(this.now());
    return { rate: b.rate, burst: b.burst, tokens: b.tokens, queued: b.urgent.length + b.queue.length + b.background.length };
  }

  private bucket(key: string, limit: RateLimit): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = new Bucket(limit.rate, Math.max(1, limit.burst), this.now());
      this.buckets.set(key, b);
    }
    return b;
  }

  private schedule(bucket: Bucket): void {
    if (bucket.timer) return;
    bucket.refill(this.now());
    const wait = bucket.msUntil(bucket.needed());
    bucket.timer = setTimeout(() => {
      bucket.timer = undefined;
      this.pump(bucket);
    }, wait);
    bucket.timer.unref?.();
  }

  private pump(bucket: Bucket): void {
    bucket.refill(this.now());
    for (;;) {
      const queue = bucket.next();
      if (queue.length === 0 || bucket.tokens < bucket.needed()) break;
      const w = queue.shift();
      if (!w) break;
      bucket.tokens -= 1;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
    if (bucket.urgent.length > 0 || bucket.queue.length > 0 || bucket.background.length > 0) this.schedule(bucket);
  }
}

/**
 * The process-wide limiter used by default, so every client of the same seller and region shares
 * Amazon's buckets (several channels can act for one seller).
 */
export const sharedRateLimiter = new RateLimiter();
