import express, { type Router } from 'express';
import type { SandboxContext } from './sandbox-context';

/** Login with Amazon: `POST /auth/o2/token` (form-encoded or JSON), refresh_token grant only. */
export function lwaRoutes(ctx: SandboxContext): Router {
  const router = express.Router();
  router.post('/auth/o2/token', express.urlencoded({ extended: false }), express.json(), (req, res) => {
    const timeMs = performance.timeOrigin + performance.now();
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const seller = body.refresh_token ? ctx.state.sellerByRefreshToken(body.refresh_token) : undefined;
    res.on('finish', () =>
      ctx.state.log({ time: new Date(timeMs).toISOString(), timeMs, method: 'POST', path: '/auth/o2/token', operation: 'lwaToken', sellerId: seller?.sellerId, status: res.statusCode }),
    );
    res.setHeader('cache-control', 'no-store');
    const fail = (status: number, error: string, description: string) => res.status(status).json({ error_description: description, error });
    if (body.grant_type !== 'refresh_token') {
      if (!body.grant_type) return fail(400, 'invalid_request', 'The request is missing a required parameter : grant_type');
      return fail(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');
    }
    if (!body.refresh_token) return fail(400, 'invalid_request', 'The request is missing a required parameter : refresh_token');
    if (!body.client_id || !body.client_secret) return fail(401, 'invalid_client', 'Client authentication failed');
    if (!seller) return fail(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
    if (seller.clientId !== body.client_id || seller.clientSecret !== body.client_secret) {
      return fail(401, 'invalid_client', 'Client authentication failed');
    }
    const accessToken = ctx.state.newToken('Atza|');
    const lifetime = ctx.config.accessTokenLifetimeSec;
    ctx.state.accessTokens.set(accessToken, { sellerId: seller.sellerId, expiresAt: Date.now() + lifetime * 1000 });
    return res.status(200).json({ access_token: accessToken, refresh_token: body.refresh_token, token_type: 'bearer', expires_in: lifetime });
  });
  return router;
}
