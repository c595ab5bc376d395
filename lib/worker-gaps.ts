/**
 * Worker gaps of a run, and which figures rest on them (issue 15 item 5). A step whose activity
 * result came from a later attempt (`retried`, contracts/promotion.ts) had an earlier attempt end
 * without a result: a failure, or a worker that died and was restarted. Between the two nobody
 * observed the world, so a time the later attempt stamped by its own clock (a wait's first read,
 * an "already done" found by the retry) may be late by the whole gap. A time taken from AWS's own
 * record (an RDS event, a Route 53 SubmittedAt, an earlier attempt's heartbeated issue time) does
 * not rest on the gap. Pure and deterministic: workflows import it.
 */
import type { Measurement, TimelineEvent, TimelineEventName } from './measurement-types';
import { PHASES } from './timeline';

/** One retried step of a run and the timeline events its retried attempt stamped by its own clock. */
export interface WorkerGap {
  readonly step: string;
  readonly attempt: number;
  /** Clock ms the retried attempt started. */
  readonly startedAt: number;
  /** Clock ms of the earlier attempt's last heartbeat the server kept, if any. */
  readonly lastHeartbeatAt?: number;
  /** Events stamped by this attempt's clock (they rest on the gap). */
  readonly restingEvents: readonly TimelineEventName[];
  /** Events of this step whose time came from AWS's own record (they do not rest on it). */
  readonly awsTimedEvents: readonly TimelineEventName[];
}

/** The figures (RTO, phases) of `m` whose start or end is one of `events` in `timeline`. */
export function figuresResting(events: readonly TimelineEventName[], timeline: readonly TimelineEvent[], m: Measurement): string[] {
  const present = (n: TimelineEventName): boolean => timeline.some((e) => e.name === n);
  const out: string[] = [];
  if (m.rto.status === 'measured') {
    const start: TimelineEventName = present('fault-injected') ? 'fault-injected' : 'promotion-requested';
    if (events.includes(start) || events.includes('app-healthy')) out.push('RTO');
  }
  for (const spec of PHASES) {
    if (!m.phases.some((p) => p.phase === spec.phase)) continue;
    const from = spec.from.find(present);
    if ((from !== undefined && events.includes(from)) || events.includes(spec.to)) out.push(`${spec.phase} phase`);
  }
  return out;
}

/** One note per gap: the step, the attempt, the unobserved span and the figures resting on it. */
export function workerGapNotes(gaps: readonly WorkerGap[], timeline: readonly TimelineEvent[], m: Measurement): string[] {
  return gaps.map((g) => {
    const span =
      g.lastHeartbeatAt !== undefined
        ? `nothing was observed from the earlier attempt's last heartbeat to this attempt's start (${g.startedAt - g.lastHeartbeatAt} ms)`
        : 'the earlier attempt left no heartbeat, so the gap’s start is not known';
    const figures = figuresResting(g.restingEvents, timeline, m);
    const rests =
      g.restingEvents.length === 0
        ? 'no event rests on it'
        : `${g.restingEvents.join(', ')} ${g.restingEvents.length === 1 ? 'was' : 'were'} stamped by the retry and may be late by up to the gap`;
    const aws = g.awsTimedEvents.length > 0 ? `; ${g.awsTimedEvents.join(', ')} timed by AWS's own record (not resting on it)` : '';
    const which = figures.length > 0 ? `; figures resting on it: ${figures.join(', ')}` : '; no reported figure rests on it';
    return `worker gap: step ${g.step} completed on attempt ${g.attempt} (an earlier attempt ended without a result: a failure or a lost worker); ${span}; ${rests}${aws}${which}`;
  });
}
