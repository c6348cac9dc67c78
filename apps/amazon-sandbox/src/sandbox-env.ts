// The app is the sandbox lib's runner (see main.ts).
import type { AmazonSandboxOptions, RateLimitSetting } from '@invsync/amazon-sandbox';

/** Sandbox options from the environment (PORT, HOST, SANDBOX_SEED, SANDBOX_* tunables). */
export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv): AmazonSandboxOptions {
  const num = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
    return n;
  };
  const seed = env['SANDBOX_SEED'];
  if (seed && seed !== 'demo' && seed !== 'none') throw new Error(`SANDBOX_SEED must be "demo" or "none", got "${seed}"`);
  const rate = env['SANDBOX_RATE_LIMITS'];
  if (rate && rate !== 'amazon' && rate !== 'off') throw new Error(`SANDBOX_RATE_LIMITS must be "amazon" or "off", got "${rate}"`);
  const options: AmazonSandboxOptions = {
    port: num('PORT') ?? 4010,
    host: env['HOST'] || '127.0.0.1',
    ...(seed === 'demo' ? { seed: 'demo' as const } : {}),
    ...(rate ? { rateLimits: rate as RateLimitSetting } : {}),
  };
  const tunables: Array<[keyof AmazonSandboxOptions, string]> = [
    ['feedProcessingDelayMs', 'SANDBOX_FEED_DELAY_MS'],
    ['reportProcessingDelayMs', 'SANDBOX_REPORT_DELAY_MS'],
    ['accessTokenLifetimeSec', 'SANDBOX_TOKEN_LIFETIME_SEC'],
    ['inventoryPageSize', 'SANDBOX_INVENTORY_PAGE_SIZE'],
    ['inventoryNextTokenTtlMs', 'SANDBOX_NEXT_TOKEN_TTL_MS'],
  ];
  for (const [key, name] of tunables) {
    const v = num(name);
    if (v !== undefined) (options as Record<string, unknown>)[key] = v;
  }
  return options;
}
