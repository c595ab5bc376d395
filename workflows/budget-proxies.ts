/**
 * Proxies of a drill's AWS steps on its account's budget queue (`lib/aws-budget.ts`): every
 * attempt there is one AWS call, dispatched within the fleet-wide rate the workers set on the
 * queue. Results arrive in a `CountedResult` envelope; the proxies unwrap it and add the calls to
 * the run's {@link AwsCallCount}. Attempts are unlimited (a wait's reads and a multi-call step's
 * calls are attempts); each proxy is bounded by its schedule-to-close time instead. Not a
 * workflow module (not re-exported from `index.ts`).
 */
import {
  ActivityCancellationType,
  CancellationScope,
  CancelledFailure,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { AWS_CALLS_KEY, awsBudgetQueue, isCounted, type BudgetTarget } from '../lib/aws-budget';
import type { DrillSizing } from './drill-proxies';

/** The AWS calls a run's budget-queue steps made (over all their attempts). */
export class AwsCallCount {
  /** Calls counted so far. */
  total = 0;
}

const WAIT = { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED } as const;
const RETRY = { initialInterval: '1 second', maximumInterval: '30 seconds' } as const; // no maximumAttempts

function counted<T extends object>(proxy: T, count: AwsCallCount): T {
  return new Proxy(proxy, {
    get(target, prop) {
      const fn = (target as Record<string | symbol, unknown>)[prop] as (...a: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        let r: unknown;
        try {
          r = await fn(...args);
        } catch (err) {
          // A cancellation that arrives while an attempt runs ends the activity with that attempt's
          // own (retryable) failure, not as cancelled: it is the run's cancellation all the same.
          if (!isCancellation(err) && CancellationScope.current().consideredCancelled) {
            throw new CancelledFailure(`cancelled while ${String(prop)} was between attempts`, [], err as Error);
          }
          throw err;
        }
        if (!isCounted(r)) return r;
        count.total += r[AWS_CALLS_KEY];
        return r.value;
      };
    },
  });
}

/** The first AWS step of a drill (the source read of the prepare step), before the plan sizes anything. */
export function budgetPrepareProxy<A extends object>(target: BudgetTarget, count: AwsCallCount) {
  const taskQueue = awsBudgetQueue(workflowInfo().taskQueue, target);
  return counted(
    proxyActivities<A>({ ...WAIT, taskQueue, startToCloseTimeout: '2 minutes', scheduleToCloseTimeout: '1 hour', retry: RETRY }),
    count,
  );
}

/** The drill's AWS steps and undos on the budget queue of `target`, grouped like `drillProxies`. */
export function budgetProxies<A extends object>(plan: DrillSizing & { readonly target: BudgetTarget }, count: AwsCallCount) {
  const taskQueue = awsBudgetQueue(workflowInfo().taskQueue, plan.target);
  // The activities enforce the wait's deadline on their clock; this is the backstop in wall time.
  const waitMs = 2 * Math.ceil(plan.waitTimeoutMs / plan.clockScale) + 60 * 60_000;
  const step = { ...WAIT, taskQueue, startToCloseTimeout: '30 seconds' } as const;
  return {
    /** One AWS mutation (read before write: one attempt per call). */
    mutate: counted(proxyActivities<A>({ ...step, scheduleToCloseTimeout: '1 hour', retry: RETRY }), count),
    /** State waits: one read per attempt, paced by the adaptive schedule. */
    observe: counted(proxyActivities<A>({ ...step, scheduleToCloseTimeout: waitMs, retry: RETRY }), count),
    /** Undo mutations: retried until they succeed. */
    undo: counted(proxyActivities<A>({ ...step, retry: RETRY }), count),
    /** Undo waits: retried until they succeed. */
    undoWait: counted(proxyActivities<A>({ ...step, retry: RETRY }), count),
  };
}
