import { amazonFbaPlugin } from '@invsync/amazon-fba';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { startHost, type TestHost, TEST_TOKEN, waitFor } from './support/test-host';

/**
 * The admin console in a real browser: headless Chromium (the Debian package) driven by
 * playwright-core, against the real host (its built console at `/`, a real database) and the SP-API
 * sandbox over HTTP. It walks the demo's story without curl: sign in, warehouses and products, an
 * Amazon channel against the sandbox, import and connect listings, the Sync inventory switch, a
 * goods-in seen on Live Listings, explain, orders, a job run, an FBA reconciliation and a CSV import
 * (dry run first) and export.
 *
 * Needs the built console (`nx build console`; `nx test inventory-host` builds it first) and
 * Chromium (`apt-get install -y chromium`, or CHROMIUM_PATH). Missing either fails, never skips.
 * SCREENSHOTS_DIR=<folder> also writes a PNG of every page there (`npm run console:screenshots`).
 */
const ROOT = resolve(__dirname, '../../..');
const CONSOLE_DIR = join(ROOT, 'dist/apps/console');
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const SHOTS = process.env['SCREENSHOTS_DIR'] ? resolve(ROOT, process.env['SCREENSHOTS_DIR']) : undefined;
const UK = 'A1F83G8C2ARO7P';
const SELLER = 'A1CONSOLESELLER';
const CREDS = { clientId: 'console-e2e-client', clientSecret: 'console-e2e-client-secret', refreshToken: 'console-e2e-refresh-token' };

/** A label's text as Mantine renders it (a required field's label ends with " *"). */
const labelled = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);

describe('admin console in a real browser (headless Chromium, host + SP-API sandbox)', () => {
  let sb: AmazonSandbox;
  let host: TestHost;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let mfnId = '';
  let fbaId = '';

  const api = async <T = Record<string, unknown>>(path: string): Promise<T> => (await host.api().get(path).expect(200)).body as T;
  /** The input a visible label names (Mantine links label and input by id). */
  const field = async (text: string, scope: Page | Locator = page): Promise<Locator> => {
    const label = scope.locator('label:visible').filter({ hasText: labelled(text) }).first();
    const id = await label.getAttribute('for');
    if (!id) throw new Error(`no input for label "${text}"`);
    return page.locator(`[id="${id}"]`);
  };
  const fill = async (text: string, value: string, scope?: Page | Locator) => (await field(text, scope)).fill(value);
  const choose = async (text: string, option: string | RegExp, scope?: Page | Locator) => {
    const input = await field(text, scope);
    // A MultiSelect's pills wrapper takes the click for its input.
    await input.click({ timeout: 2000 }).catch(() => input.click({ force: true }));
    await page.getByRole('option', { name: option }).first().click();
  };
  const go = async (path: string, heading: string | RegExp) => {
    await page.goto(`${host.url}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const shot = async (name: string) => {
    if (!SHOTS) return;
    await page.waitForTimeout(300); // let transitions (drawers, dropdowns) settle
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  /** A drawer, once it has slid in. */
  const dialog = async (name: string | RegExp) => {
    const d = page.getByRole('dialog', { name });
    await d.waitFor();
    await page.waitForTimeout(300);
    return d;
  };
  /**
   * Form controls without an accessible name (no label, aria-label or aria-labelledby, no text):
   * none may be left on a page.
   */
  const unlabelled = (): Promise<string[]> =>
    page.evaluate(`[...document.querySelectorAll('input, select, textarea, button, [role=switch], [role=combobox]')]
      .filter((el) => el.type !== 'hidden' && el.getAttribute('aria-hidden') !== 'true' && el.offsetParent !== null)
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.textContent.trim())
      .map((el) => el.outerHTML.slice(0, 120))`);
  const text = async (l: Locator) => (await l.textContent())?.trim() ?? '';
  const until = <T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000) => waitFor(fn, timeoutMs, 100);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: the console's browser test needs it (apt-get install -y chromium, or set CHROMIUM_PATH).`);
    }
    if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error(`The console is not built (${CONSOLE_DIR}): run npx nx build console.`);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    sb = await startAmazonSandbox({ port: 0, feedProcessingDelayMs: 100, reportProcessingDelayMs: 50 });
    sb.admin.seedSellers({ sellerId: SELLER, regions: ['EU'], storeName: 'Console Store', ...CREDS });
    sb.admin.seedListings([
      { sellerId: SELLER, sku: 'MUG-BLUE', marketplaceId: UK, quantity: 3, title: 'Blue mug' },
      { sellerId: SELLER, sku: 'MUG-RED', marketplaceId: UK, quantity: 3, title: 'Red mug' },
      { sellerId: SELLER, sku: 'POSTER', marketplaceId: UK, quantity: 1, title: 'A poster we do not stock' },
    ]);
    host = await startHost({
      plugins: [amazonMfnPlugin, amazonFbaPlugin],
      env: { CONSOLE_DIR, SCHEDULER: 'off', SYNC_WINDOW_MS: '200', SYNC_TICK_MS: '50', SYNC_CONFIRM_INTERVAL_MS: '200', SYNC_RETRY_BASE_MS: '200', SYNC_RETRY_CAP_MS: '1000' },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    page.setDefaultTimeout(15_000);
    // Anything the page refuses (CSP), throws or fails to load is a failure of the test.
    // Chromium logs every 4xx answer (a refused sign-in, a CSV import's row problems): those are expected.
    page.on('console', (m) => m.type() === 'error' && !/status of (40[0-9]|422)/.test(m.text()) && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // A read the page's own navigation cancelled (a list polling every few seconds when a test moves
    // on) is not a failure; any other failed request is.
    page.on('requestfailed', (r) => {
      if (r.method() === 'GET' && r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await sb?.close();
  });

  it('serves the console at / and its routes (the API, docs and health keep theirs); signs in with the admin token, kept for the session only', async () => {
    const root = await fetch(`${host.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/text\/html/);
    expect(root.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await fetch(`${host.url}/channels/some-id/live-listings`)).headers.get('content-type')).toMatch(/text\/html/);
    const unknownApi = await fetch(`${host.url}/api/v1/nothing-here`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toMatchObject({ statusCode: 404 });
    expect((await fetch(`${host.url}/health`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${host.url}/assets/missing.js`)).status).toBe(404);

    await page.goto(`${host.url}/`);
    await page.getByRole('heading', { name: 'Inventory sync' }).waitFor();
    await shot('sign-in');
    await fill('Admin token', 'not-the-token-0123456789abcdef');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    // By keyboard: Enter in the token field signs in.
    await fill('Admin token', TEST_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('invsync.adminToken')")).toBe(TEST_TOKEN);
    expect(page.url()).not.toContain(TEST_TOKEN);
    // Signing out forgets it; a reload after signing in again keeps the session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('invsync.adminToken')")).toBeNull();
    await fill('Admin token', TEST_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  }, 60_000);

  it('adds warehouses and products (a bundle of two) from Products and stock', async () => {
    await go('/products', 'Products and stock');
    await page.getByRole('tab', { name: 'Warehouses' }).click();
    for (const [code, name] of [['MAIN', 'Main warehouse'], ['FBA-UK', 'Amazon UK fulfilment centres']]) {
      await fill('Warehouse code', code);
      await fill('Warehouse name', name);
      await page.getByRole('button', { name: 'Add warehouse' }).click();
      await page.getByRole('cell', { name: code, exact: true }).waitFor();
    }
    await shot('warehouses');
    await page.getByRole('tab', { name: 'Products' }).click();
    for (const [sku, name] of [['MUG-BLUE', 'Blue mug'], ['MUG-RED', 'Red mug'], ['FBA-MUG', 'Mug stored at Amazon']]) {
      await page.getByRole('button', { name: 'New product' }).click();
      const drawer = await dialog('New product');
      await fill('SKU', sku, drawer);
      await fill('Name', name, drawer);
      await drawer.getByRole('button', { name: 'Create product' }).click();
      await drawer.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: sku, exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'New product' }).click();
    const drawer = await dialog('New product');
    await fill('SKU', 'MUG-SET', drawer);
    await fill('Name', 'Two mugs', drawer);
    await choose('Kind', 'Bundle', drawer);
    await fill('Component 1 SKU', 'MUG-BLUE', drawer);
    await drawer.getByRole('button', { name: 'Add a component' }).click();
    await fill('Component 2 SKU', 'MUG-RED', drawer);
    await drawer.getByRole('button', { name: 'Create product' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: /1 × MUG-BLUE, 1 × MUG-RED/ }).waitFor();
    await shot('products');
    const products = await api<{ items: { sku: string; kind: string }[] }>('/api/v1/products');
    expect(products.items.map((p) => `${p.sku}:${p.kind}`).sort()).toEqual(['FBA-MUG:stock', 'MUG-BLUE:stock', 'MUG-RED:stock', 'MUG-SET:bundle']);
  }, 90_000);

  it('creates an Amazon MFN channel against the sandbox (credentials write-only), checks its health and imports its listings as a followed job run', async () => {
    await go('/channels', 'Channels');
    await page.getByRole('link', { name: 'New channel' }).click();
    await page.getByRole('heading', { level: 1, name: 'New channel' }).waitFor();
    await fill('Name', 'Amazon UK');
    await fill('Seller ID', SELLER);
    await choose('Region', 'Europe (EU)');
    await choose('Marketplace', /United Kingdom/);
    await fill('LWA client ID', CREDS.clientId);
    await fill('LWA client secret', CREDS.clientSecret);
    await fill('Refresh token', CREDS.refreshToken);
    await fill('SP-API endpoint', sb.url);
    await fill('LWA token endpoint', `${sb.url}/auth/o2/token`);
    await choose('Warehouses for on hand', 'MAIN: Main warehouse');
    await page.keyboard.press('Escape');
    await choose('Allocation warehouse', 'MAIN: Main warehouse');
    expect(await unlabelled()).toEqual([]);
    await page.getByRole('button', { name: 'Create channel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Channel: Amazon UK' }).waitFor();
    mfnId = page.url().split('/channels/')[1];
    const channel = await api<{ settings: Record<string, unknown> }>(`/api/v1/channels/${mfnId}`);
    expect(channel.settings).toMatchObject({ sellerId: SELLER, marketplaceId: UK, syncInventory: true, credentials: { set: true } });
    // Write-only: the secret is nowhere on the page.
    expect(await page.content()).not.toContain(CREDS.clientSecret);

    await page.getByRole('button', { name: 'Check health' }).click();
    await page.getByText(/Health: OK/).waitFor();
    await page.getByRole('button', { name: 'Import listings' }).click();
    await page.getByText('succeeded').first().waitFor({ timeout: 30_000 });
    const summary = await text(page.getByTestId('run-summary'));
    expect(summary).toMatch(/MUG-BLUE/);
    await shot('channel-settings');
    const listings = await api<{ items: { sku: string }[] }>(`/api/v1/channels/${mfnId}/listings`);
    expect(listings.items.map((l) => l.sku).sort()).toEqual(['MUG-BLUE', 'MUG-RED']);
  }, 90_000);

  it('connects a listing on Live Listings; Amazon shows what we send', async () => {
    await go(`/channels/${mfnId}/live-listings`, 'Live Listings: Amazon UK');
    await page.getByRole('button', { name: 'Connect a listing' }).click();
    const drawer = await dialog('Connect a listing');
    await fill('Channel SKU', 'MUG-SET-UK', drawer);
    await fill('Product SKU', 'MUG-SET', drawer);
    await drawer.getByRole('button', { name: 'Connect' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.locator('tr[data-sku="MUG-SET-UK"]').waitFor();
    // Nothing in stock: every listing is sent 0 and Amazon accepts it.
    await until(async () => ['MUG-BLUE', 'MUG-RED'].every((sku) => sb.admin.quantities({ sellerId: SELLER, sku })[0]?.quantity === 0));
    await until(async () => (await text(page.locator('tr[data-sku="MUG-BLUE"] td[data-col="amazon"]'))) === '0');
  }, 60_000);

  it('switches Sync inventory off and on from the channel settings', async () => {
    await go(`/channels/${mfnId}`, 'Channel: Amazon UK');
    let sync = page.getByRole('switch', { name: 'Sync inventory' });
    expect(await sync.isChecked()).toBe(true);
    await sync.click({ force: true });
    await until(async () => (await api<{ settings: { syncInventory: boolean } }>(`/api/v1/channels/${mfnId}`)).settings.syncInventory === false);
    await until(async () => !(await sync.isChecked()));
    await go(`/channels/${mfnId}/live-listings`, 'Live Listings: Amazon UK');
    await until(async () => (await text(page.locator('tr[data-sku="MUG-BLUE"]').getByText(/disabled|synced/))) === 'disabled');
    await go(`/channels/${mfnId}`, 'Channel: Amazon UK');
    sync = page.getByRole('switch', { name: 'Sync inventory' });
    await sync.click({ force: true });
    await until(async () => (await api<{ settings: { syncInventory: boolean } }>(`/api/v1/channels/${mfnId}`)).settings.syncInventory === true);
    await until(async () => sync.isChecked());
  }, 60_000);

  it("books a goods-in and sees Amazon's quantity change on Live Listings; explain shows how it is made", async () => {
    await go('/products', 'Products and stock');
    await page.getByRole('button', { name: 'MUG-BLUE', exact: true }).click();
    const drawer = await dialog(/MUG-BLUE/);
    await choose('Warehouse', 'MAIN: Main warehouse', drawer);
    await fill('Quantity', '7', drawer);
    await fill('Reason', 'Delivery from the supplier', drawer);
    await drawer.getByRole('button', { name: 'Book' }).click();
    await drawer.getByText('Booked.').waitFor();
    await until(async () => (await text(drawer.getByTestId('total-on-hand'))) === '7');
    expect(await unlabelled()).toEqual([]);
    await shot('product-stock');
    await page.keyboard.press('Escape');

    await go(`/channels/${mfnId}/live-listings`, 'Live Listings: Amazon UK');
    await until(async () => (await text(page.locator('tr[data-sku="MUG-BLUE"] td[data-col="amazon"]'))) === '7', 30_000);
    expect(sb.admin.quantities({ sellerId: SELLER, sku: 'MUG-BLUE' })[0]?.quantity).toBe(7);
    await shot('live-listings');
    // Search by SKU, server-side.
    await fill('SKU starts with', 'mug-s');
    await page.getByRole('button', { name: 'Search' }).click();
    await until(async () => (await page.locator('tbody tr[data-sku]').count()) === 1);
    await page.getByRole('button', { name: 'Explain MUG-SET-UK' }).click();
    const explain = await dialog('Explain MUG-SET-UK');
    await explain.getByText('On hand by warehouse').waitFor();
    // The bundle needs a red mug too: none yet.
    expect(await text(explain.getByTestId('explain-quantity'))).toBe('Should show: 0');
    await explain.getByRole('cell', { name: /MAIN/ }).first().waitFor();
    await shot('explain');
  }, 90_000);

  it('downloads an Amazon order by running its job, records orders by hand (one parked, listed first) and ships one', async () => {
    const tenMinutesAgo = new Date(Date.now() - 600_000).toISOString();
    sb.admin.upsertOrders({ sellerId: SELLER, amazonOrderId: '203-1234567-7654321', marketplaceId: UK, fulfillmentChannel: 'MFN', purchaseDate: tenMinutesAgo, lastUpdateDate: tenMinutesAgo, items: [{ sku: 'MUG-RED', quantity: 1 }] });
    await go('/jobs', 'Jobs');
    await page.getByRole('button', { name: 'Run amazon-mfn.download-orders now' }).click();
    await page.getByRole('alert').filter({ hasText: 'Run amazon-mfn.download-orders' }).getByText('succeeded').waitFor({ timeout: 30_000 });
    await go('/orders', 'Orders');
    await page.getByRole('cell', { name: '203-1234567-7654321', exact: true }).waitFor();
    for (const [id, lines] of [['UK-1001', 'MUG-BLUE x 2'], ['UK-1002', 'UNKNOWN-SKU x 1']]) {
      await page.getByRole('button', { name: 'Record an order' }).click();
      const drawer = await dialog('Record an order');
      await choose('Channel', 'Amazon UK', drawer);
      await fill("Channel's order id", id, drawer);
      await fill('Lines', lines, drawer);
      await drawer.getByRole('button', { name: 'Record' }).click();
      await drawer.waitFor({ state: 'hidden' });
    }
    await page.getByRole('heading', { name: /Parked/ }).waitFor();
    await page.getByRole('table', { name: /Parked orders/ }).getByRole('button', { name: 'Retry order UK-1002' }).waitFor();
    await shot('orders');
    await page.getByRole('button', { name: 'Ship order UK-1001' }).click();
    await until(async () => (await api<{ items: { externalId: string; status: string }[] }>('/api/v1/orders')).items.find((o) => o.externalId === 'UK-1001')?.status === 'shipped');
    // 7 in stock, 2 shipped: Amazon follows.
    await until(async () => sb.admin.quantities({ sellerId: SELLER, sku: 'MUG-BLUE' })[0]?.quantity === 5, 30_000);
  }, 60_000);

  it('runs a job from Jobs and follows it; applies an FBA reconciliation and shows its result', async () => {
    const fbaWh = (await api<{ items: { id: string; code: string }[] }>('/api/v1/warehouses')).items.find((w) => w.code === 'FBA-UK')!;
    const product = (await api<{ items: { id: string }[] }>('/api/v1/products?sku=FBA-MUG')).items[0];
    // The FBA channel: its FBA warehouse mirrors Amazon's fulfilment centres.
    await go('/channels/new', 'New channel');
    await choose('Channel type', /amazon-fba/);
    await fill('Name', 'Amazon UK FBA');
    await fill('Seller ID', SELLER);
    await fill('LWA client ID', CREDS.clientId);
    await fill('LWA client secret', CREDS.clientSecret);
    await fill('Refresh token', CREDS.refreshToken);
    await fill('SP-API endpoint', sb.url);
    await fill('LWA token endpoint', `${sb.url}/auth/o2/token`);
    await choose('FBA warehouse', 'FBA-UK: Amazon UK fulfilment centres');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Channel: Amazon UK FBA' }).waitFor();
    fbaId = page.url().split('/channels/')[1];
    expect((await api<{ settings: Record<string, unknown> }>(`/api/v1/channels/${fbaId}`)).settings).toMatchObject({ fbaWarehouseId: fbaWh.id, credentials: { set: true } });
    await host.api().post(`/api/v1/channels/${fbaId}/listings`).send({ sku: 'FBA-MUG', productId: product.id }).expect(201);
    sb.admin.seedFba({ sellerId: SELLER, marketplaceId: UK, sku: 'FBA-MUG', fulfillable: 12, reserved: 1, inboundShipped: 4 });

    await go('/jobs', 'Jobs');
    await page.getByRole('button', { name: 'Run amazon-fba.pull-inventory now' }).click();
    await page.getByRole('alert').filter({ hasText: 'Run amazon-fba.pull-inventory' }).getByText('succeeded').waitFor({ timeout: 30_000 });
    // The nightly reconciliation, now: the overview shows its last run.
    await page.getByRole('button', { name: 'Run host.sync-nightly now' }).click();
    await page.getByRole('alert').filter({ hasText: 'Run host.sync-nightly' }).getByText('succeeded').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Runs' }).first().click();
    await page.getByRole('table', { name: /The last runs of amazon-fba.pull-inventory/ }).getByText('manual').waitFor();
    expect(await unlabelled()).toEqual([]);
    await shot('jobs');

    // FBA Live Listings: what Amazon reports, with its reserved and inbound units.
    await go(`/channels/${fbaId}/live-listings`, 'Live Listings: Amazon UK FBA');
    const fbaRow = page.locator('tr[data-sku="FBA-MUG"]');
    expect([await text(fbaRow.locator('td[data-col="amazon"]')), await text(fbaRow.locator('td[data-col="ours"]'))]).toEqual(['12', '1 / 4']);
    await shot('live-listings-fba');

    await go(`/channels/${fbaId}/reconciliation`, /FBA reconciliation: Amazon UK FBA/);
    await page.getByRole('cell', { name: 'FBA-MUG', exact: true }).waitFor();
    await page.getByRole('checkbox', { name: 'Select FBA-MUG' }).check();
    expect(await unlabelled()).toEqual([]);
    await shot('fba-reconciliation');
    await page.getByRole('button', { name: /Apply 1 selected/ }).click();
    const result = page.getByRole('status').filter({ hasText: 'Applied' });
    await result.getByText('1 corrected').waitFor();
    await result.getByRole('cell', { name: '+12' }).waitFor();
    const inv = await api<{ warehouses: { warehouseId: string; inStock: number }[] }>(`/api/v1/products/${product.id}/inventory`);
    expect(inv.warehouses.find((w) => w.warehouseId === fbaWh.id)?.inStock).toBe(12);
    await page.getByText('Nothing to reconcile').waitFor();
    await shot('fba-reconciliation-applied');
  }, 90_000);

  it('imports products and stock levels from CSV on Import and export (a dry run first; row problems by row and column) and downloads an export', async () => {
    type Products = { items: { id: string; sku: string; kind: string }[] };
    const csvProducts = async () => (await api<Products>('/api/v1/products?skuPrefix=CSV-&limit=100')).items;
    const csv = (name: string, lines: string[]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import and export' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import and export' }).waitFor();
    expect(page.url()).toMatch(/\/csv$/);
    const products = page.getByRole('region', { name: 'Products' });
    await products.getByText('sku,name,kind,parentSku,components').waitFor();
    expect(await field('Products CSV file')).toBeTruthy();

    // A file with a bad row: the dry run lists it by row (the header is row 1) and column.
    await products.locator('input[type=file]').setInputFiles(csv('bad-products.csv', ['sku,name,kind', 'CSV-CUP,Cup,stock', 'CSV-BOX,Box,crate']));
    await products.getByRole('button', { name: 'Check (dry run)' }).click();
    const rowErrors = products.getByTestId('row-errors').locator('tbody tr');
    await rowErrors.first().waitFor();
    expect(await rowErrors.count()).toBe(1);
    expect(await rowErrors.first().getByRole('cell').allTextContents()).toEqual(['3', 'kind', expect.stringMatching(/kind/)]);
    await products.getByRole('alert').filter({ hasText: 'nothing was written' }).waitFor();
    expect(await unlabelled()).toEqual([]);
    await shot('csv');

    // A good file: the dry run says what it would create and creates nothing; Import creates it.
    await products.locator('input[type=file]').setInputFiles(
      csv('products.csv', ['sku,name,kind,parentSku,components', 'CSV-CUP,Cup,stock,,', 'CSV-SAUCER,Saucer,stock,,', 'CSV-SET,Cup and saucer,bundle,,CSV-CUP:1;CSV-SAUCER:1']),
    );
    await products.getByRole('button', { name: 'Check (dry run)' }).click();
    const summary = products.getByTestId('import-summary');
    await summary.getByText('3 rows read: would create 3 products, 0 unchanged.').waitFor();
    expect(await text(summary)).toMatch(/Dry run: nothing was written/);
    expect(await csvProducts()).toEqual([]);
    await products.getByRole('button', { name: 'Import' }).click();
    await summary.getByText('3 rows read: created 3 products, 0 unchanged.').waitFor();
    const created = await csvProducts();
    expect(created.map((p) => `${p.sku}:${p.kind}`).sort()).toEqual(['CSV-CUP:stock', 'CSV-SAUCER:stock', 'CSV-SET:bundle']);

    // Their opening stock.
    const levels = page.getByRole('region', { name: 'Stock levels' });
    await levels.locator('input[type=file]').setInputFiles(csv('stock-levels.csv', ['sku,warehouse,quantity', 'CSV-CUP,MAIN,4', 'CSV-SAUCER,MAIN,6']));
    await levels.getByRole('button', { name: 'Check (dry run)' }).click();
    await levels.getByText('2 rows read: would book 2 movements, 0 unchanged.').waitFor();
    await levels.getByRole('button', { name: 'Import' }).click();
    await levels.getByText('2 rows read: booked 2 movements, 0 unchanged.').waitFor();
    const main = (await api<{ items: { id: string; code: string }[] }>('/api/v1/warehouses')).items.find((w) => w.code === 'MAIN')!;
    const inStock = async (sku: string) => {
      const id = created.find((p) => p.sku === sku)!.id;
      return (await api<{ warehouses: { warehouseId: string; inStock: number }[] }>(`/api/v1/products/${id}/inventory`)).warehouses.find((w) => w.warehouseId === main.id)?.inStock;
    };
    expect([await inStock('CSV-CUP'), await inStock('CSV-SAUCER')]).toEqual([4, 6]);

    // Exports download with the token: the file holds what was imported.
    const downloaded = async (button: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      return { name: file.suggestedFilename(), body: readFileSync(await file.path(), 'utf8') };
    };
    const productsCsv = await downloaded('Download products.csv');
    expect(productsCsv.name).toBe('products.csv');
    expect(productsCsv.body.split(/\r?\n/)).toEqual(expect.arrayContaining(['sku,name,kind,parentSku,components', 'CSV-CUP,Cup,stock,,', 'CSV-SAUCER,Saucer,stock,,', 'CSV-SET,Cup and saucer,bundle,,CSV-CUP:1;CSV-SAUCER:1']));
    const levelsCsv = await downloaded('Download stock-levels.csv');
    expect(levelsCsv.name).toBe('stock-levels.csv');
    expect(levelsCsv.body.split(/\r?\n/)).toEqual(expect.arrayContaining(['CSV-CUP,MAIN,4', 'CSV-SAUCER,MAIN,6']));
  }, 90_000);

  it("sets a listing's own maximum in its explain on Live Listings (Amazon shows the capped quantity), clears it with \"Use the channel's rule\"; a refused value shows the API's 400 and changes nothing", async () => {
    type ListingBody = { overrides: Record<string, number | null> };
    type ExplainBody = { quantity: number; steps: { rule: string; setting?: number; quantity: number }[] };
    const amazon = () => sb.admin.quantities({ sellerId: SELLER, sku: 'MUG-BLUE' })[0]?.quantity;
    const listingId = (await api<{ items: { listingId: string }[] }>(`/api/v1/channels/${mfnId}/live-listings?skuPrefix=MUG-BLUE`)).items[0].listingId;
    const overrides = async () => (await api<ListingBody>(`/api/v1/listings/${listingId}`)).overrides;
    const explained = () => api<ExplainBody>(`/api/v1/listings/${listingId}/explain`);
    await go(`/channels/${mfnId}/live-listings`, 'Live Listings: Amazon UK');
    const row = page.locator('tr[data-sku="MUG-BLUE"]');
    // 7 booked in, 2 shipped; the channel has no rules.
    await until(async () => (await text(row.locator('td[data-col="amazon"]'))) === '5');
    expect(amazon()).toBe(5);
    await page.getByRole('button', { name: 'Explain MUG-BLUE' }).click();
    const explain = await dialog('Explain MUG-BLUE');
    const rules = explain.getByRole('form', { name: 'Rules for this listing' });
    await rules.getByText(/Channel's rule: none/).first().waitFor();
    expect(await text(rules.getByRole('group', { name: 'Maximum quantity' }))).toMatch(/Never list more than this\. Channel's rule: none/);
    expect(await rules.getByRole('button', { name: 'Save rules' }).isDisabled()).toBe(true);
    expect(await unlabelled()).toEqual([]);

    // A maximum below the quantity: stored, a step of explain, and Amazon is sent the capped quantity.
    await fill('Maximum quantity', '2', rules);
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await rules.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await overrides()).toEqual({ maxQuantity: 2 });
    expect((await explained()).steps.find((s) => s.rule === 'maxQuantity')).toMatchObject({ setting: 2, quantity: 2 });
    await until(async () => (await text(explain.getByTestId('explain-quantity'))) === 'Should show: 2');
    await explain.getByRole('cell', { name: 'maxQuantity', exact: true }).waitFor();
    expect(await text(rules.getByRole('group', { name: 'Maximum quantity' }))).toMatch(/this listing overrides it/);
    await until(async () => amazon() === 2, 30_000);
    await until(async () => (await text(row.locator('td[data-col="amazon"]'))) === '2');

    // A percentage above 100: the API refuses it (400), its message is shown and nothing is stored.
    await fill('Percentage', '150', rules);
    await rules.getByRole('button', { name: 'Save rules' }).click();
    const refused = rules.getByRole('alert');
    await refused.waitFor();
    expect(await text(refused)).toMatch(/^Error 400.*percentage/s);
    expect(await overrides()).toEqual({ maxQuantity: 2 });
    expect((await explained()).quantity).toBe(2);
    expect(amazon()).toBe(2);
    await fill('Percentage', '', rules);
    await refused.waitFor({ state: 'hidden' });

    // "Use the channel's rule": the override is removed, and Amazon shows the whole quantity again.
    await rules.getByRole('group', { name: 'Maximum quantity' }).getByRole('button', { name: /^Use the channel's rule/ }).click();
    expect(await (await field('Maximum quantity', rules)).inputValue()).toBe('');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await rules.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await overrides()).toEqual({});
    expect((await explained()).steps.map((s) => s.rule)).not.toContain('maxQuantity');
    await until(async () => (await text(explain.getByTestId('explain-quantity'))) === 'Should show: 5');
    await until(async () => amazon() === 5, 30_000);
    await page.keyboard.press('Escape');
    await until(async () => (await text(row.locator('td[data-col="amazon"]'))) === '5');
  }, 90_000);

  it('shows the overview and the channel list; the page met no error, CSP refusal or failed request', async () => {
    await go('/channels', 'Channels');
    await page.getByRole('link', { name: 'Amazon UK FBA' }).waitFor();
    await shot('channels');
    await go('/', 'Overview');
    await page.getByRole('link', { name: 'Amazon UK', exact: true }).waitFor();
    await page.getByText(/started .*, finished/).waitFor();
    await shot('overview');
    const synced = page.getByTestId('stat-Listings synced');
    await until(async () => Number(await text(synced)) >= 2).catch(async (e) => {
      throw new Error(`${(e as Error).message}: the overview shows ${await text(synced)} listings synced`);
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
