/** Small helpers shared by the restore, Backtrack and sweeper activities. */
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { pollUntil, type PollOptions, type PollResult } from '../aws/poll';
import { pollAttempt } from '../aws/poll-attempt';
import { adaptiveSchedule, type ExpectedDuration } from '../../lib/poll-schedule';
import type { Observed } from '../../contracts/drill';
import type { RestorePlan } from '../../contracts/restore-verification';
import { withAwsErrors } from '../aws/errors';

/** True for the RDS "does not exist" faults (a success signal in delete paths). */
export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'DBClusterNotFoundFault' || name === 'DBInstanceNotFoundFault' || name === 'DBClusterBacktrackNotFoundFault';
}

/** True for the "already exists" faults a replayed create answers. */
export function isAlreadyExists(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'DBClusterAlreadyExistsFault' || name === 'DBInstanceAlreadyExistsFault';
}

/** Reads a resource, mapping "not found" to `undefined`. */
export async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** `pollUntil` wired to the activity context: heartbeats and cancellation. */
export async function pollInActivity<T>(
  deps: ActivityDeps,
  opts: Omit<PollOptions<T>, 'clock' | 'heartbeat' | 'signal'>,
): Promise<PollResult<T>> {
  const ctx = Context.current();
  return pollUntil({ ...opts, clock: deps.clock, heartbeat: (d) => ctx.heartbeat(d), signal: ctx.cancellationSignal });
}

/** What a drill wait polls: read, done, failed, intervals, deadline (clock and activity hooks are the runner's). */
export type WaitSpec<T> = Omit<PollOptions<T>, 'clock' | 'heartbeat' | 'signal'>;

/** Runs a drill wait: {@link pollInActivity} (one activity polls) or {@link budgetWait} (one read per attempt). */
export type WaitRunner = <T>(deps: ActivityDeps, opts: WaitSpec<T>) => Promise<PollResult<T>>;

/**
 * The runner of a wait on a budget queue: one read per activity attempt (`pollAttempt`), paced by
 * the adaptive schedule of the operation's usual duration (`expected`).
 */
export function budgetWait(expected: ExpectedDuration | undefined): WaitRunner {
  return <T>(deps: ActivityDeps, opts: WaitSpec<T>) =>
    pollAttempt<T>(deps.clock, {
      read: opts.read,
      done: opts.done,
      ...(opts.failed ? { failed: opts.failed } : {}),
      schedule: adaptiveSchedule(expected),
      timeoutMs: opts.timeoutMs,
      what: opts.what,
    });
}

/** The `Observed` shape of a finished poll. */
export function observed<T>(r: PollResult<T>, detail?: string): Observed {
  return {
    observedAt: r.observedAt,
    ...(r.previousReadAt !== undefined ? { previousReadAt: r.previousReadAt } : {}),
    polls: r.polls,
    ...(detail !== undefined ? { detail } : {}),
  };
}

/** A restored resource (cluster or instance) the drill waits on until it is `available`. */
export interface RestoredResource<T extends { readonly status: string }> {
  /** `cluster` or `instance`, for the wait's wording. */
  readonly noun: string;
  readonly id: string;
  readonly read: () => Promise<T>;
  /** States from which it never becomes available. */
  readonly failedStates: ReadonlySet<string>;
}

/** Waits until `res` is `available` (or one of its failed states), with the plan's poll interval and timeout. */
export async function awaitRestoredAvailable<T extends { readonly status: string }>(
  deps: ActivityDeps,
  plan: Pick<RestorePlan, 'pollIntervalMs' | 'waitTimeoutMs'>,
  wait: WaitRunner,
  res: RestoredResource<T>,
): Promise<PollResult<T>> {
  return withAwsErrors(
    () =>
      wait<T>(deps, {
        read: res.read,
        done: (r) => r.status === 'available',
        failed: (r) => (res.failedStates.has(r.status) ? `${res.noun} is ${r.status}` : undefined),
        intervalMs: plan.pollIntervalMs,
        fastIntervalMs: plan.pollIntervalMs,
        timeoutMs: plan.waitTimeoutMs,
        what: `restored ${res.noun} ${res.id} available`,
      }),
    `await ${res.id} available`,
  );
}
