/** Amazon's usage plans per operation (from the models' "Usage Plan" tables) and per-seller buckets. */
export interface SandboxRateLimit {
  rate: number;
  burst: number;
}

export const AMAZON_USAGE_PLANS: Readonly<Record<string, SandboxRateLimit>> = {
  getListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  searchListingsItems: { rate: 5, burst: 5 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  getInventorySummaries: { rate: 2, burst: 2 },
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
};

export type RateLimitSetting = 'amazon' | 'off' | Partial<Record<string, SandboxRateLimit>>;

interface Bucket {
  tokens: number;
  last: number;
}

/** One token bucket per (seller, operation); a refused request takes no token, as at Amazon. */
export class SandboxRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private plans: Record<string, SandboxRateLimit> | undefined;

  constructor(setting: RateLimitSetting = 'amazon') {
    this.configure(setting);
  }

  configure(setting: RateLimitSetting): void {
    this.buckets.clear();
    if (setting === 'off') this.plans = undefined;
    else if (setting === 'amazon') this.plans = { ...AMAZON_USAGE_PLANS };
    else this.plans = { ...AMAZON_USAGE_PLANS, ...(setting as Record<string, SandboxRateLimit>) };
  }

  plan(operation: string): SandboxRateLimit | undefined {
    return this.plans?.[operation];
  }

  /** True when the call may proceed (a token was taken). */
  take(sellerId: string, operation: string, now = performance.now()): boolean {
    const plan = this.plan(operation);
    if (!plan) return true;
    const key = `${sellerId}\u0000${operation}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: plan.burst, last: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(plan.burst, b.tokens + ((now - b.last) / 1000) * plan.rate);
    b.last = now;
    // A twentieth of a token of tolerance absorbs network jitter between a paced client and us.
    if (b.tokens >= 0.95) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  reset(): void {
    this.buckets.clear();
  }
}
