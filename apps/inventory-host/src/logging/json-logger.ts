import type { LoggerService, LogLevel } from '@nestjs/common';
import { redactor } from './redactor';

export type HostLogLevel = 'error' | 'warn' | 'info' | 'debug';

const ORDER: Record<HostLogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * A Nest LoggerService writing one JSON object per line (for log shippers), with secrets redacted.
 * Nest's `log` and `verbose` map to `info` and `debug`.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: HostLogLevel = 'info',
    private readonly sink: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

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
    if (ORDER[level] > ORDER[this.level]) return;
    // Nest passes the context as the last string argument, and a stack before it for errors.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
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
    this.sink(JSON.stringify(redactor.redact(entry)));
  }
}
