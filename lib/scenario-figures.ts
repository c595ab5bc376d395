/**
 * What the region-cut and instance-termination findings share: one figure from a `Detection`
 * (measured from the fault, judged against its target, with the resolution window), the clock
 * wording each figure label carries, and the verdict over a scenario's figures. Pure.
 */
import type { Detection } from '../contracts/region-cut';
import type { Figure, Measurement, ReportClock } from './measurement-types';
import { reportClock } from './report-clock';
import { formatDuration } from './report/format';
import { judge, notMeasured } from './timeline';

/** Which clock a figure is on, in words: `simulated clock at 600× wall` or `wall clock`. */
export function clockWords(clock: ReportClock): string {
  return clock.kind === 'wall' ? 'wall clock' : `simulated clock at ${clock.scale}× wall`;
}

/** The clock of a scenario report. */
export function scenarioClock(awsMode: 'real' | 'sim', scale: number, startedAtWall: number): ReportClock {
  return reportClock(awsMode, scale, startedAtWall);
}

/**
 * A figure from a detection: `observedAt − from` against `targetMs`, or not measured with the
 * reason. It carries its read window: the true moment lies after the previous read (or the fault,
 * when the first read after it saw the change), so the true value is in (earliestMs, valueMs].
 */
export function detectionFigure(d: Detection | undefined, from: number | undefined, targetMs: number, missing: string): Figure {
  if (from === undefined) return notMeasured('no fault took effect', targetMs);
  if (!d) return notMeasured(missing, targetMs);
  if (d.observedAt === undefined) return notMeasured(`${d.what}: ${d.timedOut ?? 'not seen'}; last read: ${d.seen}`, targetMs);
  const f = judge(Math.max(0, d.observedAt - from), targetMs);
  return withEarliest(f, Math.max(0, (d.previousReadAt ?? from) - from));
}

/** `f` with its window's lower bound (kept only when it is below the value). */
export function withEarliest(f: Figure, earliestMs: number): Figure {
  return f.status === 'measured' && earliestMs < f.valueMs ? { ...f, earliestMs } : f;
}

/** The latest of several figures' moments: its window's lower bound is the latest of their lower bounds. */
export function latestEarliest(figures: readonly Figure[]): number {
  return Math.max(...figures.map((f) => (f.status === 'measured' ? (f.earliestMs ?? f.valueMs) : 0)));
}

/** One line on the resolution of a detection: the true moment lies in (previous read, observed read]. */
export function resolutionNote(name: string, d: Detection | undefined, from: number | undefined): string | undefined {
  if (!d || d.observedAt === undefined || from === undefined) return undefined;
  const lower = Math.max(0, (d.previousReadAt ?? from) - from);
  return `${name}: between ${formatDuration(lower)} and ${formatDuration(d.observedAt - from)} after the fault (previous read, observed read; ${d.polls} reads)`;
}

/**
 * The verdict of a scenario over its figures: `fail` when a figure failed or a `required` figure
 * was not measured because what it awaits never happened (a finding), `pass` when every figure
 * passed, else `not-measured`.
 */
export function scenarioVerdict(figures: readonly Figure[], neverHappened: boolean): Measurement['verdict'] {
  if (figures.some((f) => f.status === 'measured' && f.verdict === 'fail') || neverHappened) return 'fail';
  return figures.every((f) => f.status === 'measured') ? 'pass' : 'not-measured';
}

/** The read window of each detection, for the report's details: the true moment lies in (previousReadAt, observedAt]. */
export function detectionWindows(
  ds: Readonly<Record<string, Detection | undefined>>,
): Record<string, { previousReadAt?: number; observedAt?: number; polls: number }> {
  const out: Record<string, { previousReadAt?: number; observedAt?: number; polls: number }> = {};
  for (const [name, d] of Object.entries(ds)) {
    if (!d) continue;
    out[name] = {
      ...(d.previousReadAt !== undefined ? { previousReadAt: d.previousReadAt } : {}),
      ...(d.observedAt !== undefined ? { observedAt: d.observedAt } : {}),
      polls: d.polls,
    };
  }
  return out;
}
