import type { PluginLogger } from '@invsync/plugin-api';
import type { SecretRedactor } from './redactor';

/** The logger the client writes to: the plugin contract's logger shape. */
export type SpApiLogger = Pick<PluginLogger, 'debug' | 'info' | 'warn' | 'error'>;

export const noopLogger: SpApiLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Wraps a logger so every message and field passes through the redactor. */
export function redactingLogger(inner: SpApiLogger, redactor: SecretRedactor): SpApiLogger {
  const wrap =
    (level: keyof SpApiLogger) =>
    (message: string, fields?: Record<string, unknown>): void =>
      inner[level](redactor.redact(message), redactor.redactFields(fields));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
