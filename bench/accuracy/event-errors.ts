/**
 * Per-event and per-phase errors of one benchmark run: the report's timeline and phases against
 * the world's truth of the same events (`RunTruth.events`, simulated ms). Positive = reported later
 * (or longer) than the truth.
 */
import type { PhaseFigure, TimelineEvent, TimelineEventName } from '../../lib/measurement-types';

type TruthEvents = Readonly<Partial<Record<TimelineEventName, number>>>;

/** The phases the promotion reports, by their true start and end events (lib/timeline.ts PHASES). */
const PHASE_TRUTH: Readonly<Record<string, readonly [TimelineEventName, TimelineEventName]>> = {
  promote: ['promotion-started', 'promotion-finished'],
  traffic: ['traffic-shift-started', 'traffic-converged'],
  app: ['traffic-converged', 'app-healthy'],
};

/** Reported − true time of each event the timeline and the truth both have (its first occurrence). */
export function eventErrors(timeline: readonly TimelineEvent[], truth: TruthEvents): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, at] of Object.entries(truth) as [TimelineEventName, number][]) {
    const e = timeline.find((x) => x.name === name);
    if (e) out[name] = Math.round(e.at - at);
  }
  return out;
}

/**
 * Reported − true duration of each phase the report has and the truth can time. The app phase is
 * judged only when the report starts it at traffic-converged (as every bench run with a Route 53
 * change does).
 */
export function phaseErrors(phases: readonly PhaseFigure[], truth: TruthEvents): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of phases) {
    const spec = PHASE_TRUTH[p.phase];
    if (!spec) continue;
    const [from, to] = spec;
    const a = truth[from];
    const b = truth[to];
    if (a === undefined || b === undefined) continue;
    out[p.phase] = Math.round(p.durationMs - (b - a));
  }
  return out;
}

/**
 * For each event the report carries with an observation window (`notBefore`): whether the window
 * (notBefore, at] holds the true time (1 ms of rounding allowed) and its width.
 */
export function eventWindows(
  timeline: readonly TimelineEvent[],
  truth: TruthEvents,
): Record<string, { readonly holds: boolean; readonly widthMs: number }> {
  const out: Record<string, { holds: boolean; widthMs: number }> = {};
  for (const [name, at] of Object.entries(truth) as [TimelineEventName, number][]) {
    const e = timeline.find((x) => x.name === name);
    if (e?.notBefore === undefined) continue;
    out[name] = { holds: at >= e.notBefore - 1 && at <= e.at + 1, widthMs: Math.round(e.at - e.notBefore) };
  }
  return out;
}
