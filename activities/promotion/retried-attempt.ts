/**
 * Marks the result of a retried activity attempt (`retried`, contracts/promotion.ts
 * `RetriedAttempt`): which attempt, when it started, and when the earlier attempt last heartbeated.
 * The workflow turns it into the report's worker-gap note, naming the figures that rest on it.
 */
import type { Clock } from '../../lib/clock';
import type { RetriedAttempt } from '../../contracts/promotion';
import { attemptInfo } from './activity-context';

/** The clock time in an earlier attempt's heartbeat details (`at` of a poll, `issuedAt` of a call), if any. */
export function lastHeartbeatAt(previous: Readonly<Record<string, unknown>> | undefined): number | undefined {
  if (typeof previous?.at === 'number') return previous.at;
  if (typeof previous?.issuedAt === 'number') return previous.issuedAt;
  return undefined;
}

/** Wraps an activity so an object result of attempt > 1 carries `retried`; the first attempt's result is unchanged. */
export function withRetriedAttempt<I, R>(clock: Clock, fn: (input: I) => Promise<R>): (input: I) => Promise<R> {
  return async (input) => {
    const startedAt = clock.now();
    const result = await fn(input);
    const { attempt, previous } = attemptInfo();
    if (attempt <= 1 || typeof result !== 'object' || result === null || Array.isArray(result)) return result;
    const last = lastHeartbeatAt(previous);
    const retried: RetriedAttempt = { attempt, startedAt, ...(last !== undefined ? { lastHeartbeatAt: last } : {}) };
    return { ...result, retried };
  };
}
