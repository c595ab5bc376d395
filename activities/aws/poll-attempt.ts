/**
 * A state wait on a budget queue: each activity attempt makes ONE read; when the state is not
 * reached yet the attempt fails with a retryable `StateNotReached` whose `nextRetryDelay` is the
 * adaptive schedule's next delay (`lib/poll-schedule.ts`), so every read is one activity task
 * dispatched through the queue's rate limit, and the wait costs no workflow history per read.
 * The first read time, the previous read and the read count travel between attempts in the
 * heartbeat details (`charged-calls.ts`), so the result has the same resolution bracket as
 * `pollUntil`'s. A read of several calls (e.g. the backtrack and then the cluster) spans as many
 * attempts, one call each: the journal of the calls already made carries over until the read is
 * complete, and the read's issue time is that of its first call.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { Clock } from '../../lib/clock';
import { nextPollDelay, type PollSchedule } from '../../lib/poll-schedule';
import { attemptState, forgetJournal, saveAttemptState } from './charged-calls';
import { PollFailedError, PollTimeoutError, type PollResult } from './poll';

/** What one attempt of a budget-queue wait reads and decides. */
export interface PollAttemptOptions<T> {
  /** One describe call. */
  readonly read: () => Promise<T>;
  readonly done: (state: T) => boolean;
  /** A reason when the state means the wait can never succeed. */
  readonly failed?: (state: T) => string | undefined;
  readonly schedule: PollSchedule;
  /** Give up this many clock ms after the wait began. */
  readonly timeoutMs: number;
  readonly what: string;
}

/** Clock ms at which the current activity was first scheduled (the wait began). */
function waitBeganAt(clock: Clock): number {
  const info = Context.current().info;
  return clock.now() - Math.max(0, Date.now() - info.scheduledTimestampMs) * clock.scale;
}

/**
 * Reads once: returns the `PollResult` when `done`, throws {@link PollFailedError} for a terminal
 * state or {@link PollTimeoutError} past the deadline, else fails the attempt (retryable) to be
 * read again after the schedule's delay.
 */
export async function pollAttempt<T>(clock: Clock, opts: PollAttemptOptions<T>): Promise<PollResult<T>> {
  const st = attemptState();
  if (!st) throw new Error('pollAttempt runs only inside an activity');
  const began = st.poll?.firstReadAt ?? waitBeganAt(clock);
  const continuing = st.poll?.readIssuedAt;
  if (continuing === undefined) forgetJournal(); // a new read asks AWS afresh
  const issuedAt = continuing ?? clock.now();
  const previousReadAt = st.poll?.previousReadAt;
  const before = st.poll?.polls ?? 0;
  // Saved with the journal if this read needs another attempt for its next call.
  st.poll = { firstReadAt: began, ...(previousReadAt !== undefined ? { previousReadAt } : {}), polls: before, readIssuedAt: issuedAt };
  const state = await opts.read();
  const readAt = clock.now();
  const polls = before + 1;
  if (opts.done(state))
    return { state, observedAt: readAt, observedIssuedAt: issuedAt, ...(previousReadAt !== undefined ? { previousReadAt } : {}), polls };
  const failure = opts.failed?.(state);
  if (failure) throw new PollFailedError(`${opts.what}: ${failure}`);
  if (readAt - began >= opts.timeoutMs) {
    throw new PollTimeoutError(`${opts.what}: not reached within ${Math.round(opts.timeoutMs / 1000)} s (${polls} reads)`);
  }
  st.poll = { firstReadAt: began, previousReadAt: issuedAt, polls };
  forgetJournal();
  saveAttemptState();
  const delay = nextPollDelay(opts.schedule, readAt - began);
  throw ApplicationFailure.create({
    type: 'StateNotReached',
    message: `${opts.what}: not yet (${polls} reads); next read in ${Math.round(delay)} clock ms`,
    nextRetryDelay: Math.max(1, Math.round(delay / clock.scale)),
    // Benign: "not yet" is how a budgeted wait paces its reads, not an error (logged at DEBUG, not in error metrics).
    category: ApplicationFailureCategory.BENIGN,
  });
}
