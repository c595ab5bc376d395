/**
 * Counts the AWS API calls each activity execution makes through its `AwsClients` ports, for the
 * AWS calls per run every report states (`lib/aws-call-count.ts`). One call = one port method
 * call, the unit the sim logs (`sim.world.apiCalls`) and the budget queues charge; a paged read of
 * the SDK adapters (a CloudWatch or EC2 describe past its first page) counts as one. `dns()` is
 * not an AWS API and is not counted; a call the blast-radius guard refuses never reached AWS and
 * is not counted either. Calls outside an activity (scripts, benchmarks) are not counted.
 */
import { Context } from '@temporalio/activity';
import { BLAST_RADIUS_VIOLATION } from './blast-radius-guard';
import type { AwsClients } from './ports';

const counts = new WeakMap<Context, { calls: number }>();
const METERED = Symbol('gameday.awsCallMeter');

function counterOfCurrent(): { calls: number } | undefined {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch (err) {
    void err; // not inside an activity: nothing to count against
    return undefined;
  }
  let c = counts.get(ctx);
  if (!c) counts.set(ctx, (c = { calls: 0 }));
  return c;
}

/** AWS calls the activity execution of `ctx` has made so far (this attempt). */
export function awsCallsOf(ctx: Context): number {
  return counts.get(ctx)?.calls ?? 0;
}

const refused = (err: unknown): boolean => (err as { type?: unknown } | null)?.type === BLAST_RADIUS_VIOLATION;

function meterPort<T extends object>(port: T): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const counter = counterOfCurrent();
        if (counter) counter.calls += 1;
        const uncount = (err: unknown): never => {
          if (counter && refused(err)) counter.calls -= 1;
          throw err;
        };
        let r: unknown;
        try {
          r = (v as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          return uncount(err);
        }
        return r instanceof Promise ? r.catch(uncount) : r;
      };
    },
  });
}

/** `aws` whose port calls are counted against the current activity execution (idempotent: metering twice counts once). */
export function meteredAws(aws: AwsClients): AwsClients {
  if ((aws as unknown as Record<symbol, unknown>)[METERED]) return aws;
  return new Proxy(aws, {
    get(target, prop, receiver) {
      if (prop === METERED) return true;
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || prop === 'dns') return v;
      return (...args: unknown[]) => meterPort((v as (...a: unknown[]) => object).apply(target, args));
    },
  });
}
