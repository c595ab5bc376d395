/**
 * State waits used on every measured path, instead of SDK waiters (whose 30 s floor would add its
 * own delay to every RTO). Adaptive interval: `fastIntervalMs` while a transition is due
 * (`isDue`), `intervalMs` otherwise; heartbeats each poll; honours cancellation; fails at a deadline.
 */
import type { Clock } from '../../lib/clock';
import { nextPollDelay, type PollSchedule } from '../../lib/poll-schedule';

/** How `pollUntil` reads a state, decides it is done or hopeless, paces its reads and gives up. */
export interface PollOptions<T> {
  /** Reads the current state (one describe call). */
  readonly read: () => Promise<T>;
  /** True when the wait is over. */
  readonly done: (state: T) => boolean;
  /** Throws (non-retryable) if the state means the wait can never succeed. */
  readonly failed?: (state: T) => string | undefined;
  readonly clock: Clock;
  /** Poll interval in clock ms. @default 1000 */
  readonly intervalMs?: number;
  /** Poll interval while `isDue` says a transition is imminent. @default 250 */
  readonly fastIntervalMs?: number;
  /** Tells whether a transition is expected soon (e.g. an in-progress state). @default always */
  readonly isDue?: (state: T) => boolean;
  /**
   * Paces the reads from the operation's usual duration (`lib/poll-schedule.ts`) instead of
   * `intervalMs` / `fastIntervalMs`. @default none (the two-speed rule)
   */
  readonly schedule?: PollSchedule;
  /** Clock ms the awaited operation started, for `schedule`. @default the first read */
  readonly startedAt?: number;
  /** Give up after this many clock ms. */
  readonly timeoutMs: number;
  /** Called with a small progress value after each read. */
  readonly heartbeat?: (details: unknown) => void;
  readonly signal?: AbortSignal;
  /** Describes what is awaited, for the timeout message. */
  readonly what: string;
}

/** What `pollUntil` saw: the final state and the window in which it changed. */
export interface PollResult<T> {
  readonly state: T;
  /** Clock time of the read that first saw `done`. */
  readonly observedAt: number;
  /**
   * Clock time at which that read was issued. A later window that starts from this read (a watch
   * that first waits for an impairment, then for recovery) must open here, not at `observedAt`:
   * the read's answer may date from any instant after its issue.
   */
  readonly observedIssuedAt: number;
  /**
   * Clock time at which the previous read (the last one that did not see `done`) was issued.
   * The true transition lies in (previousReadAt, observedAt]: a read answers with the state at
   * some instant between its issue and its return, so the issue time is the safe lower bound.
   */
  readonly previousReadAt?: number;
  readonly polls: number;
}

/** Thrown when the deadline passes before `done`. */
export class PollTimeoutError extends Error {
  override readonly name = 'PollTimeoutError';
}

/** Thrown when `failed` reports a terminal state. */
export class PollFailedError extends Error {
  override readonly name = 'PollFailedError';
}

function describeMs(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/**
 * Reads until `done` (returns the state and when it was first seen), `failed` (throws
 * {@link PollFailedError}) or the deadline (throws {@link PollTimeoutError}). The last sleep is
 * cut short so that one final read happens at the deadline. Heartbeats after each read; an
 * aborted `signal` rejects with the signal's reason (before a read or during a sleep).
 */
export async function pollUntil<T>(opts: PollOptions<T>): Promise<PollResult<T>> {
  const { clock } = opts;
  const start = clock.now();
  const deadline = start + opts.timeoutMs;
  const slow = opts.intervalMs ?? 1000;
  const fast = opts.fastIntervalMs ?? 250;
  let polls = 0;
  let previousReadAt: number | undefined;
  for (;;) {
    opts.signal?.throwIfAborted();
    const issuedAt = clock.now();
    const state = await opts.read();
    const readAt = clock.now();
    polls += 1;
    opts.heartbeat?.({ what: opts.what, polls, at: readAt, issuedAt });
    if (opts.done(state)) return { state, observedAt: readAt, observedIssuedAt: issuedAt, previousReadAt, polls };
    const failure = opts.failed?.(state);
    if (failure) throw new PollFailedError(`${opts.what}: ${failure}`);
    if (readAt >= deadline) {
      throw new PollTimeoutError(`${opts.what}: not reached within ${describeMs(opts.timeoutMs)} (${polls} reads)`);
    }
    previousReadAt = issuedAt;
    const due = opts.isDue?.(state) ?? true;
    const interval = opts.schedule ? nextPollDelay(opts.schedule, readAt - (opts.startedAt ?? start), due) : due ? fast : slow;
    await clock.sleep(Math.max(0, Math.min(interval, deadline - readAt)), opts.signal);
  }
}
