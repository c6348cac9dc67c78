import { SpApiError, UnauthorizedError, NotFoundError, InvalidInputError } from '../src';
import { captureLogger, clientFor, sandbox, seedSeller, EU_UK, type AmazonSandbox } from './support/sandbox';

describe('SpApiClient against the sandbox: LWA tokens and errors', () => {
  let sb: AmazonSandbox;
  beforeEach(async () => {
    // 4 s: the client refreshes at half the lifetime (2 s), which the two first reads must not reach on a loaded machine.
    sb = await sandbox({ accessTokenLifetimeSec: 4 });
    seedSeller(sb, 'AUTH1');
    sb.admin.seedListings({ sellerId: 'AUTH1', sku: 'T-1', marketplaceId: EU_UK, quantity: 1 });
  });
  afterEach(() => sb.close());

  it('caches the access token and refreshes it before it expires', async () => {
    const c = clientFor(sb, 'AUTH1');
    await c.listingsItems.getListingsItem('T-1', [EU_UK]);
    await c.listingsItems.getListingsItem('T-1', [EU_UK]);
    expect(sb.admin.calls({ operation: 'lwaToken' })).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 2100));
    await c.listingsItems.getListingsItem('T-1', [EU_UK]);
    const tokenCalls = sb.admin.calls({ operation: 'lwaToken' });
    expect(tokenCalls).toHaveLength(2);
    expect(sb.admin.calls({ operation: 'getListingsItem' }).map((x) => x.status)).toEqual([200, 200, 200]);
  });

  it('gets a fresh token and retries once when SP-API refuses the token', async () => {
    const c = clientFor(sb, 'AUTH1');
    sb.config.accessTokenLifetimeSec = 3600;
    await c.listingsItems.getListingsItem('T-1', [EU_UK]);
    sb.admin.expireAccessTokens();
    await c.listingsItems.getListingsItem('T-1', [EU_UK]);
    expect(sb.admin.calls({ operation: 'getListingsItem' }).map((x) => x.status)).toEqual([200, 403, 200]);
  });

  it('reports refused credentials as UnauthorizedError and never leaks a secret', async () => {
    const logger = captureLogger();
    const secrets = { refreshToken: 'rt-unknown-very-secret-1', clientId: 'client-AUTH1', clientSecret: 'cs-AUTH1-secret-client' };
    const c = clientFor(sb, 'AUTH1', { credentials: secrets, logger });
    const err = await c.listingsItems.getListingsItem('T-1', [EU_UK]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as SpApiError).status).toBe(400);
    expect((err as SpApiError).code).toBe('invalid_grant');
    const everything = [String(err), JSON.stringify(err), (err as Error).stack ?? '', ...logger.lines].join('\n');
    for (const s of [secrets.refreshToken, secrets.clientSecret]) expect(everything).not.toContain(s);
  });

  it('maps 404 and 400 to typed errors with Amazon messages; no token in logs', async () => {
    const logger = captureLogger();
    const c = clientFor(sb, 'AUTH1', { logger });
    const nf = await c.listingsItems.getListingsItem('NOPE', [EU_UK]).catch((e: unknown) => e);
    expect(nf).toBeInstanceOf(NotFoundError);
    expect((nf as SpApiError).message).toMatch(/NOPE/);
    const bad = await c.listingsItems.getListingsItem('T-1', ['XXBADMARKET']).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidInputError);
    expect((bad as SpApiError).amazonErrors[0]).toMatchObject({ code: 'InvalidInput' });
    const tokens = [...sb.state.accessTokens.keys()];
    const everything = [JSON.stringify(nf), JSON.stringify(bad), ...logger.lines].join('\n');
    for (const t of tokens) expect(everything).not.toContain(t);
  });
});
