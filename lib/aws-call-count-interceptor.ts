/**
 * The worker's side of the AWS calls per run (`lib/aws-call-count.ts`): an activity whose workflow
 * asked for its calls (header `AWS_CALL_COUNT_HEADER`) returns its result in a `MeteredResult`
 * envelope, or appends the calls to its failure's details, counted by `activities/aws/call-meter.ts`
 * over every attempt this process ran (an attempt that ran in another process leaves the figure a
 * lower bound, `complete: false`). A budget-queue activity's `CountedResult` already carries its
 * calls over all attempts and passes through. Installed by `composeWorker` on every worker, outside
 * the failure bounds (it sees the bounded failure).
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { awsCallsOf } from '../activities/aws/call-meter';
import { isCounted } from './aws-budget';
import { ACTIVITY_AWS_CALLS_KEY, AWS_CALL_COUNT_HEADER, awsCallsDetail, type ActivityAwsCalls } from './aws-call-count';

/** Calls of failed attempts that may be retried here, per `<runId>/<activityId>` (oldest dropped past the bound). */
const failedAttempts = new Map<string, { readonly calls: number; readonly attempt: number; readonly complete: boolean }>();
const MAX_REMEMBERED = 10_000;

function remember(key: string, v: { calls: number; attempt: number; complete: boolean }): void {
  failedAttempts.delete(key);
  failedAttempts.set(key, v);
  if (failedAttempts.size > MAX_REMEMBERED) failedAttempts.delete(failedAttempts.keys().next().value!);
}

/** `err` with `calls` appended to its details (failures that carry no details pass unchanged). */
function withCalls(err: unknown, calls: ActivityAwsCalls): unknown {
  if (err instanceof ApplicationFailure) {
    const f = ApplicationFailure.create({
      type: err.type ?? 'Error',
      message: err.message,
      nonRetryable: err.nonRetryable ?? false,
      details: [...(err.details ?? []), awsCallsDetail(calls)],
      ...(err.nextRetryDelay != null ? { nextRetryDelay: err.nextRetryDelay } : {}),
      ...(err.category != null ? { category: err.category } : {}),
      ...(err.cause ? { cause: err.cause } : {}),
    });
    f.stack = err.stack ?? '';
    return f;
  }
  if (err instanceof CancelledFailure) return new CancelledFailure(err.message, [...err.details, awsCallsDetail(calls)], err.cause);
  return err;
}

function countingInterceptor(ctx: Context): ActivityInboundCallsInterceptor {
  return {
    async execute(input, next) {
      if (!input.headers[AWS_CALL_COUNT_HEADER]) return next(input);
      const { attempt, activityId, workflowExecution } = ctx.info;
      const key = `${workflowExecution?.runId ?? ctx.info.activityNamespace}/${activityId}`;
      const before = failedAttempts.get(key);
      failedAttempts.delete(key);
      const prior = before && before.attempt === attempt - 1 ? before : undefined;
      const complete = attempt === 1 || (prior?.complete ?? false);
      const sum = (): ActivityAwsCalls => ({ calls: (prior?.calls ?? 0) + awsCallsOf(ctx), complete });
      let result: unknown;
      try {
        result = await next(input);
      } catch (err) {
        const calls = sum();
        remember(key, { ...calls, attempt });
        throw withCalls(err, calls);
      }
      return isCounted(result) ? result : { [ACTIVITY_AWS_CALLS_KEY]: sum(), value: result };
    },
  };
}

/** The worker's activity interceptors factory (`WorkerOptions.interceptors.activity`, before the failure bounds). */
export const awsCallCountInterceptors: ActivityInterceptorsFactory = (ctx) => ({ inbound: countingInterceptor(ctx) });
