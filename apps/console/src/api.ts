// The admin API client: every call goes to /api/v1 on this origin with the admin token as a Bearer
// header. The token is kept in sessionStorage for the tab's session only (never in a URL).
const TOKEN_KEY = 'invsync.adminToken';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error as the API words it: its message (or field messages), with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

function messageOf(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; errors?: Array<{ row?: number; field?: string; message: string }> };
    const parts: string[] = [];
    if (Array.isArray(b.message)) parts.push(...b.message.map(String));
    else if (typeof b.message === 'string') parts.push(b.message);
    if (Array.isArray(b.errors)) parts.push(...b.errors.slice(0, 10).map((e) => `${e.row ? `row ${e.row}: ` : ''}${e.field ? `${e.field}: ` : ''}${e.message}`));
    if (parts.length) return parts.join('\n');
  }
  return `The host answered ${status}`;
}

export interface ApiResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A request to /api/v1 with the admin token; a host that cannot be reached is an ApiError with status 0. */
async function request(method: string, path: string, headers: Record<string, string>, body: BodyInit | undefined, token: string | null): Promise<Response> {
  if (token) headers['Authorization'] = `Bearer ${token}`;
  try {
    return await fetch(`/api/v1${path}`, { method, headers, body });
  } catch (e) {
    throw new ApiError(0, `The host cannot be reached: ${(e as Error).message}`, null);
  }
}

/** A response's body: JSON when it parses, else its text. */
async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** A refusal as an ApiError worded as the API words it; a 401 signs out first. */
async function refusal(res: Response, parsed?: unknown): Promise<ApiError> {
  const body = parsed === undefined ? await bodyOf(res) : parsed;
  if (res.status === 401) onUnauthorized();
  return new ApiError(res.status, messageOf(res.status, body), body);
}

export async function call<T>(method: string, path: string, body?: unknown, token = storedToken()): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await request(method, path, headers, body === undefined ? undefined : JSON.stringify(body), token);
  const parsed = await bodyOf(res);
  if (!res.ok) throw await refusal(res, parsed);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** POSTs CSV text (`Content-Type: text/csv`) and reads the JSON answer; refusals as call() throws them. */
export async function postCsv<T>(path: string, csv: string, token = storedToken()): Promise<T> {
  const res = await request('POST', path, { Accept: 'application/json', 'Content-Type': 'text/csv' }, csv, token);
  const parsed = await bodyOf(res);
  if (!res.ok) throw await refusal(res, parsed);
  return parsed as T;
}

/**
 * Downloads a file the API answers (an export): fetched with the token (a plain link could not send
 * it), saved under `filename` through an object URL that is revoked once the browser has it.
 */
export async function download(path: string, filename: string, token = storedToken()): Promise<void> {
  const res = await request('GET', path, { Accept: 'text/csv, application/json' }, undefined, token);
  if (!res.ok) throw await refusal(res);
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // The click starts the download asynchronously: revoke a moment later, not at once.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path).then((r) => r.body),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body).then((r) => r.body),
  patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body).then((r) => r.body),
  del: (path: string) => call<unknown>('DELETE', path).then(() => undefined),
};

/** Query string from the defined values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// --- The API's shapes (what the screens read; see docs/api.md and /docs). ---
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface Warehouse {
  id: string;
  code: string;
  name: string;
}
export interface Product {
  id: string;
  sku: string;
  name: string;
  kind: 'stock' | 'bundle' | 'parent';
  parentId: string | null;
  components: Array<{ productId: string; quantity: number }>;
}
export interface Inventory {
  productId: string;
  warehouses: Array<{ warehouseId: string; inStock: number; allocated: number; onHand: number }>;
  total: { inStock: number; allocated: number; onHand: number };
}
export interface Channel {
  id: string;
  type: string;
  name: string;
  fulfilment: 'merchant' | 'channel';
  fulfillment: string;
  marketplaceId: string;
  settings: Record<string, unknown>;
  health: { ok: boolean | null; message: string | null; checkedAt: string | null };
}
export interface PluginInfo {
  id: string;
  displayName: string;
  version: string;
  state: string;
  error?: string;
  contributes: {
    channelTypes?: Array<{ id: string; displayName: string; fulfilment: string; vocabulary?: { managedWarehouseTool?: string; managedWarehouseSetting?: string; channelQuantityField?: string } }>;
  };
}
export interface LiveListing {
  listingId: string;
  sku: string;
  marketplaceId: string;
  productId: string;
  productSku: string | null;
  fulfilment: string;
  fulfillment: string;
  quantity: number | null;
  computedQuantity?: number | null;
  status: string;
  lastSentAt: string | null;
  lastError: string | null;
  reserved?: number | null;
  inbound?: number | null;
  readAt?: string | null;
  stale?: boolean;
  /** Units held back at the last send: sold on Amazon, order not downloaded yet. */
  withheld?: number;
}
/** A listing's quantity rules (a channel's settings, a listing's overrides); absent: not set. */
export type RuleKey = 'reserve' | 'percentage' | 'maxQuantity' | 'zeroAtOrBelow';
export type QuantityRules = Partial<Record<RuleKey, number | null>>;
export interface Listing {
  id: string;
  channelId: string;
  sku: string;
  fulfilment: 'merchant' | 'channel';
  syncEnabled: boolean;
  /** Overrides of the channel's rules; a rule not here is the channel's. */
  overrides: QuantityRules;
  status: string;
}
export interface Explanation {
  listingId: string;
  sku: string;
  productId: string;
  productKind: string;
  channel: { id: string; name: string; syncInventory: boolean; onHandWarehouseIds: string[] };
  warehouses: Array<{ warehouseId: string; onHand: number; components?: Array<{ productId: string; perBundle: number; onHand: number; bundlesPossible: number }> }>;
  onHand: number;
  rules: Record<string, number | null | undefined>;
  steps: Array<{ rule: string; setting?: number; quantity: number; note: string }>;
  quantity: number;
  lastSent: { quantity: number | null; at: string | null };
  channelAccepted: { quantity: number | null; at: string | null };
  status: string;
  lastError: string | null;
  withheld?: number;
}
export interface Order {
  id: string;
  channelId: string;
  externalId: string;
  status: string;
  parkedReason: string | null;
  fulfilledByChannel: boolean;
  warehouseId: string | null;
  lines: Array<{ sku: string; productId: string | null; quantity: number; allocated: number; backordered: number }>;
  createdAt: string;
}
export interface JobRun {
  id: string;
  job: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';
  startedAt: string;
  finishedAt: string | null;
  summary: Record<string, unknown> | null;
  error: string | null;
  progress: { done: number; total: number | null } | null;
}
export interface Job {
  name: string;
  plugin: string;
  cron: string;
  enabled: boolean;
  description?: string;
  lastRun: { startedAt: string; finishedAt: string | null; status: string; summary: Record<string, unknown> | null } | null;
}
export interface Accepted {
  runId: string;
  job: string;
  started: boolean;
  location: string;
}
export interface Discrepancies {
  items: Array<{ productId: string; sku: string; skus: string[]; difference: number; readAt: string | null; stale: boolean; warehouseQuantity: number; [k: string]: unknown }>;
  notCompared: Array<{ productId: string; skus: string[]; reason: string; message: string }>;
  readAt: string | null;
  stale: boolean;
  staleAfterMinutes: number;
  warehouseId: string;
  nextCursor: string | null;
}
export interface Overview {
  listings: Array<{ channelId: string; fulfilment: string; status: string; count: number }>;
  dirtyListings: number;
  pendingChanges: number;
  parkedOrders: number;
}
/** A CSV import's answer (products/import, stock-levels/import, listings/import). */
export interface CsvImportResult {
  dryRun: boolean;
  rows: number;
  unchanged: number;
  /** Products created (would be, in a dry run). */
  created?: number;
  /** Stock movements booked. */
  movements?: number;
  batchIds?: string[];
  /** Listings connected. */
  connected?: number;
}
/** A row problem of a 422 (row counts the header as row 1). */
export interface CsvRowError {
  row: number;
  field: string;
  message: string;
}
