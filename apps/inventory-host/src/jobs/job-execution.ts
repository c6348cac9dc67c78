import type { Logger } from '@nestjs/common';
import type { JobRunStatus } from '../database/entities/job-run.entity';
import { type JobDefinition, SkipRun } from './job-definition';
import type { JobProgress, JobRunHistory } from './job-run-history';

const PROGRESS_FLUSH_MS = 1000;

/**
 * Runs a job once and records how it ended: its summary, `skipped` (SkipRun), `failed` with the
 * error, or `interrupted` when aborted. Progress is written at most once a second while it runs.
 */
export async function executeJob(def: JobDefinition, runId: string, abort: AbortController, history: JobRunHistory, logger: Logger): Promise<void> {
  let progress: JobProgress | null = null;
  let lastFlush = 0;
  let status: JobRunStatus = 'succeeded';
  let summary: Record<string, unknown> | null = null;
  let error: string | null = null;
  try {
    const result = await def.run({
      runId,
      signal: abort.signal,
      progress: (done, total) => {
        progress = { done, total: total ?? null };
        if (Date.now() - lastFlush > PROGRESS_FLUSH_MS) {
          lastFlush = Date.now();
          void history.recordProgress(runId, progress).catch(() => undefined);
        }
      },
    });
    summary = result ?? null;
    if (abort.signal.aborted) status = 'interrupted';
  } catch (e) {
    if (e instanceof SkipRun) {
      status = 'skipped';
      summary = { reason: e.message };
    } else {
      status = 'failed';
      error = (e as Error)?.message ?? String(e);
      logger.error(`job ${def.name} run ${runId} failed: ${error}`);
    }
  }
  await history
    .finish(runId, { status, summary, error, progress })
    .catch((e) => logger.error(`job ${def.name}: could not record the end of run ${runId}: ${(e as Error).message}`));
}
