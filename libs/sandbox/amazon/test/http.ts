import { startAmazonSandbox, type AmazonSandbox, type AmazonSandboxOptions } from '../src';

export const UK = 'A1F83G8C2ARO7P';
export const DE = 'A1PA6795UKMFR9';
export const FR = 'A13V1IB3VIYZZH';
export const US = 'ATVPDKIKX0DER';
export const CA = 'A2EUQ1WTGCTBG2';

export interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export async function call(sb: AmazonSandbox, method: string, path: string, options: { token?: string; json?: unknown; form?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.token) headers['x-amz-access-token'] = options.token;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const res = await fetch(`${sb.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export async function start(options: AmazonSandboxOptions = {}): Promise<AmazonSandbox> {
  return startAmazonSandbox({ feedProcessingDelayMs: 20, reportProcessingDelayMs: 20, ...options });
}

export function seed(sb: AmazonSandbox, sellerId = 'SELLER1', regions: Array<'EU' | 'NA' | 'FE'> = ['EU', 'NA']) {
  sb.admin.seedSellers({ sellerId, regions, refreshToken: `rt-${sellerId}`, clientId: `cid-${sellerId}`, clientSecret: `sec-${sellerId}` });
}

export async function token(sb: AmazonSandbox, sellerId = 'SELLER1'): Promise<string> {
  const r = await call(sb, 'POST', '/auth/o2/token', {
    form: { grant_type: 'refresh_token', refresh_token: `rt-${sellerId}`, client_id: `cid-${sellerId}`, client_secret: `sec-${sellerId}` },
  });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
  return r.body.access_token;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
