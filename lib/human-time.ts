/**
 * Time a person spends is never scaled. In a rehearsal on the simulated AWS the activities' clock
 * runs `scale` times faster than wall time, so a 5-minute approval would read as 5 hours at 60×.
 * Events that bound a human wait (`approval-requested` → `decision-made`) carry the wall time
 * they were stamped at (`wallAt`); every span that contains such a wait counts the wait at its
 * wall duration and the rest at the activities' clock. On real AWS both clocks agree and the
 * adjustment is 0. Pure and deterministic; unit-tested in `test/human-time.test.ts`.
 */
import type { TimelineEvent, TimelineEventName } from './measurement-types';

/** A wait for a person: its bounds on the activities' clock and its wall duration. */
export interface HumanWait {
  /** What was awaited, e.g. `approval`. */
  readonly what: string;
  /** Activities'-clock ms the wait began and ended. */
  readonly fromAt: number;
  readonly toAt: number;
  /** Wall-clock ms the person took. */
  readonly wallMs: number;
}

/** Pairs of events that bound a human wait. */
const WAITS: readonly { readonly what: string; readonly from: TimelineEventName; readonly to: TimelineEventName }[] = [
  { what: 'approval', from: 'approval-requested', to: 'decision-made' },
];

/** The human waits of a timeline (only those whose both ends carry a wall time). */
export function humanWaitsOf(timeline: readonly TimelineEvent[]): HumanWait[] {
  const out: HumanWait[] = [];
  for (const w of WAITS) {
    const from = timeline.find((e) => e.name === w.from && e.wallAt !== undefined);
    const to = from && timeline.find((e) => e.name === w.to && e.wallAt !== undefined && e.at >= from.at);
    if (from && to) out.push({ what: w.what, fromAt: from.at, toAt: to.at, wallMs: Math.max(0, to.wallAt! - from.wallAt!) });
  }
  return out;
}

/**
 * Duration of the span [startAt, endAt] (activities' clock) with each human wait inside it
 * counted at its wall duration instead of its clock duration.
 */
export function spanWithHumanTime(startAt: number, endAt: number, waits: readonly HumanWait[]): number {
  let d = endAt - startAt;
  for (const w of waits) {
    if (w.fromAt >= startAt && w.toAt <= endAt) d += w.wallMs - (w.toAt - w.fromAt);
  }
  return d;
}
