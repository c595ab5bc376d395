/** Formatting helpers shared by the report renderers (pure). */
import type { Figure, RunReport } from '../measurement-types';

/** A duration for humans: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
  if (a < 3_600_000) {
    const m = Math.floor(a / 60_000);
    const s = Math.round((a % 60_000) / 1000);
    return `${sign}${m} min ${String(s).padStart(2, '0')} s`;
  }
  const h = Math.floor(a / 3_600_000);
  const m = Math.round((a % 3_600_000) / 60_000);
  return `${sign}${h} h ${String(m).padStart(2, '0')} min`;
}

/** ISO time of an epoch ms. */
export function formatTime(at: number): string {
  return new Date(at).toISOString();
}

/** One-line text of a figure: value, target, margin and verdict, or "not measured: reason". */
export function figureText(f: Figure): string {
  if (f.status === 'not-measured') return `not measured: ${f.reason} (target ${formatDuration(f.targetMs)})`;
  const margin = f.marginMs >= 0 ? `${formatDuration(f.marginMs)} headroom` : `${formatDuration(-f.marginMs)} over`;
  return `${formatDuration(f.valueMs)}${windowText(f)} vs target ${formatDuration(f.targetMs)}: ${f.verdict.toUpperCase()} (${margin})`;
}

/** ` (seen by polling: from 35.2 s)` when the figure has an observation window, else empty. */
export function windowText(f: Figure): string {
  return f.status === 'measured' && f.earliestMs !== undefined && f.earliestMs < f.valueMs
    ? ` (seen by polling: the true value is between ${formatDuration(f.earliestMs)} and ${formatDuration(f.valueMs)})`
    : '';
}

/** The AWS calls of a run as its resolution states them: exact, a lower bound, or not counted. */
export function awsCallsText(r: { readonly awsCalls?: number; readonly awsCallsUncounted?: number }): string {
  if (r.awsCalls === undefined) return 'AWS API calls not counted';
  if (!r.awsCallsUncounted) return `${r.awsCalls} AWS API calls`;
  const n = r.awsCallsUncounted;
  return `at least ${r.awsCalls} AWS API calls (${n} activity execution${n === 1 ? '' : 's'} with calls unknown: a timeout, a cancellation, or an attempt on another worker)`;
}

/** The resolution sentence every report carries. */
export function resolutionText(r: {
  readonly pollIntervalMs?: number;
  readonly canaryRatePerSecond?: number;
  readonly canaryAchievedRatePerSecond?: number;
  readonly awsCalls?: number;
  readonly awsCallsUncounted?: number;
}): string {
  const parts: string[] = [];
  parts.push(
    r.pollIntervalMs !== undefined
      ? `state polled every ${formatDuration(r.pollIntervalMs)} (RTO events ±${formatDuration(r.pollIntervalMs)})`
      : 'poll interval not stated',
  );
  parts.push(
    r.canaryRatePerSecond !== undefined
      ? `canary at ${r.canaryRatePerSecond} writes/s configured${r.canaryAchievedRatePerSecond !== undefined ? `, ${r.canaryAchievedRatePerSecond} achieved` : ''} (RPO ±${formatDuration(1000 / r.canaryRatePerSecond)})`
      : 'no canary rate (RPO not measured by a canary)',
  );
  parts.push(awsCallsText(r));
  return parts.join('; ');
}

/** Name of a per-component figure row: `RTO <component>`, plus what it measures when labelled. */
export function componentFigureName(c: { readonly component: string; readonly label?: string }): string {
  return c.label ? `RTO ${c.component} (${c.label})` : `RTO ${c.component}`;
}

/** The label of a heading over times: which clock they are on (empty for reports without a clock label). */
export function timesLabel(report: RunReport): string {
  const c = report.clock;
  if (!c) return '';
  return c.kind === 'simulated' ? ` (times on the simulated clock, ${c.scale}× wall time)` : ' (times wall-clock, UTC)';
}

/** The lines that say which clock a report's times are on (empty for reports without a clock label). */
export function clockLines(report: RunReport): string[] {
  const c = report.clock;
  if (!c) return [];
  const started = c.startedAtWall !== undefined ? `Started ${formatTime(c.startedAtWall)} (wall clock). ` : '';
  const label = c.kind === 'simulated' ? `**Simulated times (${c.scale}×).** ` : '';
  return [`${label}${started}${c.note}.`, ''];
}
