/**
 * Turning failures into words and into the run's own failure, in one place for every playbook.
 * Deterministic workflow code.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { boundDetails, boundText, MAX_FAILURE_MESSAGE } from '../../lib/failure-bounds';

/** The innermost message of a failure chain (ActivityFailure → ApplicationFailure → …). */
export function failureMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let msg = e?.message ?? String(err);
  while (e && typeof e === 'object' && e.cause) {
    e = e.cause as { message?: string; cause?: unknown };
    if (e?.message) msg = e.message;
  }
  return msg;
}

/** The failure type of the innermost ApplicationFailure of a chain, if any. */
export function failureType(err: unknown): string | undefined {
  let e = err as { type?: string; cause?: unknown } | undefined;
  let type: string | undefined;
  while (e && typeof e === 'object') {
    if (typeof e.type === 'string') type = e.type;
    e = e.cause as { type?: string; cause?: unknown } | undefined;
  }
  return type;
}

/**
 * The run's own non-retryable failure for `err`: the innermost failure's type and message (so
 * an activity's `InvalidRunbook` is what the run fails with), `result` attached as details so the
 * CLI and the UI can show the report of a failed run.
 */
export function runFailure(err: unknown, fallbackType: string, result?: unknown, prefix?: string): ApplicationFailure {
  const message = failureMessage(err);
  // Bounded (lib/failure-bounds): the run's failure stays far under gRPC's 4 MB whatever it quotes.
  return ApplicationFailure.create({
    type: failureType(err) ?? fallbackType,
    message: boundText(prefix ? `${prefix}: ${message}` : message, MAX_FAILURE_MESSAGE),
    nonRetryable: true,
    details: result === undefined ? [] : boundDetails([result]),
  });
}
