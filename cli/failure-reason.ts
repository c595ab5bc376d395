/**
 * Why a run failed, in one line for people, and the report it carried: one walk down the failure
 * chain of a `WorkflowFailedError` (the run's own failure carries the failed step's type and
 * message, and a playbook attaches its report to the failure's details).
 */
import type { WorkflowFailedError } from '@temporalio/client';
import type { RunReport } from '../lib/measurement-types';

/** What the failure chain of a run says: the innermost message and failure type, and the first report attached. */
export interface RunFailure {
  readonly message: string;
  readonly type?: string;
  readonly report?: RunReport;
}

/** Walks the failure chain of `err` once (see {@link RunFailure}). */
export function reportOfFailure(err: WorkflowFailedError): RunFailure {
  let cause: unknown = err.cause;
  let message = err.message;
  let type: string | undefined;
  let report: RunReport | undefined;
  while (cause) {
    const c = cause as { message?: string; type?: string; details?: unknown[]; cause?: unknown };
    if (c.message) message = c.message;
    if (typeof c.type === 'string') type = c.type;
    const d = Array.isArray(c.details) ? c.details[0] : undefined;
    if (!report && typeof d === 'object' && d !== null && (d as Partial<RunReport>).schemaVersion === 1) report = d as RunReport;
    cause = c.cause;
  }
  return { message, ...(type ? { type } : {}), ...(report ? { report } : {}) };
}

/** The innermost message of the failure chain, prefixed with its failure type when it has one. */
export function failureReason(err: WorkflowFailedError): string {
  const f = reportOfFailure(err);
  return f.type ? `${f.type}: ${f.message}` : f.message;
}
