import { sandboxOptionsFromEnv } from './sandbox-env';

describe('sandboxOptionsFromEnv', () => {
  it('defaults to port 4010 on 127.0.0.1 without a seed', () => {
    expect(sandboxOptionsFromEnv({})).toEqual({ port: 4010, host: '127.0.0.1' });
  });
  it('reads the seed, rate limits and tunables', () => {
    expect(
      sandboxOptionsFromEnv({ PORT: '0', SANDBOX_SEED: 'demo', SANDBOX_RATE_LIMITS: 'off', SANDBOX_FEED_DELAY_MS: '50', SANDBOX_TOKEN_LIFETIME_SEC: '5' }),
    ).toEqual({ port: 0, host: '127.0.0.1', seed: 'demo', rateLimits: 'off', feedProcessingDelayMs: 50, accessTokenLifetimeSec: 5 });
  });
  it('refuses bad values', () => {
    expect(() => sandboxOptionsFromEnv({ PORT: 'x' })).toThrow(/PORT/);
    expect(() => sandboxOptionsFromEnv({ SANDBOX_SEED: 'big' })).toThrow(/SANDBOX_SEED/);
  });
});
