import type { LoggerService, LogLevel } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { redactor } from './redactor';
import { currentRequestLogger } from './request-context';

export type HostLogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * A Nest LoggerService writing one JSON object per line (for log shippers) through pino, with
 * secrets redacted. Nest's `log` and `verbose` map to `info` and `debug`. A line written while a
 * request is served carries that request's id (`reqId`, see request-logger.ts).
 */
export class JsonLogger implements LoggerService {
  /** The root pino logger; the request logger (pino-http) derives its children from it. */
  readonly pino: Logger;

  constructor(
    level: HostLogLevel = 'info',
    sink: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {
    this.pino = pino(
      {
        level,
        base: null, // no pid/hostname: the process is known to whoever collects its output
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: {
          level: (label) => ({ level: label }),
          // Secret-looking keys and known secret values, in every object logged.
          log: (entry) => redactor.redact(entry) as Record<string, unknown>,
        },
        // Second net: known secret values anywhere in the finished line (bindings, messages).
        hooks: { streamWrite: (line) => redactor.redactString(line) },
      },
      { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) },
    );
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  setLogLevels(_levels: LogLevel[]) {
    // The level comes from LOG_LEVEL; Nest's own level list is not used.
  }

  /** Structured entry point used by the host's services and the plugin logger. */
  write(level: HostLogLevel, message: unknown, rest: unknown[] = [], fields?: Record<string, unknown>) {
    const target = currentRequestLogger() ?? this.pino;
    if (!target.isLevelEnabled(level)) return;
    // Nest passes the context as the last string argument, and a stack before it for errors.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const entry: Record<string, unknown> = {};
    if (context) entry['context'] = context;
    if (message instanceof Error) {
      entry['msg'] = message.message;
      entry['err'] = message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry['msg'] = String(message);
    }
    const stack = args.find((a) => typeof a === 'string' && a.includes('\n    at '));
    if (stack) entry['stack'] = stack;
    const extra = args.filter((a) => a !== stack);
    if (extra.length) entry['details'] = extra;
    if (fields) Object.assign(entry, fields);
    target[level](entry);
  }
}
