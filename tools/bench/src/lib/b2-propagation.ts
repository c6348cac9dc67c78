import { NA_MARKETPLACE } from './dataset';
import type { AmazonWorld } from './amazon-world';
import { percentile, sleep, until } from './host';

export interface B2Params {
  movements: number;
  batchSize: number;
  /** Products with a listing on the channel (the movements spread over them). */
  connected: number;
  /** Single movements sent one by one (alternately down and up), paced under Amazon's patch rate, to time the patch path. */
  trickle: number;
  trickleEveryMs: number;
  /** Rounds of one batch of `burstSize` decreases and `burstSize` increases committed together. */
  burstRounds: number;
  burstSize: number;
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
  /**
   * Latency of single changes below the feed threshold (patchListingsItem), by lane: decreases (sent
   * at once) and increases (after the window); steady (2 changes a second) and in bursts.
   */
  lanes: Record<'steady' | 'burst', Record<'decrease' | 'increase', Latencies & { unresolved: number }>>;
  /** Listings whose final sandbox quantity differs from on hand (must be 0). */
  wrongFinal: number;
  throttled: number;
}

const now = () => performance.timeOrigin + performance.now();

/** A warehouse where the product has a free unit to take off (a sale booked as a correction), if any. */
function freeUnitOf(world: AmazonWorld, p: number): string | undefined {
  return [...world.free(p)].find(([, n]) => n >= 1)?.[0];
}

/** The products B2's lane phase changes (after the bulk and baseline ones; each with a free unit). */
export function b2LaneProducts(world: AmazonWorld, params: B2Params): number[] {
  const n = params.trickle + params.burstRounds * params.burstSize * 2;
  const out = world.stockProducts().slice(params.connected * 2).filter((p) => freeUnitOf(world, p) !== undefined).slice(0, n);
  if (out.length < n) throw new Error('B2: not enough stock products with free units');
  return out;
}

/** How many of the stock products (in order) B2 uses: the others start after them. */
export function b2StockUsed(world: AmazonWorld, params: B2Params): number {
  const lanes = b2LaneProducts(world, params);
  return world.stockProducts().indexOf(lanes[lanes.length - 1]) + 1;
}

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
  const freeUnit = (p: number) => freeUnitOf(world, p);

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

  // Below the feed threshold, by lane: single changes on products not touched before, each product
  // changed once, half of them lowering on hand (a correction of -1: a sale booked) and half raising it.
  const laneProducts = b2LaneProducts(world, params);
  await world.connect(channel, laneProducts);
  for (const p of laneProducts) expectedNow.set(p, world.onHand(p));
  const changes: { sku: string; quantity: number; at: number; decrease: boolean; phase: 'steady' | 'burst' }[] = [];
  const movement = (p: number, decrease: boolean) => ({ productId: world.d.products[p].id, warehouseId: decrease ? (freeUnit(p) ?? warehouses[0]) : warehouses[0], type: decrease ? 'correction' : 'goods-in', quantity: decrease ? -1 : 1 });
  const track = (p: number, decrease: boolean, at: number, phase: 'steady' | 'burst') => {
    const q = expectedOf(p) + (decrease ? -1 : 1);
    expectedNow.set(p, q);
    changes.push({ sku: sku(p), quantity: q, at, decrease, phase });
  };
  // Steady: one change every trickleEveryMs (2 a second), alternately down and up.
  let next = 0;
  for (let i = 0; i < params.trickle; i++) {
    const p = laneProducts[next++];
    const decrease = i % 2 === 0;
    // Timed from the request leaving (the commit is inside it): a leading send can reach the sandbox
    // before the response reaches us.
    const at = now();
    await world.host.call('POST', '/api/v1/stock-movements/batch', { movements: [movement(p, decrease)] }, 201);
    track(p, decrease, at, 'steady');
    await sleep(params.trickleEveryMs);
  }
  // Bursts: burstSize decreases and burstSize increases committed together (one batch), rounds apart.
  await sleep(windowMs + 1000);
  for (let r = 0; r < params.burstRounds; r++) {
    const group = laneProducts.slice(next, (next += params.burstSize * 2));
    const at = now();
    await world.host.call('POST', '/api/v1/stock-movements/batch', { movements: group.map((p, i) => movement(p, i % 2 === 0)) }, 201);
    group.forEach((p, i) => track(p, i % 2 === 0, at, 'burst'));
    await sleep(windowMs + 2000);
  }
  await until(async () => {
    const shown = await world.shownAll(seller, channel.marketplaceId);
    return changes.every((e) => shown.get(e.sku) === e.quantity);
  }, 60_000, 100);
  const patches = await world.sb.calls({ operation: 'patchListingsItem', sellerId: seller.sellerId, afterSeq: callsBefore });
  const latencies = (phase: 'steady' | 'burst', decrease: boolean) => {
    const values: number[] = [];
    let unresolved = 0;
    for (const e of changes.filter((c) => c.phase === phase && c.decrease === decrease)) {
      // Each product changes once here: its first accepted patch carrying the new quantity.
      const hit = patches.find((c) => c.sku === e.sku && c.status < 300 && c.quantity === e.quantity);
      if (hit) values.push(Math.max(0, hit.timeMs - e.at));
      else unresolved++;
    }
    return { ...lat(values), unresolved };
  };
  const lanes = {
    steady: { decrease: latencies('steady', true), increase: latencies('steady', false) },
    burst: { decrease: latencies('burst', true), increase: latencies('burst', false) },
  };

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
    lanes,
    wrongFinal,
    throttled: calls.filter((c) => c.status === 429).length,
  };
}
