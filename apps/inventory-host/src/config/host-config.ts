import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { HostLogLevel } from '../logging/json-logger';

/** The validated configuration the host runs with. */
export interface HostConfig {
  port: number;
  host: string;
  dataDir: string;
  database: { type: 'sqlite'; path: string } | { type: 'postgres'; url: string; schema?: string };
  adminToken: string;
  /** 32-byte key for AES-256-GCM encryption of channel secrets. */
  secretsKey: Buffer;
  /** Previous key during a rotation: stored secrets are re-encrypted with the new one at start. */
  previousSecretsKey?: Buffer;
  /**
   * PLUGINS: built-in plugin ids and npm package names to load; undefined = all built-in plugins.
   * A name that is not a built-in id is an npm package, resolved from `pluginsRoot`.
   */
  plugins?: string[];
  /** PLUGINS_ROOT: where npm plugin packages are resolved from (its node_modules and those above). */
  pluginsRoot: string;
  /** PLUGINS_DIR: a folder whose every subfolder is a plugin package (absolute). */
  pluginsDir?: string;
  logLevel: HostLogLevel;
  /** True when the admin token / secrets key were generated on first run (not production). */
  generatedSecrets: boolean;
  /** Disable the in-process scheduler (tests trigger jobs by hand). */
  schedulerEnabled: boolean;
  sync: SyncConfig;
  /** How often an instance re-reads job settings changed by another instance (PostgreSQL). */
  jobSettingsRefreshMs: number;
  /** Admin API rate limit per client: at most `limit` requests per `windowMs` (then 429). */
  adminRateLimit: { limit: number; windowMs: number };
  /** CONSOLE_DIR: the built admin console served at `/` (absolute); undefined = found beside the bundle. */
  consoleDir?: string;
}

export interface SyncConfig {
  /** Coalescing window: a changed listing waits this long for more changes before it is sent. */
  windowMs: number;
  /** How often the dispatcher looks for work when nothing wakes it. */
  tickMs: number;
  /** How often accepted deliveries with receipts are confirmed. */
  confirmIntervalMs: number;
  /** First retry delay after a temporary channel failure (doubles per attempt, with jitter). */
  retryBaseMs: number;
  /** Largest retry delay. */
  retryCapMs: number;
  /** How long a dispatcher's claim on listings lasts without renewal (an instance that dies loses its claims after this). */
  leaseMs: number;
  /** False: no dispatcher in this process (tests drive it by hand). */
  enabled: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: HostLogLevel[] = ['error', 'warn', 'info', 'debug'];

/** npm's rule for new package names (lower case, optional scope); built-in plugin ids match it too. */
const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a 32-byte key given as 64 hex characters or base64 (44 characters). */
export function parseKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  return undefined;
}

/**
 * The secrets generated on a first run without ADMIN_TOKEN / SECRETS_KEY, kept in the data folder
 * with owner-only permissions so the next start finds the same ones.
 */
interface GeneratedSecrets {
  adminToken: string;
  secretsKey: string;
}

function loadOrCreateGeneratedSecrets(dataDir: string, onCreate: (s: GeneratedSecrets, file: string) => void): GeneratedSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8')) as GeneratedSecrets;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets: GeneratedSecrets = {
    adminToken: randomBytes(32).toString('base64url'),
    secretsKey: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  onCreate(secrets, file);
  return secrets;
}

export interface LoadConfigOptions {
  cwd?: string;
  /** Called once when secrets were generated (to print the token a single time). */
  onSecretsGenerated?: (adminToken: string, file: string) => void;
}

/**
 * Validates the environment and returns the host configuration, or throws a ConfigError listing
 * every bad value at once (a person fixing a deployment wants all of them, not the first).
 */
export function loadConfig(env: Env = process.env, opts: LoadConfigOptions = {}): HostConfig {
  const problems: string[] = [];
  const cwd = opts.cwd ?? process.cwd();
  const production = env['NODE_ENV'] === 'production';

  let port = 3000;
  if (env['PORT'] !== undefined && env['PORT'] !== '') {
    const p = Number(env['PORT']);
    if (!Number.isInteger(p) || p < 0 || p > 65535) problems.push(`PORT must be an integer from 0 to 65535 (got "${env['PORT']}")`);
    else port = p;
  }

  const dataDir = resolve(cwd, env['DATA_DIR'] || 'data');

  let database: HostConfig['database'] = { type: 'sqlite', path: join(dataDir, 'inventory.sqlite') };
  const url = env['DATABASE_URL']?.trim();
  if (url) {
    if (/^postgres(ql)?:\/\//i.test(url)) {
      try {
        const parsed = new URL(url);
        const schema = parsed.searchParams.get('schema') ?? undefined;
        database = { type: 'postgres', url, schema };
      } catch {
        problems.push(`DATABASE_URL is not a valid URL ("postgres://user@host:5432/db" expected)`);
      }
    } else if (/^(sqlite|file):/i.test(url)) {
      const p = url.replace(/^(sqlite|file):(\/\/)?/i, '');
      if (!p) problems.push('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/inventory.sqlite');
      else database = { type: 'sqlite', path: isAbsolute(p) ? p : resolve(cwd, p) };
    } else {
      problems.push(`DATABASE_URL must start with postgres://, postgresql://, sqlite: or file: (got "${url.slice(0, 40)}")`);
    }
  }

  let logLevel: HostLogLevel = 'info';
  if (env['LOG_LEVEL']) {
    const l = env['LOG_LEVEL'].toLowerCase() as HostLogLevel;
    if (!LOG_LEVELS.includes(l)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env['LOG_LEVEL']}")`);
    else logLevel = l;
  }

  let plugins: string[] | undefined;
  if (env['PLUGINS'] !== undefined && env['PLUGINS'].trim() !== '') {
    plugins = env['PLUGINS'].split(',').map((s) => s.trim()).filter(Boolean);
    const bad = plugins.filter((p) => !NPM_NAME.test(p));
    if (bad.length) problems.push(`PLUGINS must be a comma-separated list of built-in plugin ids and npm package names (bad: ${bad.join(', ')})`);
  }
  const pluginsRoot = resolve(cwd, env['PLUGINS_ROOT'] || '.');
  const pluginsDir = env['PLUGINS_DIR'] ? resolve(cwd, env['PLUGINS_DIR']) : undefined;
  if (pluginsDir && !isDirectory(pluginsDir)) problems.push(`PLUGINS_DIR "${pluginsDir}" is not a folder`);
  if (env['PLUGINS_ROOT'] && !isDirectory(pluginsRoot)) problems.push(`PLUGINS_ROOT "${pluginsRoot}" is not a folder`);

  let adminToken = env['ADMIN_TOKEN'];
  let secretsKeyText = env['SECRETS_KEY'];
  let generatedSecrets = false;
  if (adminToken !== undefined && adminToken.length < 24) {
    problems.push('ADMIN_TOKEN must be at least 24 characters (e.g. `openssl rand -base64 32`)');
  }
  let secretsKey: Buffer | undefined;
  if (secretsKeyText !== undefined) {
    secretsKey = parseKey(secretsKeyText);
    if (!secretsKey) problems.push('SECRETS_KEY must be 32 bytes as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)');
  }
  let previousSecretsKey: Buffer | undefined;
  if (env['SECRETS_KEY_PREVIOUS']) {
    previousSecretsKey = parseKey(env['SECRETS_KEY_PREVIOUS']);
    if (!previousSecretsKey) problems.push('SECRETS_KEY_PREVIOUS must be 32 bytes as 64 hex characters or base64');
  }

  if (adminToken === undefined || secretsKeyText === undefined) {
    if (production) {
      if (adminToken === undefined) problems.push('ADMIN_TOKEN is required when NODE_ENV=production');
      if (secretsKeyText === undefined) problems.push('SECRETS_KEY is required when NODE_ENV=production');
    } else if (!problems.length) {
      const gen = loadOrCreateGeneratedSecrets(dataDir, (s, file) => opts.onSecretsGenerated?.(s.adminToken, file));
      adminToken ??= gen.adminToken;
      secretsKeyText ??= gen.secretsKey;
      secretsKey ??= parseKey(secretsKeyText);
      generatedSecrets = true;
    }
  }

  const schedulerEnabled = env['SCHEDULER'] !== 'off';
  const ms = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer number of milliseconds from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const sync: SyncConfig = {
    windowMs: ms('SYNC_WINDOW_MS', 1000, 0, 3_600_000),
    tickMs: ms('SYNC_TICK_MS', 200, 10, 60_000),
    confirmIntervalMs: ms('SYNC_CONFIRM_INTERVAL_MS', 30_000, 50, 3_600_000),
    retryBaseMs: ms('SYNC_RETRY_BASE_MS', 2000, 1, 3_600_000),
    retryCapMs: ms('SYNC_RETRY_CAP_MS', 15 * 60_000, 1, 24 * 3_600_000),
    leaseMs: ms('SYNC_LEASE_MS', 60_000, 1000, 3_600_000),
    enabled: env['SYNC_DISPATCHER'] !== 'off',
  };

  // Generous by default (a UI, scripts and the benchmarks stay well below it); it caps brute force
  // on the token and runaway clients.
  const adminRateLimit = { limit: 6000, windowMs: ms('ADMIN_RATE_WINDOW_MS', 60_000, 100, 3_600_000) };
  if (env['ADMIN_RATE_LIMIT'] !== undefined && env['ADMIN_RATE_LIMIT'] !== '') {
    const n = Number(env['ADMIN_RATE_LIMIT']);
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000) problems.push(`ADMIN_RATE_LIMIT must be an integer number of requests from 1 to 10000000 (got "${env['ADMIN_RATE_LIMIT']}")`);
    else adminRateLimit.limit = n;
  }

  const consoleDir = env['CONSOLE_DIR'] ? resolve(cwd, env['CONSOLE_DIR']) : undefined;
  if (consoleDir && !isDirectory(consoleDir)) problems.push(`CONSOLE_DIR "${consoleDir}" is not a folder (build the console: npx nx build console)`);

  if (problems.length || !adminToken || !secretsKey) throw new ConfigError(problems.length ? problems : ['missing secrets']);
  return {
    port,
    host: env['HOST'] || '0.0.0.0',
    dataDir,
    database,
    adminToken,
    secretsKey,
    previousSecretsKey,
    plugins,
    pluginsRoot,
    pluginsDir,
    logLevel,
    generatedSecrets,
    schedulerEnabled,
    sync,
    jobSettingsRefreshMs: ms('JOB_SETTINGS_REFRESH_MS', 15_000, 100, 3_600_000),
    adminRateLimit,
    consoleDir,
  };
}
