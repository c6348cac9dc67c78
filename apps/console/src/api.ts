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

export async function call<T>(method: string, path: string, body?: unknown, token = storedToken()): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `The host cannot be reached: ${(e as Error).message}`, null);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, messageOf(res.status, parsed), parsed);
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
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
export interface Listing {
  id: string;
  sku: string;
  syncEnabled: boolean;
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
