import { EU_MARKETPLACES, NA_MARKETPLACE } from './dataset';
import type { AmazonWorld, Seller, WorldChannel } from './amazon-world';
import { sleep, until } from './host';

export interface B3Scenario {
  name: string;
  /** The fewest quantity updates (patchListingsItem + createFeed) that can do it. */
  minimum: number;
  /** One call per listing per change. */
  naive: number;
  /** Quantity updates the engine made. */
  updates: number;
  /** updates / minimum (1 when both are 0). */
  ratio: number;
  /** The target ratio: 1 (the fewest possible), or more where stated (a burst of decreases: the leading send and the window's). */
  targetRatio: number;
  /** Every SP-API call of the scenario by operation (reads, reports, feed documents, confirmations). */
  calls: Record<string, number>;
  totalCalls: number;
  throttled: number;
  settled: boolean;
  note: string;
}

const UPDATE_OPS = new Set(['patchListingsItem', 'createFeed']);

export interface B3Params {
  /** Listings changed at once in the bulk scenario (30,000: two feeds of at most 25,000). */
  bulk: number;
  /** Changes of one product in one window. */
  burst: number;
  /** Products listed on all ten channels in the "nothing changed" scenario. */
  steady: number;
}

/**
 * B3: SP-API calls per scripted scenario against the fewest possible, counted from the sandbox's call
 * log. Each scenario has its own seller (Amazon's rate limits are per seller).
 */
export async function runB3(world: AmazonWorld, params: B3Params, windowMs: number, firstProduct: number): Promise<B3Scenario[]> {
  const stock = world.stockProducts().slice(firstProduct);
  let next = 0;
  const take = (n: number) => {
    if (next + n > stock.length) throw new Error('B3: not enough stock products in the data set');
    return stock.slice(next, (next += n));
  };
  const sku = (p: number) => world.d.products[p].sku;
  const out: B3Scenario[] = [];

  async function measure(name: string, seller: Seller, minimum: number, naive: number, note: string, act: () => Promise<void>, done: () => Promise<boolean>, targetRatio = 1): Promise<void> {
    const before = await world.sb.lastSeq();
    await act();
    // The host's own count first: it is cheap, while `done` may fetch thousands of quantities from the sandbox.
    const settled = await until(async () => (await world.pending()) === 0 && (await done()), 240_000, 100);
    // Anything late (a second send, a retry) would show within a few windows.
    await sleep(3 * windowMs + 500);
    const calls = (await world.sb.calls({ sellerId: seller.sellerId, afterSeq: before })).filter((c) => c.operation !== 'lwaToken');
    const byOp: Record<string, number> = {};
    for (const c of calls) byOp[c.operation] = (byOp[c.operation] ?? 0) + 1;
    const updates = calls.filter((c) => UPDATE_OPS.has(c.operation)).length;
    out.push({ name, minimum, naive, updates, ratio: minimum === 0 ? (updates === 0 ? 1 : Infinity) : updates / minimum, targetRatio, calls: byOp, totalCalls: calls.length, throttled: calls.filter((c) => c.status === 429).length, settled, note });
  }

  const move = (p: number, quantity = 1) => ({ productId: world.d.products[p].id, warehouseId: world.d.warehouses[0].id, type: 'goods-in', quantity });

  // 1. Nothing changed: dispatcher running, then the nightly reconciliation (with read-back) of every channel.
  {
    const seller = await world.seller(['EU', 'NA']);
    const channels: WorldChannel[] = [await world.channel(seller, NA_MARKETPLACE.id, 'NA')];
    for (const m of EU_MARKETPLACES) channels.push(await world.channel(seller, m.id, 'EU'));
    const products = take(params.steady);
    for (const c of channels) await world.connect(c, products);
    await measure(
      'nothing changed (dispatcher idle for 3 windows, then the nightly run of all 10 channels)',
      seller,
      0,
      products.length * channels.length,
      'naive: the nightly run re-sending every listing; reads: one listings report per channel (the read-back)',
      async () => {
        await sleep(3 * windowMs);
        for (const c of channels) await world.host.runToEnd(`/api/v1/channels/${c.id}/reconcile`);
      },
      async () => true,
    );

    // 2. One SKU listed in the nine EU marketplaces changes once: one update for the seller's EU quantity.
    const [p] = take(1);
    for (const c of channels.slice(1)) await world.connect(c, [p]);
    const target = world.onHand(p) + 1;
    await measure(
      'one SKU in 9 EU marketplaces changed',
      seller,
      1,
      9,
      'naive: one patch per marketplace; reads: the plugin reads the listing before patching (an FBA listing must never get a DEFAULT quantity)',
      () => world.host.call('POST', '/api/v1/stock-movements/batch', { movements: [move(p)] }, 201).then(() => undefined),
      async () => (await world.shown(seller, EU_MARKETPLACES[0].id, sku(p))) === target,
    );
  }

  // 3. A bulk change: Amazon shows another quantity for every listing of a channel; the nightly run
  // finds them all and the dispatcher sends them in as few feeds as Amazon allows (25,000 messages each).
  {
    const seller = await world.seller(['NA']);
    const c = await world.channel(seller, NA_MARKETPLACE.id, 'NA');
    const products = take(params.bulk);
    await world.connect(c, products, (p) => world.onHand(p) + 1);
    await measure(
      `${params.bulk.toLocaleString('en-US')} changed listings (one channel; found by the nightly run)`,
      seller,
      Math.ceil(params.bulk / 25_000),
      params.bulk,
      'minimum: feeds of at most 25,000 messages; reads: the read-back report, a listings report before each feed (FBA SKUs are never sent), feed status and result documents',
      () => world.host.runToEnd(`/api/v1/channels/${c.id}/reconcile`).then(() => undefined),
      async () => {
        const shown = await world.shownAll(seller, c.marketplaceId);
        return products.every((p) => shown.get(sku(p)) === world.onHand(p));
      },
    );
  }

  // 4. One product changed `burst` times inside one coalescing window: one update.
  {
    const seller = await world.seller(['NA']);
    const c = await world.channel(seller, NA_MARKETPLACE.id, 'NA');
    const [p] = take(1);
    await world.connect(c, [p]);
    const requests = 10;
    let span = 0;
    await measure(
      `the same product changed ${params.burst.toLocaleString('en-US')} times in one window`,
      seller,
      1,
      params.burst,
      'the changes arrive as 10 concurrent batch requests',
      async () => {
        // Sent at once, not one after the other: a background pause of the host (a confirmation round
        // of the previous scenario's 30,000 listings) must not spread the burst over two windows.
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: requests }, (_, r) => {
            const n = Math.floor(params.burst / requests) + (r < params.burst % requests ? 1 : 0);
            return world.host.call('POST', '/api/v1/stock-movements/batch', { movements: Array.from({ length: n }, () => move(p)) }, 201);
          }),
        );
        span = performance.now() - t0;
      },
      async () => (await world.shown(seller, c.marketplaceId, sku(p))) === world.onHand(p) + params.burst,
    );
    out[out.length - 1].note += ` within ${Math.round(span)} ms (window ${windowMs} ms)`;
  }

  // 5. One product lowered `burst` times inside one window (sales): the first is sent at once (priority
  // lanes), the rest coalesce into the window's send: at most 2 updates.
  {
    const seller = await world.seller(['NA']);
    const c = await world.channel(seller, NA_MARKETPLACE.id, 'NA');
    const [p] = take(1);
    await world.connect(c, [p]);
    // Stock to sell first, in the warehouse the sales come from.
    await world.host.call('POST', '/api/v1/stock-movements/batch', { movements: [move(p, params.burst)] }, 201);
    await until(async () => (await world.shown(seller, c.marketplaceId, sku(p))) === world.onHand(p) + params.burst, 30_000, 50);
    await sleep(windowMs + 500);
    const requests = 10;
    let span = 0;
    await measure(
      `the same product lowered ${params.burst.toLocaleString('en-US')} times in one window (sales)`,
      seller,
      1,
      params.burst,
      'the sales arrive as 10 concurrent batch requests of corrections of -1; target at most 2 updates: the first sale is sent at once, the others coalesce into the window\'s send',
      async () => {
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: requests }, (_, r) => {
            const n = Math.floor(params.burst / requests) + (r < params.burst % requests ? 1 : 0);
            return world.host.call('POST', '/api/v1/stock-movements/batch', { movements: Array.from({ length: n }, () => ({ ...move(p), type: 'correction', quantity: -1 })) }, 201);
          }),
        );
        span = performance.now() - t0;
      },
      async () => (await world.shown(seller, c.marketplaceId, sku(p))) === world.onHand(p),
      2,
    );
    out[out.length - 1].note += ` within ${Math.round(span)} ms (window ${windowMs} ms)`;
  }
  return out;
}
