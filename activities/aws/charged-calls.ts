/**
 * One AWS call per activity attempt, so that the task queue's server-side rate limit is the call
 * budget (`lib/aws-budget.ts`). On a budget queue:
 *
 * - {@link chargedAws}: the first call an attempt makes goes to AWS; a second one ends the attempt
 *   with a retryable `AwsCallBudgetNextCall` failure (retried after 1 ms), and the next attempt,
 *   dispatched through the rate limit like any task, replays the answers already received from a
 *   journal kept in the heartbeat details, then makes its one new call. An activity of k calls
 *   thus takes k attempts, each charged. Throttling and 5xx answers are not journaled and drop the
 *   journal (the call may have taken effect, so the reads before it are stale): the retry policy
 *   retries from the first call, each retry again one charged attempt.
 * - {@link countCalls}: wraps an activity so its result carries the calls it made over all its
 *   attempts (`CountedResult`), which the workflow adds to its report; `complete: false` when an
 *   earlier attempt died without saving its state (its calls are not in the count).
 * Outside an activity (benchmarks, scripts) calls pass straight through.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { AWS_CALLS_KEY, type CountedResult } from '../../lib/aws-budget';
import { classifyAwsError } from './errors';
import type { AwsClients } from './ports';

/** One answer AWS gave in an earlier attempt. */
interface JournalEntry {
  readonly op: string;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string; readonly httpStatus?: number };
}

/** What a budget-queue wait (`poll-attempt.ts`) keeps across its attempts. */
export interface PollAttemptState {
  /** Clock ms the wait began. */
  readonly firstReadAt: number;
  /** Issue time of the last complete read that did not see the awaited state. */
  readonly previousReadAt?: number;
  /** Complete reads so far. */
  readonly polls: number;
  /** Issue time of a read of several calls still in progress (its first call was made by an earlier attempt). */
  readonly readIssuedAt?: number;
}

/** What an activity on a budget queue keeps across its attempts (its heartbeat details). */
export interface AttemptState {
  /** Answers of earlier attempts, replayed in order. */
  journal: JournalEntry[];
  /** AWS calls made so far by this activity (all attempts). */
  calls: number;
  /** State of a poll wait (`poll-attempt.ts`). */
  poll?: PollAttemptState;
  /** The attempt that saved this state; a gap before the current attempt is an attempt that died unsaved. */
  savedByAttempt?: number;
  /** True once an attempt died unsaved (its calls may be missing from `calls`); carried to every later attempt. */
  callsIncomplete?: boolean;
}

interface Live {
  readonly state: AttemptState;
  next: number;
  fresh: boolean;
}

const live = new WeakMap<Context, Live>();

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch (err) {
    void err; // not inside an activity: nothing is charged
    return undefined;
  }
}

function liveOf(ctx: Context): Live {
  let l = live.get(ctx);
  if (!l) {
    const d = (ctx.info.heartbeatDetails ?? {}) as Partial<AttemptState>;
    const state: AttemptState = { journal: Array.isArray(d.journal) ? d.journal : [], calls: typeof d.calls === 'number' ? d.calls : 0 };
    if (d.poll) state.poll = d.poll;
    // Every attempt that ends saves its state first; one that died (worker killed, timed out) did not.
    const { attempt } = ctx.info;
    if (d.callsIncomplete === true || (attempt > 1 && d.savedByAttempt !== attempt - 1)) state.callsIncomplete = true;
    live.set(ctx, (l = { state, next: 0, fresh: false }));
  }
  return l;
}

/** The state of the current attempt (undefined outside an activity). */
export function attemptState(): AttemptState | undefined {
  const ctx = currentContext();
  return ctx ? liveOf(ctx).state : undefined;
}

/** Drops the journal of earlier attempts (a wait reads the state afresh on every attempt). */
export function forgetJournal(): void {
  const ctx = currentContext();
  if (!ctx) return;
  const l = liveOf(ctx);
  l.state.journal = [];
  l.next = 0;
}

/** Records the current attempt's state as heartbeat details, for the next attempt. */
export function saveAttemptState(): void {
  const ctx = currentContext();
  if (!ctx) return;
  const l = liveOf(ctx);
  l.state.savedByAttempt = ctx.info.attempt;
  ctx.heartbeat(l.state);
}

/** Thrown (retryable, 1 ms) when an attempt would make a second AWS call. */
export function nextCallFailure(op: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'AwsCallBudgetNextCall',
    message: `next AWS call (${op}) takes the next attempt through the budget queue`,
    nextRetryDelay: 1,
    category: ApplicationFailureCategory.BENIGN, // the way a multi-call step pays per call, not an error
  });
}

class ReplayedAwsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
  get $metadata(): { httpStatusCode?: number } {
    return { ...(this.httpStatus !== undefined ? { httpStatusCode: this.httpStatus } : {}) };
  }
}

async function charged(service: string, op: string, call: () => Promise<unknown>): Promise<unknown> {
  const ctx = currentContext();
  if (!ctx) return call();
  const l = liveOf(ctx);
  const key = `${service}.${op}`;
  const recorded = l.state.journal[l.next];
  if (recorded && recorded.op === key) {
    l.next += 1;
    if (recorded.error) throw new ReplayedAwsError(recorded.error.name, recorded.error.message, recorded.error.httpStatus);
    return recorded.result;
  }
  if (recorded) l.state.journal = l.state.journal.slice(0, l.next); // the code took another path: forget the rest
  if (l.fresh) {
    saveAttemptState();
    throw nextCallFailure(key);
  }
  l.fresh = true;
  l.state.calls += 1;
  try {
    const result = await call();
    l.state.journal.push({ op: key, result });
    l.next += 1;
    return result;
  } catch (err) {
    const c = classifyAwsError(err);
    if (!c.retryable) {
      const e = err as { name?: string; message?: string };
      l.state.journal.push({
        op: key,
        error: { name: e.name ?? c.type, message: e.message ?? String(err), ...(c.httpStatusCode ? { httpStatus: c.httpStatusCode } : {}) },
      });
      l.next += 1;
    } else {
      // An uncertain outcome (a mutation may have happened) makes what was read before it stale:
      // the retry starts over, reading again before it writes, as a plain activity retry would.
      l.state.journal = [];
      l.next = 0;
    }
    saveAttemptState();
    throw err;
  }
}

function chargedPort<T extends object>(service: string, port: T): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => charged(service, prop, () => Promise.resolve((v as (...a: unknown[]) => unknown).apply(target, args)));
    },
  });
}

/** `aws` whose every port call is charged as described in the module doc. */
export function chargedAws(aws: AwsClients): AwsClients {
  return new Proxy(aws, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => chargedPort(prop, (v as (...a: unknown[]) => object).apply(target, args));
    },
  });
}

/** Wraps an activity so its result carries the AWS calls it made over all its attempts. */
export function countCalls<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<CountedResult<R>> {
  return async (...args: A) => {
    const value = await fn(...args);
    const st = attemptState();
    return { [AWS_CALLS_KEY]: st?.calls ?? 0, ...(st?.callsIncomplete ? { complete: false as const } : {}), value };
  };
}
