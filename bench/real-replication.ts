/**
 * Benchmark: RPO and lost writes measured on real replication against the databases' ground truth
 * (issue 15). A real PostgreSQL pair (streaming replication) and a real MariaDB pair (binlog
 * replication), each with the replication link through a delaying TCP proxy (sim/real/), go
 * through N unplanned promotions per lag: the primary's region is lost (link cut with its bytes
 * in flight, primary stopped hard), the standby is promoted for real, the writer endpoint moves.
 * The canary (activities/canary/) writes throughout; the report's lost writes and RPO
 * (lib/timeline.ts) are compared with the old primary's own rows (restarted in isolation) against
 * the new writer's, row by row. A few detach runs (old primary left writable) show split-brain
 * writes reported apart from RPO. Every time is wall-clock ms (the canary runs on the real clock).
 *
 * Goals: reported lost writes = ground truth in every run; |RPO error| ≤ 1 / canary rate.
 *
 * Standalone: `npx tsx bench/real-replication.ts [runs]` (default 20, or GAMEDAY_BENCH_REAL_RUNS).
 */
import { runRealPromotionTrial, type RealTrialResult } from '../sim/real/failover-trial';
import { startMariadbRegionPair } from '../sim/real/mariadb-pair';
import { startPgRegionPair } from '../sim/real/pg-pair';
import type { RegionPair } from '../sim/real/region-pair';

/** Options of the benchmark. */
export interface RealReplicationOptions {
  /** Unplanned promotions per (engine, lag). @default 20 */
  readonly runs?: number;
  /** PostgreSQL lags, wall ms. @default [500, 2000, 5000] */
  readonly pgLagsMs?: readonly number[];
  /** MariaDB lag, wall ms. @default 2000 */
  readonly mariadbLagMs?: number;
  /** Detach (split-brain) runs per engine at the MariaDB lag. @default 3 */
  readonly detachRuns?: number;
  /** @default 10 */
  readonly ratePerSecond?: number;
  /** Progress lines. */
  readonly print?: (line: string) => void;
}

/** One row of the table: an (engine, mode, lag) group. */
export interface RealReplicationRow {
  readonly engine: string;
  readonly mode: RealTrialResult['mode'];
  readonly lagMs: number;
  readonly runs: number;
  readonly equal: number;
  readonly lostMin: number;
  readonly lostMax: number;
  readonly rpoMedianAbsErrorMs: number;
  readonly rpoWorstAbsErrorMs: number;
  readonly rpoWithinGoal: number;
  readonly goalMs: number;
  readonly inDoubt: number;
  readonly splitBrainWrites: number;
  readonly achievedRateMedian: number;
  readonly configuredRate: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function summarize(engine: string, group: readonly RealTrialResult[], rate: number): RealReplicationRow {
  const errs = group.map((r) => Math.abs(r.rpoErrorMs ?? Infinity));
  const goalMs = 1000 / rate;
  return {
    engine,
    mode: group[0]!.mode,
    lagMs: group[0]!.lagMs,
    runs: group.length,
    equal: group.filter((r) => r.equal).length,
    lostMin: Math.min(...group.map((r) => r.truth.lostWrites)),
    lostMax: Math.max(...group.map((r) => r.truth.lostWrites)),
    rpoMedianAbsErrorMs: median(errs),
    rpoWorstAbsErrorMs: Math.max(...errs),
    rpoWithinGoal: errs.filter((e) => e <= goalMs).length,
    goalMs,
    inDoubt: group.reduce((n, r) => n + r.truth.inDoubtLost.length, 0),
    splitBrainWrites: group.reduce((n, r) => n + (r.measurement.splitBrain?.writes ?? 0), 0),
    achievedRateMedian: Math.round(median(group.map((r) => r.achievedRate ?? 0)) * 100) / 100,
    configuredRate: rate,
  };
}

async function onPair(
  engine: string,
  start: () => Promise<RegionPair>,
  groups: readonly { mode: RealTrialResult['mode']; lagMs: number; runs: number }[],
  opts: Required<Omit<RealReplicationOptions, 'print'>> & Pick<RealReplicationOptions, 'print'>,
): Promise<{ rows: RealReplicationRow[]; trials: RealTrialResult[] }> {
  const pair = await start();
  const rows: RealReplicationRow[] = [];
  const trials: RealTrialResult[] = [];
  try {
    for (const g of groups) {
      const group: RealTrialResult[] = [];
      for (let i = 0; i < g.runs; i++) {
        const runId = `bench-${engine}-${g.mode}-${g.lagMs}-${i}-${Date.now()}`;
        const r = await runRealPromotionTrial({ pair, runId, mode: g.mode, ratePerSecond: opts.ratePerSecond }, g.lagMs);
        group.push(r);
        opts.print?.(
          `  ${engine} ${g.mode} lag ${g.lagMs} ms run ${i + 1}/${g.runs}: lost ${r.measurement.lostWrites} (truth ${r.truth.lostWrites}), ` +
            `RPO error ${r.rpoErrorMs} ms, split brain ${r.measurement.splitBrain?.writes ?? 0} (truth ${r.truth.splitBrain?.writes ?? 0}), in doubt ${r.truth.inDoubtLost.length}`,
        );
      }
      rows.push(summarize(engine, group, opts.ratePerSecond));
      trials.push(...group);
    }
  } finally {
    await pair.destroy();
  }
  return { rows, trials };
}

/** Runs the trials on both pairs; returns the table rows and every trial. */
export async function runRealReplicationBench(
  options: RealReplicationOptions = {},
): Promise<{ rows: RealReplicationRow[]; trials: RealTrialResult[] }> {
  const opts = { runs: 20, pgLagsMs: [500, 2000, 5000], mariadbLagMs: 2000, detachRuns: 3, ratePerSecond: 10, ...options };
  const pg = await onPair(
    'postgres',
    () => startPgRegionPair(),
    [
      ...opts.pgLagsMs.map((lagMs) => ({ mode: 'region-loss' as const, lagMs, runs: opts.runs })),
      { mode: 'detach', lagMs: opts.mariadbLagMs, runs: opts.detachRuns },
    ],
    opts,
  );
  const my = await onPair(
    'mariadb',
    () => startMariadbRegionPair(),
    [
      { mode: 'region-loss', lagMs: opts.mariadbLagMs, runs: opts.runs },
      { mode: 'detach', lagMs: opts.mariadbLagMs, runs: opts.detachRuns },
    ],
    opts,
  );
  return { rows: [...pg.rows, ...my.rows], trials: [...pg.trials, ...my.trials] };
}

/** The rows as a text table. */
export function formatRealReplicationTable(rows: readonly RealReplicationRow[]): string {
  const header = [
    'engine',
    'mode',
    'lag',
    'runs',
    'lost = truth',
    'lost writes',
    'RPO median |error|',
    'RPO worst |error|',
    'RPO within goal',
    'in doubt',
    'split-brain writes',
    'canary rate achieved/configured',
  ];
  const body = rows.map((r) => [
    r.engine,
    r.mode,
    `${r.lagMs} ms`,
    String(r.runs),
    `${r.equal}/${r.runs}`,
    `${r.lostMin}–${r.lostMax}`,
    `${Math.round(r.rpoMedianAbsErrorMs)} ms`,
    `${Math.round(r.rpoWorstAbsErrorMs)} ms`,
    `${r.rpoWithinGoal}/${r.runs} (≤ ${r.goalMs} ms)`,
    String(r.inDoubt),
    String(r.splitBrainWrites),
    `${r.achievedRateMedian}/${r.configuredRate} per s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Runs from the argument, GAMEDAY_BENCH_REAL_RUNS or 20; a bad value is refused naming the fix. */
export function realRunsFrom(arg: string | undefined): number {
  const raw = arg ?? process.env.GAMEDAY_BENCH_REAL_RUNS;
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`runs (GAMEDAY_BENCH_REAL_RUNS) must be a positive integer, got "${raw}"`);
  return n;
}

if (require.main === module) {
  const print = (l: string): void => void process.stdout.write(`${l}\n`);
  runRealReplicationBench({ runs: realRunsFrom(process.argv[2]), print })
    .then(({ rows }) => print(`\nReal replication (wall clock; canary 10 writes/s)\n${formatRealReplicationTable(rows)}`))
    .catch((err: unknown) => {
      process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
      process.exitCode = 1;
    });
}
