/**
 * Replaces known secret values (refresh token, client secret, access tokens) by `[redacted]` in any
 * text that may reach a log line or an error message.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  constructor(initial: Array<string | undefined> = []) {
    for (const s of initial) this.add(s);
  }

  add(secret: string | undefined): void {
    // Very short values would redact innocent text; real secrets are long.
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out;
  }

  redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!fields) return fields;
    const json = JSON.stringify(fields);
    const red = this.redact(json);
    return red === json ? fields : (JSON.parse(red) as Record<string, unknown>);
  }
}
