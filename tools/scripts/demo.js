#!/usr/bin/env node
// `npm run demo`: with `npm start` running (host + bundled SP-API sandbox), sets up a small shop and
// shows quantities flowing to the sandbox's "Amazon": a warehouse, products (one a bundle), stock,
// an Amazon UK channel on the demo seller, listings imported from "Amazon", a listing connected under
// its Amazon SKU to a product with another SKU, a stock change, the demo orders downloaded (Orders API
// 2026-01-01) and allocated, one of them by that Amazon SKU. Uses only the public admin API.
const { readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const host = process.env.HOST_URL || `http://localhost:${process.env.PORT || 3000}`;
const sandbox = process.env.SANDBOX_URL || `http://localhost:${process.env.SANDBOX_PORT || 4010}`;
const secretsFile = join(process.env.DATA_DIR || join(__dirname, '../../data'), 'secrets.json');
const token = process.env.ADMIN_TOKEN || (existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')).adminToken : undefined);
if (!token) {
  console.error('No admin token: set ADMIN_TOKEN, or run `npm start` first (it stores one in data/secrets.json).');
  process.exit(1);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(method, path, body) {
  const res = await fetch(`${host}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return data;
}

/** Long work (an import, a reconcile) answers 202 and a Location: follow it until the run ends. */
async function runToEnd(path, body) {
  const started = await call('POST', path, body);
  for (;;) {
    const run = await call('GET', started.location);
    if (run.status === 'succeeded') return run.summary;
    if (run.status !== 'running') throw new Error(`${path}: the run ${run.status}: ${run.error}`);
    await sleep(200);
  }
}

async function amazonQuantity(sku) {
  const res = await fetch(`${sandbox}/_sandbox/quantities?sellerId=A1DEMOSELLER&sku=${encodeURIComponent(sku)}`);
  const body = await res.json();
  const items = Array.isArray(body) ? body : body.items ?? body.quantities ?? [];
  return items[0]?.quantity;
}

async function main() {
  // The demo tells a story from an empty shop; on data it already set up it would only repeat steps
  // the host refuses (the SKUs are connected already), so it says where to look instead.
  const earlier = ((await call('GET', '/api/v1/channels')).items ?? []).find((c) => c.name.startsWith('Amazon UK (demo '));
  if (earlier) {
    console.log(`The demo already ran on this host's data: its channel is "${earlier.name}" (${earlier.id}).`);
    console.log(`See it in the console at ${host}/channels/${earlier.id}, or start from an empty shop: stop npm start, remove the data folder (rm -rf data), npm start, npm run demo.`);
    return;
  }
  const run = Date.now().toString(36);
  const wh = await call('POST', '/api/v1/warehouses', { code: `DEMO-${run}`, name: 'Demo warehouse' });
  const red = await call('POST', '/api/v1/products', { sku: 'DEMO-MUG-RED', name: 'Mug, red', kind: 'stock' });
  const blue = await call('POST', '/api/v1/products', { sku: 'DEMO-MUG-BLUE', name: 'Mug, blue', kind: 'stock' });
  const redId = red.id ?? (await call('GET', '/api/v1/products?sku=DEMO-MUG-RED')).items[0].id;
  const blueId = blue.id ?? (await call('GET', '/api/v1/products?sku=DEMO-MUG-BLUE')).items[0].id;
  const green = await call('POST', '/api/v1/products', { sku: 'MUG-GREEN', name: 'Mug, green', kind: 'stock' });
  const greenId = green.id ?? (await call('GET', '/api/v1/products?sku=MUG-GREEN')).items[0].id;
  await call('POST', '/api/v1/stock-movements/batch', {
    movements: [
      { productId: redId, warehouseId: wh.id, type: 'goods-in', quantity: 30 },
      { productId: blueId, warehouseId: wh.id, type: 'goods-in', quantity: 5 },
      { productId: greenId, warehouseId: wh.id, type: 'goods-in', quantity: 9 },
    ],
  });
  const channel = await call('POST', '/api/v1/channels', {
    type: 'amazon-mfn',
    name: `Amazon UK (demo ${run})`,
    settings: {
      sellerId: 'A1DEMOSELLER',
      region: 'EU',
      marketplaceId: 'A1F83G8C2ARO7P',
      credentials: { clientId: 'demo-client', clientSecret: 'demo-secret', refreshToken: 'demo-refresh-token' },
      spApiEndpoint: sandbox,
      lwaEndpoint: `${sandbox}/auth/o2/token`,
      syncInventory: true,
      onHandWarehouseIds: [wh.id],
      allocationWarehouseId: wh.id,
    },
  });
  console.log(`Channel ${channel.id} created (credentials stored encrypted: ${JSON.stringify(channel.settings.credentials)})`);
  const imported = await runToEnd(`/api/v1/channels/${channel.id}/listings/import`, {});
  console.log(`Imported from "Amazon": ${imported.matched.map((m) => m.sku).join(', ')}; no product for: ${imported.unmatched.join(', ') || 'none'}`);
  // Amazon knows the green mug as AMZ-GREEN-MUG-01; the shop as MUG-GREEN. Connected by hand:
  await call('POST', `/api/v1/channels/${channel.id}/listings`, { sku: 'AMZ-GREEN-MUG-01', productId: greenId });
  console.log('Connected Amazon SKU AMZ-GREEN-MUG-01 to product MUG-GREEN');
  await sleep(2500);
  console.log(`Amazon now shows DEMO-MUG-RED = ${await amazonQuantity('DEMO-MUG-RED')}, DEMO-MUG-BLUE = ${await amazonQuantity('DEMO-MUG-BLUE')}`);
  await call('POST', '/api/v1/stock-movements', { productId: blueId, warehouseId: wh.id, type: 'goods-in', quantity: 10, reason: 'demo delivery' });
  await sleep(2500);
  console.log(`After a goods-in of 10 blue mugs, Amazon shows DEMO-MUG-BLUE = ${await amazonQuantity('DEMO-MUG-BLUE')}`);
  const run2 = await call('POST', '/api/v1/jobs/amazon-mfn.download-orders/run');
  await sleep(3000);
  const runs = await call('GET', '/api/v1/jobs/amazon-mfn.download-orders/runs?limit=1');
  console.log(`Order download (run ${run2.runId}): ${JSON.stringify(runs.items[0]?.summary ?? runs.items[0]?.status)}`);
  await sleep(2000);
  console.log(`After the demo order for 2 red mugs, Amazon shows DEMO-MUG-RED = ${await amazonQuantity('DEMO-MUG-RED')}`);
  const orders = await call('GET', `/api/v1/orders?channelId=${channel.id}`).catch((e) => ({ items: [], error: e.message }));
  if (orders.error) console.log(`Order list not available: ${orders.error}`);
  const byAmazonSku = (orders.items ?? []).find((o) => o.externalId === '202-0000003-0000003');
  console.log(`Order 202-0000003-0000003 (Amazon SKU AMZ-GREEN-MUG-01, product MUG-GREEN): ${JSON.stringify(byAmazonSku ? { status: byAmazonSku.status, lines: byAmazonSku.lines } : 'not recorded')}`);
  const greenLevel = (await call('GET', `/api/v1/products/${greenId}/inventory`)).total;
  console.log(`Amazon shows AMZ-GREEN-MUG-01 = ${await amazonQuantity('AMZ-GREEN-MUG-01')} (MUG-GREEN: ${greenLevel.inStock} in stock, ${greenLevel.allocated} allocated, ${greenLevel.onHand} on hand)`);
  const live = await call('GET', `/api/v1/channels/${channel.id}/live-listings`);
  console.table(live.items.map((i) => ({ sku: i.sku, quantity: i.quantity, status: i.status, lastSentAt: i.lastSentAt })));
  console.log(`Explain one: GET ${host}/api/v1/listings/${live.items[0].listingId}/explain ; API docs: ${host}/docs`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
