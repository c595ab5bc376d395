/**
 * Benchmark: accuracy of the measured RTO and RPO against the simulated world's ground truth.
 *
 * Each trial runs in its own in-process `SimAws` (seeded from `payments-prod`, a different seed,
 * replication lag and pre-fault duration per trial) without Temporal: the canary writer loop
 * (activities/canary/canary-writer.ts) writes at 10 writes/s through the global writer endpoint,
 * an Aurora global failover (allow data loss) is requested through the `RdsApi` port, a
 * `pollUntil` observer (250 ms while due) waits for the target to become the writer, the writer is
 * stopped a few seconds later and the reader reads the new writer's cluster endpoint. `measure`
 * (lib/timeline.ts) turns that into RTO / RPO, compared with:
 *  - RTO truth = `global-promotion-complete.at − global-failover-requested.at` (sim ground truth);
 *  - RPO truth = at(last row lost by the failover) − at(newest row on the new writer older than it),
 *    from the `writes-lost` ground-truth event and the rows the sim holds on each cluster.
 * Goals: |RTO error| ≤ 1 s, |RPO error| ≤ 100 ms at 10 writes/s. Errors are simulated ms.
 *
 * Standalone: `npx tsx bench/measurement-accuracy.ts [trials] [scale] [concurrency]`.
 */
import { pollUntil } from '../activities/aws/poll';
import { readCanaryRows } from '../activities/canary/canary-reader';
import { runCanaryWriterLoop } from '../activities/canary/canary-writer';
import type { CanaryTarget } from '../activities/canary/canary-store';
import { measure } from '../lib/timeline';
import { TIER_TARGETS } from '../lib/tiers';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';

/** Options of the benchmark. */
export interface MeasurementAccuracyOptions {
  /** @default 50 */
  readonly trials?: number;
  /** Simulated ms per wall ms (wall-clock jitter is magnified by it). @default 25 */
  readonly scale?: number;
  /** Trials run at once (each in its own world). @default 3 */
  readonly concurrency?: number;
  /** Canary rate. @default 10 */
  readonly ratePerSecond?: number;
}

/** One trial's measured and true figures (simulated ms). */
export interface AccuracyTrial {
  readonly seed: number;
  readonly lagMs: number;
  readonly rtoMeasuredMs: number;
  readonly rtoTrueMs: number;
  readonly rpoMeasuredMs: number;
  readonly rpoTrueMs: number;
  readonly lostMeasured: number;
  readonly lostTrue: number;
}

/** Summary row of the table. */
export interface AccuracyRow {
  readonly figure: 'RTO' | 'RPO' | 'lost writes';
  readonly trials: number;
  readonly medianAbsErrorMs: number;
  readonly worstAbsErrorMs: number;
  readonly goalMs: number;
  readonly withinGoal: number;
}

const RUNBOOK = 'payments-prod';
const SECONDARY = 'payments-usw2';
const SECONDARY_REGION = 'us-west-2';

async function trial(seed: number, opts: Required<MeasurementAccuracyOptions>): Promise<AccuracyTrial> {
  const rb = loadRunbookByName(RUNBOOK);
  const sim = new SimAws({ scale: opts.scale, seed, tickMs: 2 });
  try {
    sim.seedFromRunbook(rb);
    const clock = sim.world.clock;
    const lagMs = Math.round(sim.world.between(100, 3000));
    sim.rdsSim.setReplicationLag(SECONDARY, lagMs);
    const rds = sim.rds({ region: SECONDARY_REGION, accountId: rb.account });
    const global = await rds.describeGlobalCluster(rb.aurora!.globalClusterId!);
    const target = await rds.describeDbCluster(SECONDARY);
    const canaryTarget: CanaryTarget = {
      engine: 'postgres',
      endpoint: global.endpoint!,
      database: rb.canary!.database,
      secretArn: rb.canary!.secretArn,
      region: 'us-east-1',
      table: rb.canary!.table,
    };
    const runId = `bench-${seed}`;
    const stop = new AbortController();
    const writing = runCanaryWriterLoop({
      connector: sim.canary,
      target: canaryTarget,
      runId,
      ratePerSecond: opts.ratePerSecond,
      clock,
      maxDurationMs: 30 * 60_000,
      signal: stop.signal,
    });
    await clock.sleep(sim.world.between(5_000, 20_000));

    const faultAt = clock.now();
    await rds.failoverGlobalCluster({
      globalClusterIdentifier: global.globalClusterIdentifier,
      targetDbClusterArn: target.dbClusterArn,
      allowDataLoss: true,
    });
    const promoted = await pollUntil({
      read: () => rds.describeGlobalCluster(global.globalClusterIdentifier),
      done: (g) => g.members.some((m) => m.dbClusterArn === target.dbClusterArn && m.isWriter),
      clock,
      intervalMs: 1000,
      fastIntervalMs: 250,
      timeoutMs: 30 * 60_000,
      what: 'failover',
    });
    await clock.sleep(5_000);
    stop.abort();
    const writer = await writing;
    const reader = await readCanaryRows({ connector: sim.canary, target: { ...canaryTarget, endpoint: target.endpoint! }, runId, clock });
    const m = measure({
      timeline: [
        { name: 'fault-injected', at: faultAt, source: 'failoverGlobalCluster' },
        { name: 'app-healthy', at: promoted.observedAt, source: 'pollUntil' },
      ],
      targets: TIER_TARGETS.tier0,
      canary: { writer, reader },
      resolution: { pollIntervalMs: 250 },
    });

    const requested = sim.world.log.find({ service: 'rds', event: 'global-failover-requested' })[0]!;
    const complete = sim.world.log.find({ service: 'rds', event: 'global-promotion-complete' })[0]!;
    const lostEvent = sim.world.log.find({ service: 'rds', event: 'writes-lost' })[0]!;
    const lostSeqs = ((lostEvent.detail?.seqs as Record<string, number[]> | undefined) ?? {})[runId] ?? [];
    const rpoTrueMs = trueRpo(
      sim,
      global.members.find((x) => x.isWriter)!.dbClusterArn,
      target.dbClusterArn,
      `${rb.canary!.database}.${rb.canary!.table}`,
      runId,
      lostSeqs,
    );
    if (m.rto.status !== 'measured' || m.rpo.status !== 'measured') {
      throw new Error(`trial ${seed}: not measured: ${JSON.stringify({ rto: m.rto, rpo: m.rpo })}`);
    }
    return {
      seed,
      lagMs,
      rtoMeasuredMs: m.rto.valueMs,
      rtoTrueMs: complete.at - requested.at,
      rpoMeasuredMs: m.rpo.valueMs,
      rpoTrueMs,
      lostMeasured: m.lostWrites ?? 0,
      lostTrue: lostSeqs.length,
    };
  } finally {
    sim.close();
  }
}

/** Ground-truth RPO from the rows the sim holds: last lost row − newest row on the new writer before it. */
function trueRpo(
  sim: SimAws,
  oldPrimaryArn: string,
  newWriterArn: string,
  table: string,
  runId: string,
  lostSeqs: readonly number[],
): number {
  if (lostSeqs.length === 0) return 0;
  const rowsOf = (arn: string): Map<number, number> => {
    const t = sim.canary.cluster(arn).tables.get(table);
    return (t?.get(runId) as Map<number, number> | undefined) ?? new Map<number, number>();
  };
  const old = rowsOf(oldPrimaryArn);
  const now = rowsOf(newWriterArn);
  const lostAt = Math.max(...lostSeqs.map((s) => old.get(s) ?? -Infinity));
  let newest = -Infinity;
  for (const at of now.values()) if (at < lostAt && at > newest) newest = at;
  if (newest === -Infinity) throw new Error('ground truth: no replicated row before the lost tail');
  return lostAt - newest;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function row(figure: AccuracyRow['figure'], errors: readonly number[], goalMs: number): AccuracyRow {
  const abs = errors.map(Math.abs);
  return {
    figure,
    trials: abs.length,
    medianAbsErrorMs: median(abs),
    worstAbsErrorMs: Math.max(...abs),
    goalMs,
    withinGoal: abs.filter((e) => e <= goalMs).length,
  };
}

/** Runs the trials and returns the summary rows (and the trials). */
export async function runMeasurementAccuracyBench(
  options: MeasurementAccuracyOptions = {},
): Promise<{ rows: AccuracyRow[]; trials: AccuracyTrial[] }> {
  const opts: Required<MeasurementAccuracyOptions> = { trials: 50, scale: 25, concurrency: 3, ratePerSecond: 10, ...options };
  const trials: AccuracyTrial[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(opts.concurrency, opts.trials) }, async () => {
    while (next < opts.trials) {
      const seed = 1000 + next++;
      trials.push(await trial(seed, opts));
    }
  });
  await Promise.all(workers);
  trials.sort((a, b) => a.seed - b.seed);
  const rows = [
    row(
      'RTO',
      trials.map((t) => t.rtoMeasuredMs - t.rtoTrueMs),
      1000,
    ),
    row(
      'RPO',
      trials.map((t) => t.rpoMeasuredMs - t.rpoTrueMs),
      100,
    ),
    row(
      'lost writes',
      trials.map((t) => t.lostMeasured - t.lostTrue),
      0,
    ),
  ];
  return { rows, trials };
}

/** The summary as a text table. */
export function formatMeasurementAccuracyTable(rows: readonly AccuracyRow[]): string {
  const header = ['figure', 'trials', 'median |error|', 'worst |error|', 'goal', 'within goal'];
  const unit = (r: AccuracyRow, v: number): string => (r.figure === 'lost writes' ? `${v} writes` : `${Math.round(v)} ms`);
  const body = rows.map((r) => [
    r.figure,
    String(r.trials),
    unit(r, r.medianAbsErrorMs),
    unit(r, r.worstAbsErrorMs),
    `≤ ${unit(r, r.goalMs)}`,
    `${r.withinGoal}/${r.trials}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

if (require.main === module) {
  const [trials, scale, concurrency] = process.argv.slice(2).map(Number);
  runMeasurementAccuracyBench({ ...(trials ? { trials } : {}), ...(scale ? { scale } : {}), ...(concurrency ? { concurrency } : {}) })
    .then(({ rows }) => {
      process.stdout.write(
        `Measurement accuracy (simulated Aurora global failovers, canary at 10 writes/s)\n${formatMeasurementAccuracyTable(rows)}\n`,
      );
    })
    .catch((err: unknown) => {
      process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
      process.exitCode = 1;
    });
}
