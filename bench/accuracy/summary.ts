/** The accuracy benchmark's per-run errors and the per-mode summary table (simulated ms). */
import type { PromotionMode } from '../../contracts/promotion';

/** One run's errors against the ground truth (simulated ms; positive = reported later / larger than the truth). */
export interface AccuracyRun {
  readonly mode: PromotionMode;
  /** Set on a worker-kill run: the activity the worker was killed in. */
  readonly killedIn?: string;
  readonly rtoErrorMs: number;
  /** Reported RTO start − the request (the bench's clock before starting the workflow). */
  readonly rtoStartErrorMs: number;
  /** Reported recovery (app-healthy) − the service recovered in the world. */
  readonly rtoEndErrorMs: number;
  /** Reported promotion end − the promoted cluster writable. */
  readonly promoteEndErrorMs: number;
  /** `rds-event` when AWS's own time was used, else the observing activity. */
  readonly promoteEndSource: string;
  /** Undefined when the report says the lost-write count is not measured. */
  readonly lostMeasured: number | undefined;
  /** Writes the report files as sent while the promote call was in flight (lost or split brain, see `inFlightAtPromotion`). */
  readonly lostInFlight: number;
  readonly lostTrue: number;
  /** NaN when RPO was not measured. */
  readonly rpoErrorMs: number;
  /** Whether the report has a worker-gap note. */
  readonly gapNamed: boolean;
  /** 1-minute load average around the run. */
  readonly load1: number;
  /** Reported − true time of each timeline event the report and the truth both have. */
  readonly eventErrorsMs?: Readonly<Record<string, number>>;
  /** Reported − true duration of each phase (promote, traffic, app) the report has. */
  readonly phaseErrorsMs?: Readonly<Record<string, number>>;
  /** Per event carried with an observation window: whether it holds the true time, and its width. */
  readonly eventWindows?: Readonly<Record<string, { readonly holds: boolean; readonly widthMs: number }>>;
  /** The reported RTO's observation window (earliestMs, valueMs] holds the true RTO (within 1 ms); absent without a window. */
  readonly rtoWindowHolds?: boolean;
  /** valueMs − earliestMs of the reported RTO; absent when the RTO carries no window. */
  readonly rtoWindowMs?: number;
}

/** One row of the table: a mode, plain or worker-kill runs. */
export interface AccuracyRow {
  readonly mode: string;
  readonly runs: number;
  readonly rtoMedianAbsMs: number;
  readonly rtoP95AbsMs: number;
  readonly rtoWorstAbsMs: number;
  readonly rtoWithin1s: number;
  readonly startMedianAbsMs: number;
  readonly promoteEndWorstAbsMs: number;
  readonly promoteEndFromAws: number;
  readonly lostExact: number;
  /** Runs whose truth lies in [lost, lost + in-flight] without being exact. */
  readonly lostWithinInFlight: number;
  readonly lostNotMeasured: number;
  readonly rpoMedianAbsMs: number;
  readonly rpoWorstAbsMs: number;
  readonly gapsNamed: number;
  readonly load: string;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Per mode and kind (plain / worker-kill): the error statistics (see {@link AccuracyRow}). */
export function summarize(runs: readonly AccuracyRun[]): AccuracyRow[] {
  const groups = new Map<string, AccuracyRun[]>();
  for (const r of runs) {
    const key = `${r.mode}${r.killedIn ? ' + worker kill' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].map(([mode, rs]) => {
    const rto = rs.map((r) => Math.abs(r.rtoErrorMs));
    const loads = rs.map((r) => r.load1);
    const rpo = rs.map((r) => Math.abs(r.rpoErrorMs)).filter((x) => !Number.isNaN(x));
    return {
      mode,
      runs: rs.length,
      rtoMedianAbsMs: median(rto),
      rtoP95AbsMs: quantile(rto, 0.95),
      rtoWorstAbsMs: Math.max(...rto),
      rtoWithin1s: rto.filter((e) => e <= 1000).length,
      startMedianAbsMs: median(rs.map((r) => Math.abs(r.rtoStartErrorMs))),
      promoteEndWorstAbsMs: Math.max(...rs.map((r) => Math.abs(r.promoteEndErrorMs))),
      promoteEndFromAws: rs.filter((r) => r.promoteEndSource === 'rds-event').length,
      lostExact: rs.filter((r) => r.lostMeasured === r.lostTrue).length,
      lostWithinInFlight: rs.filter(
        (r) =>
          r.lostMeasured !== undefined &&
          r.lostMeasured !== r.lostTrue &&
          r.lostMeasured <= r.lostTrue &&
          r.lostTrue <= r.lostMeasured + r.lostInFlight,
      ).length,
      lostNotMeasured: rs.filter((r) => r.lostMeasured === undefined).length,
      rpoMedianAbsMs: median(rpo),
      rpoWorstAbsMs: rpo.length > 0 ? Math.max(...rpo) : NaN,
      gapsNamed: rs.filter((r) => r.gapNamed).length,
      load: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
    };
  });
}

/** One line per phase and mode: |error| median, p95, worst, ≤ 1 s count (phases the runs report). */
export function formatPhaseTable(runs: readonly AccuracyRun[]): string {
  const lines: string[] = [];
  const modes = [...new Set(runs.map((r) => `${r.mode}${r.killedIn ? ' + worker kill' : ''}`))];
  for (const mode of modes) {
    const rs = runs.filter((r) => `${r.mode}${r.killedIn ? ' + worker kill' : ''}` === mode);
    const cells: string[] = [];
    const row = (what: string, xs: number[]): void => {
      if (xs.length === 0) return;
      const a = xs.map(Math.abs);
      cells.push(
        `${what} ${Math.round(median(a))}/${Math.round(quantile(a, 0.95))}/${Math.max(...a)} ms (${a.filter((e) => e <= 1000).length}/${a.length} ≤ 1 s)`,
      );
    };
    for (const ph of ['promote', 'traffic', 'app'])
      row(
        `phase ${ph}`,
        rs.flatMap((r) => (r.phaseErrorsMs?.[ph] !== undefined ? [r.phaseErrorsMs[ph]] : [])),
      );
    for (const ev of [
      'promotion-started',
      'promotion-finished',
      'traffic-shift-started',
      'traffic-converged',
      'app-reconfigured',
      'app-healthy',
    ])
      row(
        ev,
        rs.flatMap((r) => (r.eventErrorsMs?.[ev] !== undefined ? [r.eventErrorsMs[ev]] : [])),
      );
    const windowed = [...new Set(rs.flatMap((r) => Object.keys(r.eventWindows ?? {})))];
    for (const ev of windowed) {
      const ws = rs.flatMap((r) => (r.eventWindows?.[ev] ? [r.eventWindows[ev]] : []));
      cells.push(
        `${ev} window holds the truth ${ws.filter((w) => w.holds).length}/${ws.length} (width median ${Math.round(median(ws.map((w) => w.widthMs)))} ms)`,
      );
    }
    const withWindow = rs.filter((r) => r.rtoWindowMs !== undefined);
    const widths = withWindow.map((r) => r.rtoWindowMs!);
    cells.push(
      withWindow.length === 0
        ? `RTO carries no observation window in any run (both ends timed by the world's records)`
        : `RTO carries a window in ${withWindow.length}/${rs.length} runs, holds the truth in ${withWindow.filter((r) => r.rtoWindowHolds).length} (width median ${Math.round(median(widths))}, worst ${Math.max(...widths)} ms)`,
    );
    lines.push(`${mode}: |error| median/p95/worst: ${cells.join('; ')}`);
  }
  return lines.join('\n');
}

/** The summary as a text table, with its clock and load stated. */
export function formatAccuracyTable(rows: readonly AccuracyRow[], scale: number, burners: number): string {
  const header = [
    'mode',
    'runs',
    'RTO |err| median',
    'p95',
    'worst',
    '≤ 1 s',
    'start |err| median',
    'promote end worst |err| (AWS-timed)',
    'lost = truth',
    'truth in lost + in-flight',
    'lost not measured',
    'RPO |err| median',
    'RPO worst |err|',
    'gap named',
    'load (1 min)',
  ];
  const ms = (v: number): string => (Number.isNaN(v) ? 'n/a' : `${Math.round(v)} ms`);
  const body = rows.map((r) => [
    r.mode,
    String(r.runs),
    ms(r.rtoMedianAbsMs),
    ms(r.rtoP95AbsMs),
    ms(r.rtoWorstAbsMs),
    `${r.rtoWithin1s}/${r.runs}`,
    ms(r.startMedianAbsMs),
    `${ms(r.promoteEndWorstAbsMs)} (${r.promoteEndFromAws}/${r.runs})`,
    `${r.lostExact}/${r.runs}`,
    `${r.lostWithinInFlight}/${r.runs}`,
    `${r.lostNotMeasured}/${r.runs}`,
    ms(r.rpoMedianAbsMs),
    ms(r.rpoWorstAbsMs),
    `${r.gapsNamed}/${r.runs}`,
    r.load,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  return [
    `Simulated ms (sim clock ${scale}× wall, one scaled clock shared by the sim server, the worker and the bench); ${burners} CPU-burning process(es) beside the runs`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}
