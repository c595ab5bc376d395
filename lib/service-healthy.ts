/**
 * When a promoted service was healthy again: the time of the `app-healthy` event, which ends the
 * RTO. Pure and deterministic (the promotion workflow calls it).
 *
 * What it means (unchanged): the service is writable and healthy for the application again — its
 * new writer accepts writes (`promotion-finished`), its traffic points at the promoted region
 * (`traffic-converged`), the application is configured for it (`app-reconfigured`) and its health
 * alarms are OK — and a write through the service endpoint proves it.
 *
 * How it is timed (issue 15 item 4): from the world's own times of those conditions, not from when
 * the check ran. The verify step runs after the last of them; its wall latency (a loaded worker, a
 * task round trip) is not outage. Each condition is an interval its true time lies in:
 * - an event timed by AWS (RDS event, SSM LastModifiedDate / ExecutionEndTime): exactly `at`;
 * - an event seen by polling (`notBefore` set, e.g. Route 53 INSYNC): (`notBefore`, `at`];
 * - the alarms: exactly CloudWatch's OK-since time when known, else (−∞, checked] (no lower bound);
 * - the write: committed at its first attempt = it adds nothing (it confirms the rest); after
 *   failed attempts the service was not writable at the last failure: (last failed attempt,
 *   commit]; a result without attempt counts (older histories) = exactly the commit.
 * The service was healthy at the latest of them: its upper bound is the largest `at`, its lower
 * bound the largest lower bound. `notBefore` is set when the two differ, so the report carries the
 * observation window (Figure `earliestMs`). The time never passes the proof: the write, or the
 * alarm read after it when the alarms say no OK-since time.
 */
import type { TimelineEvent, TimelineEventName } from './measurement-types';

/** The conditions whose world times bound the service's recovery. */
export const HEALTH_CONDITIONS: readonly TimelineEventName[] = ['promotion-finished', 'traffic-converged', 'app-reconfigured'];

/** What the verify step saw. */
export interface ServiceHealthInput {
  /** The run's timeline so far (the last event of each of {@link HEALTH_CONDITIONS} counts). */
  readonly timeline: readonly TimelineEvent[];
  readonly write: {
    readonly at: number;
    readonly endpoint: string;
    /** Attempts until the write committed; absent in results recorded before it was returned. */
    readonly attempts?: number;
    /** Issue time of the last failed attempt (set when `attempts` > 1). */
    readonly previousAttemptAt?: number;
  };
  readonly alarms: { readonly checkedAt: number; readonly okSince?: number; readonly count: number };
}

/** The `app-healthy` stamp: `at` (upper bound), `notBefore` (lower bound, when it differs), what set it. */
export interface ServiceHealthStamp {
  readonly at: number;
  readonly notBefore?: number;
  /** The condition that set `at`. */
  readonly source: string;
  /** `at` was set by the verify step's own reading (the write or an alarm read), not by a world time. */
  readonly byCheck: boolean;
  readonly detail: string;
}

interface Bound {
  readonly what: string;
  readonly at: number;
  readonly lower: number;
  readonly byCheck?: boolean;
}

function conditionBounds(input: ServiceHealthInput): Bound[] {
  const out: Bound[] = [];
  for (const name of HEALTH_CONDITIONS) {
    const e = [...input.timeline].reverse().find((x) => x.name === name && x.at <= input.write.at);
    if (e) out.push({ what: `${name} (${e.source})`, at: e.at, lower: e.notBefore ?? e.at });
  }
  const { alarms, write } = input;
  if (alarms.count > 0) {
    out.push(
      alarms.okSince !== undefined
        ? { what: 'health alarms OK (CloudWatch StateUpdatedTimestamp)', at: alarms.okSince, lower: alarms.okSince }
        : { what: 'health alarms OK (read)', at: alarms.checkedAt, lower: -Infinity, byCheck: true },
    );
  }
  if (write.attempts === undefined) out.push({ what: 'service write', at: write.at, lower: write.at, byCheck: true });
  else if (write.attempts > 1)
    out.push({ what: 'service write', at: write.at, lower: write.previousAttemptAt ?? -Infinity, byCheck: true });
  return out;
}

/** The time the service was healthy again (see the module doc). */
export function serviceHealthyAt(input: ServiceHealthInput): ServiceHealthStamp {
  const bounds = conditionBounds(input);
  const { write } = input;
  const last = bounds.reduce<Bound | undefined>((a, b) => (a === undefined || b.at > a.at ? b : a), undefined);
  const alarmRead = input.alarms.count > 0 && input.alarms.okSince === undefined ? input.alarms.checkedAt : -Infinity;
  const provedAt = Math.max(write.at, alarmRead);
  const at = Math.min(last?.at ?? provedAt, provedAt);
  const lower = Math.min(at, Math.max(...bounds.map((b) => b.lower)));
  const proof =
    write.attempts === 1
      ? `write through ${write.endpoint} committed at its first attempt ${write.at - at} ms later`
      : `write through ${write.endpoint} committed${write.attempts ? ` after ${write.attempts} attempts` : ''}`;
  const alarms = input.alarms.count > 0 ? `; ${input.alarms.count} health alarm(s) OK` : '';
  return {
    at,
    ...(Number.isFinite(lower) && lower < at ? { notBefore: lower } : {}),
    source: last && last.at <= provedAt ? last.what : 'service write',
    byCheck: last === undefined || last.at >= provedAt || last.byCheck === true,
    detail: `healthy since ${last?.what ?? 'the service write'}; ${proof}${alarms}`,
  };
}
