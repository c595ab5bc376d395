/**
 * The one place every activity's outcome is bounded before it reaches history: a thrown error
 * becomes an `ApplicationFailure` classified by `activities/aws/errors.ts` (local and
 * configuration errors non-retryable, AWS errors by name, secrets redacted), with its message,
 * stack and details cut to `lib/failure-bounds.ts`; a result larger than `MAX_RESULT_JSON` fails
 * the activity (non-retryable) instead of breaking the workflow task on the gRPC limit.
 * Installed by `composeWorker` for every worker.
 */
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { toApplicationFailure } from '../activities/aws/errors';
import {
  boundDetails,
  boundText,
  jsonLength,
  MAX_FAILURE_DETAILS,
  MAX_FAILURE_MESSAGE,
  MAX_FAILURE_STACK,
  MAX_RESULT_JSON,
} from './failure-bounds';

/** Failure type of an activity whose result was too large for history. */
export const RESULT_TOO_LARGE = 'ActivityResultTooLarge';

function isCancellation(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'CancelledFailure';
}

/** `err` as a bounded `ApplicationFailure` (cancellation and other Temporal failures pass through). */
export function boundedFailure(err: unknown): unknown {
  if (isCancellation(err) || (err instanceof TemporalFailure && !(err instanceof ApplicationFailure))) return err;
  const f = err instanceof ApplicationFailure ? err : toApplicationFailure(err);
  const detailsLength = jsonLength(f.details ?? []);
  const fits =
    f.message.length <= MAX_FAILURE_MESSAGE &&
    (f.stack ?? '').length <= MAX_FAILURE_STACK &&
    detailsLength >= 0 &&
    detailsLength <= MAX_FAILURE_DETAILS;
  if (fits) return f;
  const bounded = ApplicationFailure.create({
    type: f.type ?? 'Error',
    message: boundText(f.message, MAX_FAILURE_MESSAGE),
    nonRetryable: f.nonRetryable ?? false,
    details: boundDetails(f.details ?? []),
    ...(f.nextRetryDelay != null ? { nextRetryDelay: f.nextRetryDelay } : {}),
    ...(f.category != null ? { category: f.category } : {}),
  });
  bounded.stack = boundText(f.stack ?? '', MAX_FAILURE_STACK);
  return bounded;
}

/** Inbound interceptor: bounds failures and results of each activity execution. */
export const activityBoundsInterceptor: ActivityInboundCallsInterceptor = {
  async execute(input, next) {
    let result: unknown;
    try {
      result = await next(input);
    } catch (err) {
      throw boundedFailure(err);
    }
    const n = jsonLength(result);
    if (n > MAX_RESULT_JSON) {
      throw ApplicationFailure.create({
        type: RESULT_TOO_LARGE,
        message: `activity result of ${n} characters of JSON is over the ${MAX_RESULT_JSON} bound kept under gRPC's 4 MB; narrow the input (runbook, list) that produced it`,
        nonRetryable: true,
      });
    }
    return result;
  },
};

/** The worker's activity interceptors factory (`WorkerOptions.interceptors.activity`). */
export const activityBoundsInterceptors: ActivityInterceptorsFactory = () => ({ inbound: activityBoundsInterceptor });
