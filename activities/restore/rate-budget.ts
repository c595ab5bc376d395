/**
 * A per-account, per-region budget of RDS API calls for the drills, so hundreds of concurrent
 * restore verifications (mostly polling) never exceed the account's API rate and never see
 * throttling. Spacing is by the activity clock (simulated ms in sim mode), shared by every
 * activity of the worker: each call takes the next free slot `1000 / callsPerSecond` ms after the
 * previous one and waits for it. Temporal's `maxTaskQueueActivitiesPerSecond` bounds activity
 * starts; this bounds the calls a long-running poll makes inside one activity.
 */
import type { Clock } from '../../lib/clock';
import type { AwsClients, AwsTarget, RdsApi } from '../aws/ports';

/** Spaces calls `1000 / callsPerSecond` clock ms apart (no burst). */
export class CallSpacer {
  private next = 0;
  constructor(
    private readonly clock: Clock,
    readonly callsPerSecond: number,
  ) {}

  /** Resolves when this caller may make its call. */
  async take(): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.next);
    this.next = slot + 1000 / this.callsPerSecond;
    if (slot > now) await this.clock.sleep(slot - now);
  }
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
          await spacer.take();
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
