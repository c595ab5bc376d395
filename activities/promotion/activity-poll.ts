/**
 * `pollUntil` wired to the running promotion activity: the runbook's poll intervals, the deadline,
 * the activity's heartbeat and cancellation signal, and (for AWS state waits) reads that ride out
 * throttling and errors mapped once through `withAwsErrors`.
 */
import type { Clock } from '../../lib/clock';
import { withAwsErrors } from '../aws/errors';
import { pollUntil, type PollOptions, type PollResult } from '../aws/poll';
import type { ExpectedDuration } from '../../lib/poll-schedule';
import { activityHooks, readRiding, type ActivityHooks } from './activity-context';
import type { PollSettings, WaitResult } from '../../contracts/promotion';

/** The `pollUntil` options that every promotion wait takes from its activity and input. */
export type ActivityPollOptions = Pick<
  PollOptions<unknown>,
  'clock' | 'intervalMs' | 'fastIntervalMs' | 'timeoutMs' | 'heartbeat' | 'signal'
>;

/**
 * The shared `pollUntil` options: `clock`, the intervals of `poll`, `timeoutMs`, and the heartbeat
 * and cancellation signal of `hooks` (the signal only when there is one).
 */
export function activityPollOptions(clock: Clock, hooks: ActivityHooks, poll: PollSettings, timeoutMs: number): ActivityPollOptions {
  return {
    clock,
    intervalMs: poll.intervalMs,
    fastIntervalMs: poll.fastIntervalMs,
    timeoutMs,
    heartbeat: hooks.heartbeat,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
  };
}

/** Longest adaptive interval, in units of the runbook's slow interval (the heartbeat timeout is 3 of them). */
export const SLOW_FACTOR = 2;

/**
 * Polls an AWS state (`read`, one describe call or a few) until `done` on the current activity's
 * heartbeat and cancellation, each read ridden through `readRiding` so throttling does not restart
 * the measured wait; a `failed` state, the deadline or an AWS error becomes an
 * `ApplicationFailure` through `withAwsErrors(context)`. With `expected` (the operation's usual
 * duration, `OPERATION_DURATIONS`) the reads follow the adaptive schedule (`lib/poll-schedule.ts`):
 * few reads before the usual minimum, every `poll.fastIntervalMs` while the change is due (the same
 * detection latency), a growing interval once overdue; never longer than {@link SLOW_FACTOR} ×
 * `poll.intervalMs`, since the workflow's heartbeat timeout is 3 × that and a wait heartbeats per read.
 */
export function awaitAwsState<T>(
  clock: Clock,
  opts: {
    readonly what: string;
    readonly read: () => Promise<T>;
    readonly done: (state: T) => boolean;
    readonly failed?: (state: T) => string | undefined;
    readonly poll: PollSettings;
    readonly timeoutMs: number;
    /** Names the wait in a mapped error (`withAwsErrors` context). */
    readonly context: string;
    /** Usual duration of the awaited operation, from the wait's start. @default unknown: the two-speed rule of `poll` */
    readonly expected?: ExpectedDuration;
  },
): Promise<PollResult<T>> {
  const hooks = activityHooks();
  return withAwsErrors(
    () =>
      pollUntil<T>({
        what: opts.what,
        read: () => readRiding(opts.read, clock, hooks.signal ? { signal: hooks.signal } : {}),
        done: opts.done,
        ...(opts.failed ? { failed: opts.failed } : {}),
        ...activityPollOptions(clock, hooks, opts.poll, opts.timeoutMs),
        ...(opts.expected
          ? {
              schedule: {
                fastMs: opts.poll.fastIntervalMs,
                slowMs: Math.max(opts.poll.fastIntervalMs, SLOW_FACTOR * opts.poll.intervalMs),
                expected: opts.expected,
              },
            }
          : {}),
      }),
    opts.context,
  );
}

/** The timing part of a {@link WaitResult}: when the wait's end was observed, the read before, and how many reads. */
export function waitTiming(r: PollResult<unknown>): Pick<WaitResult, 'observedAt' | 'previousReadAt' | 'polls'> {
  return { observedAt: r.observedAt, ...(r.previousReadAt !== undefined ? { previousReadAt: r.previousReadAt } : {}), polls: r.polls };
}
