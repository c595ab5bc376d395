/**
 * A per-account, per-region budget of RDS API calls for the drills, so hundreds of concurrent
 * restore verifications (mostly polling) never exceed the account's API rate and never see
 * throttling. Spacing is by the activity clock (simulated ms in sim mode), shared by every
 * activity of the worker: each call takes the next free slot `1000 / callsPerSecond` ms after the
 * previous one and waits for it. Temporal's `maxTaskQueueActivitiesPerSecond` bounds activity
 * starts; this bounds the calls a long-running poll makes inside one activity.
 */
import { Context } from '@temporalio/activity';
import type { Clock } from '../../lib/clock';
import type { AwsClients, AwsTarget, RdsApi } from '../aws/ports';

/**
 * Spaces calls at least `1000 / callsPerSecond` clock ms apart, measured at the moment each call
 * is released (a FIFO chain), so a stalled event loop cannot release a bunch of overdue calls at
 * once. A waiting caller can heartbeat (long queues inside an activity).
 */
export class CallSpacer {
  private chain: Promise<void> = Promise.resolve();
  private lastReleased = -Infinity;
  constructor(
    private readonly clock: Clock,
    readonly callsPerSecond: number,
  ) {}

  /**
   * Resolves with the release time (clock ms) when this caller may make its call; `heartbeat` is
   * called about once per wall second of waiting.
   */
  take(heartbeat?: () => void): Promise<number> {
    const interval = 1000 / this.callsPerSecond;
    const turn = this.chain.then(async () => {
      for (;;) {
        const wait = this.lastReleased + interval - this.clock.now();
        if (wait <= 0) break;
        await this.clock.sleep(Math.min(wait, 1000 * this.clock.scale));
        heartbeat?.();
      }
      this.lastReleased = this.clock.now();
      return this.lastReleased;
    });
    this.chain = turn.then(() => undefined);
    return turn;
  }
}

/** The heartbeat of the current activity, or undefined outside an activity. */
function activityHeartbeat(): (() => void) | undefined {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch (err) {
    ctx = undefined; // not inside an activity (benchmarks, scripts): nothing to heartbeat
    void err;
  }
  return ctx ? () => ctx!.heartbeat({ waiting: 'rds-call-budget' }) : undefined;
}

/**
 * `aws` whose RDS ports share one {@link CallSpacer} per account and region; other services pass
 * through unchanged. `callsPerSecond` undefined = no budget (returns `aws` itself).
 */
export function withRdsBudget(aws: AwsClients, clock: Clock, callsPerSecond: number | undefined): AwsClients {
  if (callsPerSecond === undefined) return aws;
  const spacers = new Map<string, CallSpacer>();
  const spacerOf = (t: AwsTarget): CallSpacer => {
    const key = `${t.accountId ?? 'default'}/${t.region}`;
    let s = spacers.get(key);
    if (!s) spacers.set(key, (s = new CallSpacer(clock, callsPerSecond)));
    return s;
  };
  const rds = (t: AwsTarget): RdsApi => {
    const api = aws.rds(t);
    const spacer = spacerOf(t);
    return new Proxy(api, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          await spacer.take(activityHeartbeat());
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  // Only `rds` is replaced; every other service (present or added later) passes through.
  return new Proxy(aws as AwsClients, {
    get(target, prop, receiver) {
      if (prop === 'rds') return rds;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
