/**
 * The workflow's side of the AWS calls per run (`lib/aws-call-count.ts`): a workflow interceptor
 * module (registered with `interceptors.workflowModules`, see `lib/workflow-interceptor-modules.ts`)
 * that asks every activity for its AWS calls and adds them to the run's tally, which `finishRun`
 * and the reports read through {@link awsCallTally}. Activity results reach the workflow code
 * unwrapped, exactly as before; a budget-queue `CountedResult` is counted and passed on for
 * `budgetProxies` to unwrap. An activity that comes back without its calls (an older worker, a
 * timeout, a history recorded before counting) is counted as unknown. Deterministic: the tally
 * follows the results in history, and the header changes no command's type or order.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  defaultPayloadConverter,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { AWS_CALLS_KEY, isCounted } from '../../lib/aws-budget';
import { ACTIVITY_AWS_CALLS_KEY, AWS_CALL_COUNT_HEADER, isMetered, meteredFailureCalls, type AwsCallTally } from '../../lib/aws-call-count';

// Workflow globals are per run (the worker swaps them between runs); module state is not.
const GLOBAL_KEY = '__gamedayAwsCallTally';
const store = globalThis as unknown as Record<string, AwsCallTally | undefined>;

/** The run's AWS call tally; undefined when this module is not installed on the worker. */
export function awsCallTally(): AwsCallTally | undefined {
  return store[GLOBAL_KEY];
}

function counted(t: AwsCallTally, r: unknown): unknown {
  if (isMetered(r)) {
    const c = r[ACTIVITY_AWS_CALLS_KEY];
    t.calls += c.calls;
    t.counted += 1;
    if (!c.complete) t.uncounted += 1;
    return r.value;
  }
  if (isCounted(r)) {
    t.calls += r[AWS_CALLS_KEY];
    t.counted += 1;
    if (r.complete === false) t.uncounted += 1;
    return r; // budgetProxies unwrap it
  }
  t.uncounted += 1;
  return r;
}

function failed(t: AwsCallTally, err: unknown): void {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const c = cause instanceof ApplicationFailure || cause instanceof CancelledFailure ? meteredFailureCalls(cause.details) : undefined;
  if (!c) {
    t.uncounted += 1;
    return;
  }
  t.calls += c.calls;
  t.counted += 1;
  if (!c.complete) t.uncounted += 1;
}

async function tallied(t: AwsCallTally, result: Promise<unknown>): Promise<unknown> {
  try {
    return counted(t, await result);
  } catch (err) {
    failed(t, err);
    throw err;
  }
}

/** Asks each scheduled activity for its AWS calls and tallies them. */
class AwsCallCounter implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly tally: AwsCallTally) {}

  scheduleActivity: NonNullable<WorkflowOutboundCallsInterceptor['scheduleActivity']> = (input, next) =>
    tallied(this.tally, next({ ...input, headers: { ...input.headers, [AWS_CALL_COUNT_HEADER]: defaultPayloadConverter.toPayload(1) } }));

  scheduleLocalActivity: NonNullable<WorkflowOutboundCallsInterceptor['scheduleLocalActivity']> = (input, next) =>
    tallied(this.tally, next({ ...input, headers: { ...input.headers, [AWS_CALL_COUNT_HEADER]: defaultPayloadConverter.toPayload(1) } }));
}

/** The module's interceptors (Temporal loads `interceptors` from each of `workflowModules`): a fresh tally per run. */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const tally: AwsCallTally = { calls: 0, counted: 0, uncounted: 0 };
  store[GLOBAL_KEY] = tally;
  return { outbound: [new AwsCallCounter(tally)] };
};
