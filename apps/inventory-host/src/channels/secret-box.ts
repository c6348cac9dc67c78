import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { RuleViolationError } from '@invsync/domain-shared';
import type { JsonSchema } from '@invsync/plugin-api';

/**
 * A stored secret does not open with the configured key(s): the channel cannot be used until the
 * right key is configured (a rule violation, 409 on the API; the sync shows it on the listings).
 */
export class SecretKeyMismatchError extends RuleViolationError {
  constructor() {
    super(
      'A stored channel secret cannot be decrypted with SECRETS_KEY (or SECRETS_KEY_PREVIOUS): was the key changed without a rotation? Start the host with the old key in SECRETS_KEY_PREVIOUS to re-encrypt the stored secrets, or give the channel its credentials again.',
      'secrets-key-mismatch',
    );
  }
}

/** How an encrypted value is stored in a settings JSON: `{ "$enc": "v1.<iv>.<tag>.<ciphertext>" }` (base64url). */
export interface Envelope {
  $enc: string;
}

export const isEnvelope = (v: unknown): v is Envelope => typeof v === 'object' && v !== null && typeof (v as Envelope).$enc === 'string';

/**
 * AES-256-GCM encryption of channel secrets at rest. A fresh 96-bit IV per value; the auth tag makes
 * tampering or a wrong key an error rather than garbage. `previous` decrypts values written under an
 * older key during a rotation.
 */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    private readonly previous?: Buffer,
  ) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  seal(value: unknown): Envelope {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return { $enc: ['v1', iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.') };
  }

  open(envelope: Envelope): unknown {
    const [version, iv, tag, data] = envelope.$enc.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('unknown secret envelope format');
    for (const key of [this.key, this.previous]) {
      if (!key) continue;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
        return JSON.parse(text) as unknown;
      } catch {
        // try the previous key
      }
    }
    throw new SecretKeyMismatchError();
  }

  /** True when the envelope opens with the current key (false: written under the previous one). */
  isCurrent(envelope: Envelope): boolean {
    const [, iv, tag, data] = envelope.$enc.split('.');
    if (!iv || !tag || data === undefined) return false;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      decipher.update(Buffer.from(data, 'base64url'));
      decipher.final();
      return true;
    } catch {
      return false;
    }
  }
}

/** Top-level settings properties the schema marks `x-secret`. */
export function secretKeys(schema: JsonSchema): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, s]) => s['x-secret'] === true)
    .map(([k]) => k);
}

/** Replaces secret values with envelopes (for storage). */
export function sealSecrets(settings: Record<string, unknown>, keys: string[], box: SecretBox): Record<string, unknown> {
  const out = { ...settings };
  for (const k of keys) if (out[k] !== undefined && !isEnvelope(out[k])) out[k] = box.seal(out[k]);
  return out;
}

/** Opens envelopes (for the plugin). */
export function openSecrets(settings: Record<string, unknown>, box: SecretBox): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) out[k] = isEnvelope(v) ? box.open(v) : v;
  return out;
}

/**
 * Re-encrypts with the current key every envelope of a settings object that was written under the
 * previous key; null when nothing needed it. Throws SecretKeyMismatchError when one opens with neither.
 */
export function resealSecrets(settings: Record<string, unknown>, box: SecretBox): Record<string, unknown> | null {
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    if (isEnvelope(v) && !box.isCurrent(v)) {
      out[k] = box.seal(box.open(v));
      changed = true;
    } else out[k] = v;
  }
  return changed ? out : null;
}

/** Hides secrets (for responses): `{ set: true }`. */
export function maskSecrets(settings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) out[k] = isEnvelope(v) ? { set: true } : v;
  return out;
}

/** Every string inside a secret value, to keep them out of logs. */
export function secretStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(secretStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(secretStrings);
  return [];
}
