import type { TestHost } from './test-host';
import { waitFor } from './test-host';

export interface FinishedRun {
  id: string;
  job: string;
  status: 'succeeded' | 'failed' | 'skipped' | 'interrupted';
  summary: Record<string, unknown> | null;
  error: string | null;
}

/**
 * Long work (a channel's reconcile or import) answers 202 with a run and its Location: this posts,
 * checks that answer, follows the Location until the run ends and returns the ended run.
 */
export async function runAndFollow(host: TestHost, path: string, body: object = {}, timeoutMs = 60_000): Promise<FinishedRun> {
  const res = await host.api().post(path).send(body).expect(202);
  const location = res.headers['location'];
  expect(location).toBe(`/api/v1/job-runs/${res.body.runId}`);
  return waitFor(async () => {
    const run = (await host.api().get(location).expect(200)).body as FinishedRun | { status: 'running' };
    return run.status === 'running' ? undefined : (run as FinishedRun);
  }, timeoutMs, 50);
}

/** As `runAndFollow`, for a run that must succeed: its summary. */
export async function runToSummary<T = Record<string, unknown>>(host: TestHost, path: string, body: object = {}, timeoutMs?: number): Promise<T> {
  const run = await runAndFollow(host, path, body, timeoutMs);
  expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
  return run.summary as T;
}

/**
 * Runs a scheduled job now (`POST /api/v1/jobs/:name/run`, 202 with the run's id) and follows the run
 * until it ends; returns the ended run, whatever its status.
 */
export async function runJob(host: TestHost, name: string, timeoutMs = 30_000): Promise<FinishedRun> {
  const started = await host.api().post(`/api/v1/jobs/${name}/run`).expect(202);
  return waitFor(async () => {
    const run = (await host.api().get(`/api/v1/job-runs/${started.body.runId}`).expect(200)).body as FinishedRun | { status: 'running' };
    return run.status === 'running' ? undefined : (run as FinishedRun);
  }, timeoutMs, 50);
}
