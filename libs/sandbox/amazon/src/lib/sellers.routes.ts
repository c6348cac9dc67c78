import express, { type Router } from 'express';
import { SANDBOX_MARKETPLACES } from './marketplaces';
import { operation, type SandboxContext } from './sandbox-context';

/** Sellers API v1 getMarketplaceParticipations. */
export function sellersRoutes(ctx: SandboxContext): Router {
  const router = express.Router();
  router.get(
    '/sellers/v1/marketplaceParticipations',
    operation(ctx, 'getMarketplaceParticipations', (_req, res, { seller }) => {
      const ids = seller.marketplaceIds ?? SANDBOX_MARKETPLACES.filter((m) => seller.regions.includes(m.region)).map((m) => m.id);
      const payload = SANDBOX_MARKETPLACES.filter((m) => ids.includes(m.id)).map((m) => ({
        marketplace: {
          id: m.id,
          countryCode: m.countryCode,
          name: m.name,
          defaultCurrencyCode: m.defaultCurrencyCode,
          defaultLanguageCode: m.defaultLanguageCode,
          domainName: m.domainName,
        },
        storeName: seller.storeName,
        participation: { isParticipating: true, hasSuspendedListings: false },
      }));
      res.status(200).json({ payload });
    }),
  );
  return router;
}
