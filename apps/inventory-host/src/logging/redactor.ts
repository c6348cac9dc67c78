/**
 * Keeps secrets out of logs. Two nets: field names that usually hold secrets, and the actual secret
 * values the host has seen (admin token, decrypted credentials), replaced wherever they appear.
 */
const SECRET_KEY = /(secret|token|password|passwd|authorization|refresh|credential|api[-_]?key|private[-_]?key)/i;
const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a secret value; values shorter than 6 characters are ignored (too likely to collide). */
  addSecret(value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= 6) this.values.add(value);
  }

  redactString(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }

  redact(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (value === null || typeof value !== 'object' || depth > 8) return value;
    if (value instanceof Error) {
      return { name: value.name, message: this.redactString(value.message), stack: value.stack && this.redactString(value.stack) };
    }
    if (Array.isArray(value)) return value.map((v) => this.redact(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : this.redact(v, depth + 1);
    }
    return out;
  }
}

/** One redactor per process: secrets registered anywhere are scrubbed from every log line. */
export const redactor = new Redactor();
