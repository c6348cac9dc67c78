import type { ChannelInstance } from './channel';
import type { PluginLogger } from './context';

export interface JobRunContext {
  /** Aborted when the host shuts down: stop soon and return what was done. */
  readonly signal: AbortSignal;
  readonly logger: PluginLogger;
  /** Channels of this plugin's channel types (secrets decrypted), enabled ones only. */
  channels(): Promise<ChannelInstance<object>[]>;
  /** Progress of a long run, shown on the job run (`done` of `total`). */
  progress(done: number, total?: number): void;
}

/** A job's result summary is stored on the run and shown in the job history. */
export type JobHandler = (ctx: JobRunContext) => Promise<Record<string, unknown> | void>;
