import type { Response } from 'express';
import { API_PREFIX } from '../common/api-prefix';

/** What a request that started (or joined) long work answers: 202, the run, and where to follow it. */
export interface AcceptedRun {
  runId: string;
  job: string;
  /** False when the same work was already running: this is that run. */
  started: boolean;
  location: string;
}

export function acceptedRun(res: Response, job: string, run: { runId: string; started: boolean }): AcceptedRun {
  const location = `/${API_PREFIX}/job-runs/${run.runId}`;
  res.status(202).location(location);
  return { runId: run.runId, job, started: run.started, location };
}
