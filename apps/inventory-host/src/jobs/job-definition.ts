/** What a running job gets from the scheduler. */
export interface JobExecution {
  readonly runId: string;
  readonly signal: AbortSignal;
  progress(done: number, total?: number): void;
}

export interface JobDefinition {
  /** `<plugin>.<job>` or `host.<job>`. */
  name: string;
  /** Plugin id, or `host`. */
  owner: string;
  defaultCron: string;
  description: string;
  run(exec: JobExecution): Promise<Record<string, unknown> | void>;
}

/** Thrown by a job that had nothing it could do (e.g. its plugin is not active): the run is `skipped`. */
export class SkipRun extends Error {}
