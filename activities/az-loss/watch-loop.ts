/**
 * The loop every recovery watch runs: it continues from the baseline read made before the fault
 * (`armRecoveryWatch`), or from its own heartbeat checkpoint when it is a retry, and polls
 * (heartbeating a resumable checkpoint after every read) until its thing serves again from
 * outside the lost AZ. The true recovery lies in (previous read, observed read]: one poll interval.
 */
import { Context } from '@temporalio/activity';
import type { WatchBaseline, WatchObservation } from '../../contracts/az-loss';
import { PollTimeoutError, pollUntil } from '../aws/poll';
import type { ActivityDeps } from '../deps';
import type { ActivityHooks } from '../promotion/activity-context';
import type { ReadState, WatchRead } from './reads';

/**
 * Heartbeat checkpoint of a recovery watch: a retried attempt resumes from it (keeps the
 * instances it saw lost and its last read time) instead of starting again from the baseline.
 */
export interface WatchCheckpoint {
  readonly v: 2;
  /** Component id or `service`. */
  readonly watch: string;
  readonly firstReadAt: number;
  readonly baseline: string;
  /**
   * Issue time of the last read that did not see recovery: a retried attempt's window opens here
   * (the read's answer may date from any instant after its issue, so its return time is no bound).
   */
  readonly lastReadAt: number;
  readonly polls: number;
  readonly last: string;
  readonly detectedAt?: number;
  readonly attempts: number;
  /** EC2: instances listed in the AZ by the baseline read. */
  readonly firstInAz?: readonly string[];
  /** EC2: instances of the AZ seen stopped, unhealthy or gone. */
  readonly lost?: readonly string[];
}

/** The checkpoint of a previous attempt of watch `watch`, if this attempt is a retry of it. */
export function resumeCheckpoint(watch: string): WatchCheckpoint | undefined {
  let details: unknown;
  try {
    details = Context.current().info.heartbeatDetails;
  } catch {
    return undefined; // not inside an activity (bench, direct calls): nothing to resume
  }
  const cp = details as Partial<WatchCheckpoint> | undefined;
  return cp && typeof cp === 'object' && cp.v === 2 && cp.watch === watch && typeof cp.lastReadAt === 'number'
    ? (cp as WatchCheckpoint)
    : undefined;
}

/** The EC2 read state a watch starts from: its checkpoint's, else its baseline's. */
export function startState(baseline: WatchBaseline, cp: WatchCheckpoint | undefined): ReadState {
  const firstInAz = cp?.firstInAz ?? baseline.firstInAz;
  return { lost: new Set(cp?.lost ?? baseline.lost ?? []), ...(firstInAz ? { firstInAz: [...firstInAz] } : {}) };
}

/** The attempt number of the current activity (1 outside an activity). */
function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** What `runWatch` needs. */
export interface WatchLoop {
  readonly watch: string;
  /** What is awaited, for the poll's messages. */
  readonly what: string;
  readonly input: { readonly timeoutMs: number; readonly pollIntervalMs: number; readonly baseline: WatchBaseline };
  readonly hooks: ActivityHooks;
  readonly resumed: WatchCheckpoint | undefined;
  readonly read: () => Promise<WatchRead>;
  readonly checkpointExtra: () => Pick<WatchCheckpoint, 'lost' | 'firstInAz'>;
}

/**
 * Polls from the baseline (or the checkpoint) in two phases, each with its own deadline: until
 * the thing is seen impaired (or already recovered) within `timeoutMs` of the baseline, then until
 * it recovers within `timeoutMs` of being seen impaired, so time spent before the fault never
 * eats into the recovery budget. A timeout is a result with a note, not an error.
 */
export async function runWatch(deps: ActivityDeps, w: WatchLoop): Promise<WatchObservation> {
  const { input, hooks } = w;
  const b = input.baseline;
  if (b.ok && !w.resumed) {
    const note = `${w.watch}: not measured: already serving outside the AZ at the baseline read before the fault (${b.seen})`;
    return { polls: 1, firstReadAt: b.at, baseline: b.seen, last: b.seen, attempts: 1, note };
  }
  let cp: WatchCheckpoint = w.resumed
    ? { ...w.resumed, attempts: w.resumed.attempts + 1 }
    : { v: 2, watch: w.watch, firstReadAt: b.at, baseline: b.seen, lastReadAt: b.at, polls: 1, last: b.seen, attempts: currentAttempt() };
  if (w.resumed)
    deps.logger.info({ watch: w.watch, lastReadAt: cp.lastReadAt, polls: cp.polls }, 'recovery watch resumed from its checkpoint');
  const poll = (done: (s: WatchRead) => boolean, deadlineAt: number, what: string) =>
    pollUntil({
      read: async () => {
        const s = await w.read();
        if (s.impaired && cp.detectedAt === undefined) cp = { ...cp, detectedAt: deps.clock.now() };
        cp = { ...cp, last: s.what };
        return s;
      },
      done,
      clock: deps.clock,
      intervalMs: input.pollIntervalMs,
      fastIntervalMs: input.pollIntervalMs,
      timeoutMs: Math.max(0, deadlineAt - deps.clock.now()),
      heartbeat: (d) => {
        const at = (d as { issuedAt?: number }).issuedAt ?? deps.clock.now();
        cp = { ...cp, ...w.checkpointExtra(), lastReadAt: at, polls: cp.polls + 1 };
        hooks.heartbeat(cp);
      },
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      what,
    });
  let priorReadAt = cp.lastReadAt;
  const observed = (): Omit<WatchObservation, 'recoveredWindow' | 'note'> => ({
    polls: cp.polls,
    firstReadAt: cp.firstReadAt,
    baseline: cp.baseline,
    last: cp.last,
    attempts: cp.attempts,
    ...(cp.detectedAt !== undefined ? { detectedAt: cp.detectedAt } : {}),
  });
  try {
    if (cp.detectedAt === undefined) {
      const seen = await poll((s) => s.ok || s.impaired, cp.firstReadAt + input.timeoutMs, `${w.what} (impairment or recovery)`);
      if (seen.state.ok) {
        return { ...observed(), recoveredWindow: { previousReadAt: seen.previousReadAt ?? priorReadAt, observedAt: seen.observedAt } };
      }
      priorReadAt = seen.observedIssuedAt; // that read said "impaired": recovery came after its issue
    }
    const res = await poll((s) => s.ok, cp.detectedAt! + input.timeoutMs, w.what);
    return { ...observed(), recoveredWindow: { previousReadAt: res.previousReadAt ?? priorReadAt, observedAt: res.observedAt } };
  } catch (err) {
    if (!(err instanceof PollTimeoutError)) throw err;
    const limit = `${Math.round(input.timeoutMs / 1000)} s`;
    return {
      ...observed(),
      note:
        cp.detectedAt === undefined
          ? `${w.watch}: not seen impaired nor recovered within ${limit} of its baseline read before the fault (last seen: ${cp.last})`
          : `${w.watch} did not recover within ${limit} of being seen impaired (last seen: ${cp.last})`,
    };
  }
}
