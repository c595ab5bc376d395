/** Small helpers shared by the restore, Backtrack and sweeper activities. */
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { pollUntil, type PollOptions, type PollResult } from '../aws/poll';
import { pollAttempt } from '../aws/poll-attempt';
import { adaptiveSchedule, type ExpectedDuration } from '../../lib/poll-schedule';
import type { Observed } from '../../contracts/drill';

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
