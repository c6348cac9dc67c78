import express, { type Request, type Router } from 'express';
import { gzipSync } from 'node:zlib';
import { fatalReport, processListingsFeed, type ProcessingReport } from './feed-processor';
import { checkMarketplaces } from './listings.routes';
import { invalidInput, operation, type SandboxContext } from './sandbox-context';
import type { DocumentRecord, FeedRecord } from './sandbox-state';

const BASE = '/feeds/2021-06-30';

export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

/** Presigned-URL stand-in: documents are uploaded to and downloaded from the sandbox itself. */
export function documentUrl(req: Request, id: string): string {
  return `${baseUrl(req)}/documents/${encodeURIComponent(id)}`;
}

export function storeResultDocument(ctx: SandboxContext, doc: Omit<DocumentRecord, 'id' | 'content' | 'compressionAlgorithm'>, content: string): string {
  const id = ctx.state.newDocumentId();
  const raw = Buffer.from(content, 'utf8');
  ctx.state.documents.set(id, {
    id,
    ...doc,
    content: ctx.config.gzipDocuments ? gzipSync(raw) : raw,
    ...(ctx.config.gzipDocuments ? { compressionAlgorithm: 'GZIP' as const } : {}),
  });
  return id;
}

export function feedsRoutes(ctx: SandboxContext): Router {
  const router = express.Router();
  const { state } = ctx;

  // The upload/download side of document URLs (no access token: the URL is the permission).
  router.put('/documents/:id', express.raw({ type: () => true, limit: '50mb' }), (req, res) => {
    const doc = state.documents.get(req.params['id'] as string);
    if (!doc || doc.kind !== 'feed-input') return void res.status(404).type('text/plain').send('NoSuchKey');
    const sent = (req.header('content-type') ?? '').toLowerCase().replace(/\s+/g, '');
    if (sent !== doc.contentType.toLowerCase().replace(/\s+/g, '')) {
      return void res.status(403).type('text/plain').send('SignatureDoesNotMatch: Content-Type differs from the one given to createFeedDocument');
    }
    doc.content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.status(200).end();
  });
  router.get('/documents/:id', (req, res) => {
    const doc = state.documents.get(req.params['id'] as string);
    if (!doc || !doc.content) return void res.status(404).type('text/plain').send('NoSuchKey');
    res.status(200).type(doc.compressionAlgorithm ? 'application/octet-stream' : doc.contentType).send(doc.content);
  });

  router.post(
    `${BASE}/documents`,
    express.json(),
    operation(ctx, 'createFeedDocument', (req, res, { seller }) => {
      const contentType = (req.body as { contentType?: unknown } | undefined)?.contentType;
      if (typeof contentType !== 'string' || contentType === '') return invalidInput(res, 'Invalid input', 'contentType is required.');
      const id = state.newDocumentId();
      state.documents.set(id, { id, kind: 'feed-input', sellerId: seller.sellerId, contentType });
      res.status(201).json({ feedDocumentId: id, url: documentUrl(req, id) });
    }),
  );

  router.post(
    `${BASE}/feeds`,
    express.json(),
    operation(ctx, 'createFeed', (req, res, { seller }) => {
      const body = (req.body ?? {}) as { feedType?: unknown; marketplaceIds?: unknown; inputFeedDocumentId?: unknown };
      if (typeof body.feedType !== 'string' || !body.feedType) return invalidInput(res, 'Invalid input', 'feedType is required.');
      if (!Array.isArray(body.marketplaceIds) || body.marketplaceIds.length === 0 || body.marketplaceIds.length > 25) {
        return invalidInput(res, 'Invalid input', 'marketplaceIds must have 1 to 25 entries.');
      }
      const mps = checkMarketplaces(res, seller, body.marketplaceIds.map(String));
      if (!mps) return;
      const input = typeof body.inputFeedDocumentId === 'string' ? state.documents.get(body.inputFeedDocumentId) : undefined;
      if (!input || input.kind !== 'feed-input' || input.sellerId !== seller.sellerId || !input.content) {
        return invalidInput(res, 'Invalid input', 'inputFeedDocumentId does not name an uploaded feed document.');
      }
      const feed: FeedRecord = {
        feedId: state.nextFeedId(),
        sellerId: seller.sellerId,
        feedType: body.feedType,
        marketplaceIds: mps,
        inputFeedDocumentId: input.id,
        createdTime: new Date().toISOString(),
        processingStatus: 'IN_QUEUE',
      };
      if (state.fatalFeeds > 0) {
        state.fatalFeeds--;
        feed.forceFatal = true;
      }
      state.feeds.set(feed.feedId, feed);
      scheduleFeed(ctx, feed);
      res.status(202).json({ feedId: feed.feedId });
    }),
  );

  router.get(
    `${BASE}/feeds/:feedId`,
    operation(ctx, 'getFeed', (req, res, { seller }) => {
      const feed = state.feeds.get(req.params['feedId'] as string);
      if (!feed || feed.sellerId !== seller.sellerId) return invalidInput(res, 'Invalid input', 'Unknown feedId.');
      res.status(200).json(feedView(feed));
    }),
  );

  router.get(
    `${BASE}/documents/:feedDocumentId`,
    operation(ctx, 'getFeedDocument', (req, res, { seller }) => {
      const doc = state.documents.get(req.params['feedDocumentId'] as string);
      if (!doc || doc.sellerId !== seller.sellerId || doc.kind === 'report') return invalidInput(res, 'Invalid input', 'Unknown feedDocumentId.');
      res.status(200).json({
        feedDocumentId: doc.id,
        url: documentUrl(req, doc.id),
        ...(doc.compressionAlgorithm ? { compressionAlgorithm: doc.compressionAlgorithm } : {}),
      });
    }),
  );
  return router;
}

export function feedView(feed: FeedRecord): Record<string, unknown> {
  return {
    feedId: feed.feedId,
    feedType: feed.feedType,
    marketplaceIds: feed.marketplaceIds,
    createdTime: feed.createdTime,
    processingStatus: feed.processingStatus,
    ...(feed.processingStartTime ? { processingStartTime: feed.processingStartTime } : {}),
    ...(feed.processingEndTime ? { processingEndTime: feed.processingEndTime } : {}),
    ...(feed.resultFeedDocumentId ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
  };
}

function scheduleFeed(ctx: SandboxContext, feed: FeedRecord): void {
  const delay = ctx.config.feedProcessingDelayMs;
  ctx.later(Math.floor(delay / 2), () => {
    if (feed.processingStatus !== 'IN_QUEUE') return;
    feed.processingStatus = 'IN_PROGRESS';
    feed.processingStartTime = new Date().toISOString();
  });
  ctx.later(delay, () => {
    feed.processingStartTime ??= new Date().toISOString();
    let outcome: { status: 'DONE' | 'FATAL'; report: ProcessingReport };
    const input = ctx.state.documents.get(feed.inputFeedDocumentId);
    if (feed.forceFatal) outcome = { status: 'FATAL', report: fatalReport(feed, 'The feed could not be processed (injected FATAL).') };
    else if (feed.feedType !== 'JSON_LISTINGS_FEED') {
      outcome = { status: 'FATAL', report: fatalReport(feed, `The sandbox does not process feeds of type ${feed.feedType}.`) };
    } else outcome = processListingsFeed(ctx.state, feed, input?.content?.toString('utf8') ?? '');
    feed.resultFeedDocumentId = storeResultDocument(ctx, { kind: 'feed-result', sellerId: feed.sellerId, contentType: 'application/json' }, JSON.stringify(outcome.report));
    feed.processingStatus = outcome.status;
    feed.processingEndTime = new Date().toISOString();
  });
}
