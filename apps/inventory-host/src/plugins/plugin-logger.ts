import type { PluginLogger } from '@invsync/plugin-api';
import type { JsonLogger } from '../logging/json-logger';

/** The logger a plugin sees: its id on every line, redaction by the host's logger. */
export function createPluginLogger(logger: JsonLogger, pluginId: string): PluginLogger {
  const ctx = `plugin:${pluginId}`;
  return {
    debug: (msg, fields) => logger.write('debug', msg, [ctx], fields),
    info: (msg, fields) => logger.write('info', msg, [ctx], fields),
    warn: (msg, fields) => logger.write('warn', msg, [ctx], fields),
    error: (msg, fields) => logger.write('error', msg, [ctx], fields),
  };
}
