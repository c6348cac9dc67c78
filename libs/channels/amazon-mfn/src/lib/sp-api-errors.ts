import { SpApiError, UnauthorizedError } from '@invsync/amazon-spapi';

/** What a failed SP-API call means for one update: try again later, or a refusal re-sending will not fix. */
export interface FailureMeaning {
  status: 'retry' | 'rejected';
  message: string;
}

/**
 * Throttling, 5xx, timeouts and dropped connections that outlived the client's own retries, and refused
 * credentials (they get fixed in the settings), are `retry`: the host backs off and sends again.
 * Other 4xx answers are about the request itself: `rejected` with Amazon's message.
 */
export function meaningOf(error: unknown, signal?: AbortSignal): FailureMeaning {
  if (signal?.aborted) return { status: 'retry', message: 'interrupted (the host is stopping or the channel changed)' };
  if (error instanceof SpApiError) {
    if (error.retryable) return { status: 'retry', message: error.message };
    if (error instanceof UnauthorizedError) return { status: 'retry', message: `Amazon refused the credentials or the access: ${error.message}` };
    return { status: 'rejected', message: error.message };
  }
  return { status: 'retry', message: error instanceof Error ? error.message : String(error) };
}

/** The message of an error, for logs and health answers (SP-API errors are already free of secrets). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
