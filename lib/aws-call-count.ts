/**
 * AWS calls per run, counted for every playbook in one way: the workflow asks for a count on each
 * activity it schedules (header {@link AWS_CALL_COUNT_HEADER}, `workflows/kit/aws-call-tally.ts`),
 * the worker's activity interceptor (`lib/aws-call-count-interceptor.ts`) answers with the calls
 * the activity made through its `AwsClients` ports (`activities/aws/call-meter.ts`) in an envelope
 * around the result, or appended to the details of its failure, and the workflow adds them up. A
 * budget-queue activity's own envelope (`CountedResult`, `lib/aws-budget.ts`) is counted as is.
 * Either side missing (an older worker, a bundle without the interceptor, a history recorded
 * before) leaves the count "not counted" or "at least", never wrong. Pure and deterministic.
 */

/** Header a workflow sets on an activity it wants the AWS calls of (its presence is the request). */
export const AWS_CALL_COUNT_HEADER = 'gameday-aws-call-count';

/** Key of the envelope (result) and of the failure detail that carry an activity's calls. */
export const ACTIVITY_AWS_CALLS_KEY = '__gamedayActivityAwsCalls';

/** The AWS calls of one activity (all its attempts this worker process saw). */
export interface ActivityAwsCalls {
  readonly calls: number;
  /** False when an earlier attempt ran elsewhere (another worker process): `calls` is then a lower bound. */
  readonly complete: boolean;
}

/** An activity's result with its AWS calls. */
export interface MeteredResult<T> {
  readonly [ACTIVITY_AWS_CALLS_KEY]: ActivityAwsCalls;
  readonly value?: T;
}

function callsIn(v: unknown): ActivityAwsCalls | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const c = (v as Record<string, unknown>)[ACTIVITY_AWS_CALLS_KEY] as Partial<ActivityAwsCalls> | undefined;
  return c && typeof c.calls === 'number' && typeof c.complete === 'boolean' ? { calls: c.calls, complete: c.complete } : undefined;
}

/** True when `r` is a {@link MeteredResult} envelope. */
export function isMetered(r: unknown): r is MeteredResult<unknown> {
  return callsIn(r) !== undefined;
}

/** The calls a failed activity appended to its failure's details (the last detail), if it did. */
export function meteredFailureCalls(details: readonly unknown[] | null | undefined): ActivityAwsCalls | undefined {
  return details && details.length > 0 ? callsIn(details[details.length - 1]) : undefined;
}

/** The failure detail carrying `calls`. */
export function awsCallsDetail(calls: ActivityAwsCalls): { readonly [ACTIVITY_AWS_CALLS_KEY]: ActivityAwsCalls } {
  return { [ACTIVITY_AWS_CALLS_KEY]: calls };
}

/** What a run has counted so far. */
export interface AwsCallTally {
  /** AWS calls counted. */
  calls: number;
  /** Activity executions whose calls were counted. */
  counted: number;
  /** Activity executions whose calls are unknown or only partly known (`calls` is then a lower bound). */
  uncounted: number;
}

/** The AWS call fields of a report's resolution. */
export interface AwsCallsFigure {
  readonly awsCalls?: number;
  readonly awsCallsUncounted?: number;
}

/**
 * The sum of several runs' figures (a game day's children and its own steps): a part without a
 * count (a run from before counting, a preflight) makes the sum a lower bound; none counted, none.
 */
export function sumAwsCalls(parts: readonly (AwsCallsFigure | undefined)[]): AwsCallsFigure {
  let calls = 0;
  let uncounted = 0;
  let counted = 0;
  for (const p of parts) {
    if (p?.awsCalls === undefined) uncounted += 1;
    else {
      counted += 1;
      calls += p.awsCalls;
      uncounted += p.awsCallsUncounted ?? 0;
    }
  }
  return awsCallsFields({ calls, counted, uncounted });
}

/** The report fields of a tally: none when nothing was counted (the run predates counting). */
export function awsCallsFields(t: AwsCallTally | undefined): AwsCallsFigure {
  if (!t || t.counted === 0) return {};
  return { awsCalls: t.calls, ...(t.uncounted > 0 ? { awsCallsUncounted: t.uncounted } : {}) };
}
