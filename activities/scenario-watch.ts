/**
 * The measured wait the region-cut and instance-termination scenarios share: polls one read until
 * it shows what is awaited, heartbeating and honouring cancellation, and returns a `Detection`
 * (first read that saw it, the read before it, what was seen) — or, at the timeout, a `Detection`
 * saying it was not seen, never an exception: "the alarm never fired" is a finding, not an error.
 * Transient AWS errors of one read are ridden out (`readRiding`) so they do not restart the watch.
 */
import type { Detection } from '../contracts/region-cut';
import type { Clock } from '../lib/clock';
import { activityHooks, readRiding } from './promotion/activity-context';

/** What `detect` polls and how it judges a read. */
export interface DetectOptions<T> {
  /** What is awaited, in words (the Detection's `what`). */
  readonly what: string;
  readonly read: () => Promise<T>;
  /** True when the read shows what is awaited. */
  readonly done: (state: T) => boolean;
  /** One line about a read. */
  readonly describe: (state: T) => string;
  /** Items of a read that already show it (health check ids, alarm names): their first sighting is recorded. */
  readonly items?: (state: T) => readonly string[];
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Polls until `done` or the timeout (see the module doc). */
export async function detect<T>(opts: DetectOptions<T>): Promise<Detection> {
  const hooks = activityHooks();
  const signal = hooks.signal;
  const { clock } = opts;
  const start = clock.now();
  const deadline = start + opts.timeoutMs;
  const items: Record<string, number> = {};
  let polls = 0;
  let previousReadAt: number | undefined;
  let seen = 'not read';
  for (;;) {
    signal?.throwIfAborted();
    const issuedAt = clock.now();
    const state = await readRiding(opts.read, clock, signal ? { signal } : {});
    const readAt = clock.now();
    polls += 1;
    seen = opts.describe(state);
    for (const i of opts.items?.(state) ?? []) items[i] ??= readAt;
    hooks.heartbeat({ what: opts.what, polls, at: readAt });
    const base = { what: opts.what, firstReadAt: start, polls, seen, ...(opts.items ? { items: { ...items } } : {}) };
    if (opts.done(state)) return { ...base, observedAt: readAt, ...(previousReadAt !== undefined ? { previousReadAt } : {}) };
    if (readAt >= deadline) return { ...base, timedOut: `not seen within ${Math.round(opts.timeoutMs / 1000)} s (${polls} reads)` };
    previousReadAt = issuedAt;
    await clock.sleep(Math.max(0, Math.min(opts.intervalMs, deadline - readAt)), signal);
  }
}
