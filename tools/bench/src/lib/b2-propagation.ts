import { NA_MARKETPLACE } from './dataset';
import type { AmazonWorld } from './amazon-world';
import { percentile, sleep, until } from './host';

export interface B2Params {
  movements: number;
  batchSize: number;
  /** Products with a listing on the channel (the movements spread over them). */
  connected: number;
  /** Single movements sent one by one, paced under Amazon's patch rate, to time the patch path. */
  trickle: number;
  trickleEveryMs: number;
}

export interface Latencies {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface B2Result {
  params: B2Params;
  windowMs: number;
  feedThreshold: number;
  connected: { seconds: number; perSecond: number };
  baseline: { seconds: number; perSecond: number };
  /** connected / baseline rate */
  ratio: number;
  /** Latency of the bulk batches' changes, which go to Amazon as JSON_LISTINGS_FEED (at or above the threshold). */
  feedPath: Latencies & { feeds: number; unresolved: number };
  /** Latency of changes below the feed threshold (patchListingsItem). */
  patchPath: Latencies & { unresolved: number };
  /** Listings whose final sandbox quantity differs from on hand (must be 0). */
  wrongFinal: number;
  throttled: number;
}

const now = () => performance.timeOrigin + performance.now();

function lat(values: number[]): Latencies {
  return { samples: values.length, p50Ms: percentile(values, 50), p99Ms: percentile(values, 99), maxMs: values.length ? Math.max(...values) : NaN };
}

/**
 * B2: stock movements through POST /stock-movements/batch while the host runs with the amazon-mfn
 * plugin against the sandbox. Throughput with connected listings, against the same movements on
 * products without any listing (baseline); latency from each batch's commit (its response) to the
 * sandbox holding a quantity that includes it (goods-in of 1 unit: quantities only grow, so "at least
 * the expected" means the change arrived).
 */
export async function runB2(world: AmazonWorld, params: B2Params, windowMs: number, feedThreshold: number): Promise<B2Result> {
  const seller = await world.seller(['NA']);
  const channel = await world.channel(seller, NA_MARKETPLACE.id, 'NA');
  const stock = world.stockProducts();
  if (stock.length < params.connected * 2 + params.trickle) throw new Error('B2: not enough stock products in the data set');
  const connected = stock.slice(0, params.connected);
  const unconnected = stock.slice(params.connected, params.connected * 2);
  await world.connect(channel, connected);
  const expectedNow = new Map(connected.map((p) => [p, world.onHand(p)]));
  const expectedOf = (p: number) => {
    const q = expectedNow.get(p);
    if (q === undefined) throw new Error(`product ${p} is not connected in this benchmark`);
    return q;
  };
  const sku = (p: number) => world.d.products[p].sku;
  const warehouses = world.d.warehouses.map((w) => w.id);
  const callsBefore = await world.sb.lastSeq();

  async function send(products: number[], track: boolean): Promise<{ seconds: number }> {
    const t0 = now();
    for (let start = 0, i = 0; start < params.movements; start += params.batchSize) {
      const n = Math.min(params.batchSize, params.movements - start);
      const movements = [];
      const touched = new Map<number, number>();
      for (let k = 0; k < n; k++, i++) {
        const p = products[i % products.length];
        movements.push({ productId: world.d.products[p].id, warehouseId: warehouses[i % warehouses.length], type: 'goods-in', quantity: 1 });
        touched.set(p, (touched.get(p) ?? 0) + 1);
      }
      await world.host.call('POST', '/api/v1/stock-movements/batch', { movements }, 201);
      const committed = now();
      if (track) {
        for (const [p, k] of touched) {
          const q = expectedOf(p) + k;
          expectedNow.set(p, q);
          pendingFeed.push({ sku: sku(p), quantity: q, at: committed });
        }
      }
    }
    return { seconds: (now() - t0) / 1000 };
  }

  // The feed path is timed by polling the sandbox's state (feeds apply many SKUs at once, after processing).
  const pendingFeed: { sku: string; quantity: number; at: number; doneAt?: number }[] = [];
  let polling = true;
  const poller = (async () => {
    let from = 0;
    while (polling) {
      if (from < pendingFeed.length) {
        // Stamped as the request leaves: the sandbox answers with its state of that moment, and the
        // transfer and parsing after it are not propagation.
        const t = now();
        const asked = pendingFeed.length;
        const shown = await world.shownAll(seller, channel.marketplaceId);
        for (let i = from; i < asked; i++) {
          const e = pendingFeed[i];
          if (e.doneAt === undefined && (shown.get(e.sku) ?? -1) >= e.quantity) e.doneAt = t;
        }
      }
      while (from < pendingFeed.length && pendingFeed[from].doneAt !== undefined) from++;
      await sleep(50);
    }
  })();

  const withListings = await send(connected, true);
  const settled = await until(async () => pendingFeed.every((e) => e.doneAt !== undefined) && (await world.pending()) === 0, 300_000, 200);
  polling = false;
  await poller;
  const baseline = await send(unconnected, false);
  await until(async () => (await world.pending()) === 0, 60_000, 100);

  // Patch path: one movement at a time on products not touched before, paced under 5 patches/s.
  const trickleProducts = stock.slice(params.connected * 2, params.connected * 2 + params.trickle);
  await world.connect(channel, trickleProducts);
  for (const p of trickleProducts) expectedNow.set(p, world.onHand(p));
  const trickle: { sku: string; quantity: number; at: number }[] = [];
  for (const p of trickleProducts) {
    await world.host.call('POST', '/api/v1/stock-movements/batch', { movements: [{ productId: world.d.products[p].id, warehouseId: warehouses[0], type: 'goods-in', quantity: 1 }] }, 201);
    const q = expectedOf(p) + 1;
    trickle.push({ sku: sku(p), quantity: q, at: now() });
    expectedNow.set(p, q);
    await sleep(params.trickleEveryMs);
  }
  await until(async () => {
    const shown = await world.shownAll(seller, channel.marketplaceId);
    return trickle.every((e) => (shown.get(e.sku) ?? -1) >= e.quantity);
  }, 60_000, 100);
  const patchLatencies: number[] = [];
  let patchUnresolved = 0;
  const patches = await world.sb.calls({ operation: 'patchListingsItem', sellerId: seller.sellerId, afterSeq: callsBefore });
  for (const e of trickle) {
    const hit = patches.find((c) => c.sku === e.sku && c.status < 300 && (c.quantity ?? -1) >= e.quantity);
    if (hit) patchLatencies.push(hit.timeMs - e.at);
    else patchUnresolved++;
  }

  let wrongFinal = 0;
  const shownFinal = await world.shownAll(seller, channel.marketplaceId);
  for (const [p, q] of expectedNow) if (shownFinal.get(sku(p)) !== q) wrongFinal++;
  const calls = await world.sb.calls({ sellerId: seller.sellerId, afterSeq: callsBefore });
  const feedLat = pendingFeed.flatMap((e) => (e.doneAt === undefined ? [] : [e.doneAt - e.at]));
  const rate = (s: { seconds: number }) => ({ seconds: s.seconds, perSecond: params.movements / s.seconds });
  return {
    params,
    windowMs,
    feedThreshold,
    connected: rate(withListings),
    baseline: rate(baseline),
    ratio: baseline.seconds / withListings.seconds,
    feedPath: { ...lat(feedLat), feeds: calls.filter((c) => c.operation === 'createFeed').length, unresolved: settled ? 0 : pendingFeed.filter((e) => e.doneAt === undefined).length },
    patchPath: { ...lat(patchLatencies), unresolved: patchUnresolved },
    wrongFinal,
    throttled: calls.filter((c) => c.status === 429).length,
  };
}
