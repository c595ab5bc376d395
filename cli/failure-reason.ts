/**
 * Why a run failed, in one line for people: the innermost failure message of a
 * `WorkflowFailedError` (the run's own failure carries the failed step's type and message).
 */
import type { WorkflowFailedError } from '@temporalio/client';

/** The innermost message of the failure chain, prefixed with its failure type when it has one. */
export function failureReason(err: WorkflowFailedError): string {
  let cause: unknown = err.cause;
  let message = err.message;
  let type: string | undefined;
  while (cause) {
    const c = cause as { message?: string; type?: string; cause?: unknown };
    if (c.message) message = c.message;
    if (typeof c.type === 'string') type = c.type;
    cause = c.cause;
  }
  return type ? `${type}: ${message}` : message;
}
