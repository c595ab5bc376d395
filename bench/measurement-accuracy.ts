/**
 * Benchmark: accuracy of the RTO / RPO that `regionPromotionWorkflow` reports, against the
 * simulated world's ground truth (issue 15 items 4 and 6). Each run is the real workflow on a real
 * worker process on the dev server, against one sim server: every mode (switchover, failover,
 * detach), each run on its own generated runbook (a fresh global cluster, `bench/accuracy/`), with
 * the sim's durations, Route 53 propagation and replication lag set through the sim server's
 * `POST /config`. Optionally N CPU-burning processes run beside it (the load is reported beside
 * the errors), and worker-kill runs SIGKILL the worker while a step runs and start a new one.
 *
 * Truth (`bench/accuracy/ground-truth.ts`): RTO = the request (the bench reads the shared clock
 * just before starting the workflow) → the service recovered in the world (latest of the promoted
 * cluster writable, Route 53 INSYNC, the app's SSM parameter updated); promotion end = the
 * promoted cluster writable; lost writes / RPO = the unreplicated tail the sim dropped. Each
 * timeline event and phase the report has is judged against its own truth too
 * (`bench/accuracy/event-errors.ts`), and an event carried with an observation window is checked
 * to hold its truth (the second table). A lost count the report gives as "not measured" is
 * counted as such (never as 0); a detach's writes sent while its call was in flight (lost or split
 * brain, `inFlightAtPromotion`) are shown beside it, and a run whose truth lies in [lost, lost + in
 * flight] is counted apart from an exact one. `GAMEDAY_BENCH_DUMP=<dir>` writes each run's report
 * and the sim's log to `<dir>`.
 *
 * Clock: every process (sim server, worker, bench) reads one plain scaled clock from the sim's
 * spec (`scale`× wall); no process absorbs stalls (they would disagree, lib/clock.ts). Errors are
 * simulated ms: a wall-clock latency of the orchestration shows multiplied by `scale`, so a low
 * scale is the honest setting (the scale is printed with every table). Since the RTO's ends are
 * stamped from records (Temporal's recorded start, the world's own times of the service's
 * recovery: lib/service-healthy.ts), the latency left in its error is the bench's own: its clock
 * read before it starts the workflow vs the server's recorded start. 3× keeps 150 runs within the
 * hour on a shared 2-core machine; 1× would take three times as long.
 *
 *   npx tsx bench/measurement-accuracy.ts [runsPerMode] [scale] [burners] [killRuns]
 *   (npm run bench -- accuracy: GAMEDAY_BENCH_RUNS, GAMEDAY_BENCH_SCALE, GAMEDAY_BENCH_BURNERS, GAMEDAY_BENCH_KILL_RUNS)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { PromotionMode } from '../contracts/promotion';
import type { Figure, RunReport } from '../lib/measurement-types';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { ensureDevServer } from '../scripts/temporal-dev';
import { createSimFromRunbookDir } from '../sim';
import { startSimServer } from '../sim/server';
import { writeBenchRunbook, type BenchRunbook } from './accuracy/bench-runbooks';
import { runTruth, watchLoss } from './accuracy/ground-truth';
import { kill, startCpuBurners, startWorker } from './accuracy/processes';
import { summarize, formatAccuracyTable, formatPhaseTable, type AccuracyRun } from './accuracy/summary';
import { eventErrors, eventWindows, phaseErrors } from './accuracy/event-errors';

/** Options of the benchmark. */
export interface MeasurementAccuracyOptions {
  /** Plain runs per mode. @default 20 */
  readonly runsPerMode?: number;
  readonly modes?: readonly PromotionMode[];
  /** Simulated ms per wall ms. @default 3 */
  readonly scale?: number;
  /** CPU-burning processes beside the runs. @default 0 */
  readonly burners?: number;
  /** Worker-kill runs per mode (the worker SIGKILLed during a step, a new one started). @default 2 */
  readonly killRuns?: number;
  /** Task queue prefix (long-running benches use their engineer's prefix). @default 'bench' */
  readonly taskQueuePrefix?: string;
  readonly print?: (line: string) => void;
}

/** Durations set through `POST /config` (simulated ms). */
export const BENCH_SIM_CONFIG = {
  rds: {
    switchoverPending: [2_000, 4_000],
    switchoverTotal: [15_000, 20_000],
    switchoverFinish: [2_000, 4_000],
    failoverPending: [2_000, 4_000],
    failoverTotal: [10_000, 15_000],
    failoverFinish: [2_000, 4_000],
    detach: [8_000, 12_000],
  },
  route53: { propagation: [10_000, 15_000] },
} as const;

/** The activity each worker-kill run kills the worker in, in turn. */
const KILL_POINTS = ['awaitClusterWritable', 'awaitChangeInsync', 'promoteSecondaryCluster', 'verifyServiceWrite'] as const;

async function pollersOf(connection: Connection, taskQueue: string): Promise<number> {
  const r = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue } });
  return r.pollers?.length ?? 0;
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await read().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`accuracy bench: timed out waiting for ${what}`);
}

async function activityRunning(h: WorkflowHandle, type: string): Promise<void> {
  await until(`${type} running`, async () => {
    const d = await h.describe();
    if (d.status.name !== 'RUNNING') throw new Error(`run ended (${d.status.name}) before ${type} ran`);
    return d.raw.pendingActivities?.some((a) => a.activityType?.name === type && Number(a.state) === 2) ? true : undefined;
  });
}

/** The run's result; a failed long poll of the history (a loaded server) is asked again, the run is never restarted. */
async function resultOf(h: WorkflowHandle): Promise<RunReport> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await h.result()) as RunReport;
    } catch (err) {
      if ((err as Error).name !== 'ServiceError' || attempt >= 5) throw err;
    }
  }
}

/** Runs the benchmark (see the module doc) and returns every run and the summary table. */
export async function runMeasurementAccuracyBench(
  options: MeasurementAccuracyOptions = {},
): Promise<{ runs: AccuracyRun[]; table: string }> {
  const o = {
    runsPerMode: 20,
    modes: ['switchover', 'failover', 'detach'] as const,
    scale: 3,
    burners: 0,
    killRuns: 2,
    taskQueuePrefix: 'bench',
    ...options,
  };
  const print = o.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const dev = await ensureDevServer();
  const dir = mkdtempSync(join(tmpdir(), 'gameday-bench-accuracy-'));
  const plan = o.modes.flatMap((mode) =>
    Array.from({ length: o.runsPerMode + o.killRuns }, (_, i) => ({
      mode,
      i,
      killAt: i >= o.runsPerMode ? KILL_POINTS[(i - o.runsPerMode) % KILL_POINTS.length] : undefined,
    })),
  );
  const tag = Date.now().toString(36).slice(-5);
  const runbooks = new Map(plan.map((p) => [`${p.mode}-${p.i}`, writeBenchRunbook(dir, tag, p.mode, p.i)]));
  const sim = createSimFromRunbookDir(dir, { scale: o.scale, absorbStalls: false, seed: 15 });
  const server = await startSimServer({ sim });
  const lags = Object.fromEntries([...runbooks.values()].map((rb, k) => [rb.secondary.clusterId, 500 + ((k * 739) % 3500)]));
  const configured = await fetch(`${server.url}/config`, {
    method: 'POST',
    body: JSON.stringify({ ...BENCH_SIM_CONFIG, replicationLagMs: lags }),
  });
  if (!configured.ok) throw new Error(`sim server refused the configuration: ${await configured.text()}`);
  const taskQueue = `${o.taskQueuePrefix}-accuracy-${tag}`;
  const settings = { simUrl: server.url, runbookDir: dir, taskQueue };
  const connection = await Connection.connect(loadTemporalConnection({ overrides: { address: dev.address } }).options);
  const client = new Client({ connection });
  let worker: ChildProcess = startWorker(settings);
  const burners = startCpuBurners(o.burners);
  const runs: AccuracyRun[] = [];
  try {
    await until('the worker polling', async () => ((await pollersOf(connection, taskQueue)) > 0 ? true : undefined));
    print(`accuracy: ${plan.length} runs, sim scale ${o.scale}×, ${o.burners} CPU burner(s), task queue ${taskQueue}`);
    for (const p of plan) {
      const rb = runbooks.get(`${p.mode}-${p.i}`)!;
      const loss = watchLoss(sim, rb);
      const load = loadavg()[0]!;
      const requestedAt = sim.world.clock.now();
      const h = await client.workflow.start('regionPromotionWorkflow', {
        taskQueue,
        workflowId: `promote-${rb.globalClusterId}`,
        args: [{ runbook: rb.name, targetRegion: rb.secondary.region, mode: p.mode }],
      });
      if (p.killAt) {
        await activityRunning(h, p.killAt);
        await kill(worker);
        worker = startWorker(settings);
      }
      const report = await resultOf(h);
      loss.stop();
      if (process.env.GAMEDAY_BENCH_DUMP) {
        const truthLog = sim.world.log.find({}).filter((e) => e.at >= requestedAt);
        writeFileSync(join(process.env.GAMEDAY_BENCH_DUMP, `${rb.name}.json`), JSON.stringify({ report, truthLog }, null, 1));
      }
      runs.push(
        measureRun(p.mode, p.killAt, rb, report, runTruth(sim, rb, p.mode, requestedAt, loss.snapshot()), (load + loadavg()[0]!) / 2),
      );
      const last = runs[runs.length - 1]!;
      print(
        `  ${p.mode} #${p.i}${p.killAt ? ` (worker killed in ${p.killAt})` : ''}: RTO error ${last.rtoErrorMs} ms (start ${last.rtoStartErrorMs} ms, end ${last.rtoEndErrorMs} ms), promote end error ${last.promoteEndErrorMs} ms, lost ${last.lostMeasured ?? 'not measured'}${last.lostInFlight ? ` (+${last.lostInFlight} in flight during the call)` : ''}/${last.lostTrue}, RPO error ${last.rpoErrorMs} ms, load ${last.load1.toFixed(1)}; event errors ${Object.entries(
          last.eventErrorsMs ?? {},
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    }
  } finally {
    await burners.stop();
    await kill(worker);
    await connection.close();
    await server.close();
    sim.close();
    await dev.stop();
  }
  return { runs, table: `${formatAccuracyTable(summarize(runs), o.scale, o.burners)}\n${formatPhaseTable(runs)}` };
}

/** One run's errors against the truth. */
function measureRun(
  mode: PromotionMode,
  killAt: string | undefined,
  rb: BenchRunbook,
  r: RunReport,
  t: ReturnType<typeof runTruth>,
  load1: number,
): AccuracyRun {
  if (r.outcome !== 'completed') throw new Error(`${rb.name}: outcome ${r.outcome}: ${r.outcomeReason ?? ''}`);
  const m = r.measurement;
  if (m.rto.status !== 'measured') throw new Error(`${rb.name}: RTO not measured: ${m.rto.reason}`);
  const finished = r.timeline.find((e) => e.name === 'promotion-finished')!;
  const rpoMs = m.rpo.status === 'measured' ? m.rpo.valueMs : NaN;
  return {
    mode,
    ...(killAt ? { killedIn: killAt } : {}),
    rtoErrorMs: Math.round(m.rto.valueMs - (t.recoveredAt - t.requestedAt)),
    rtoStartErrorMs: Math.round(r.timeline[0]!.at - t.requestedAt),
    rtoEndErrorMs: Math.round(r.timeline.find((e) => e.name === 'app-healthy')!.at - t.recoveredAt),
    promoteEndErrorMs: Math.round(finished.at - t.writableAt),
    promoteEndSource: finished.source,
    lostMeasured: m.lostWrites,
    lostInFlight: m.inFlightAtPromotion?.writes ?? 0,
    lostTrue: t.lost,
    rpoErrorMs: Math.round(rpoMs - t.rpoMs),
    gapNamed: r.notes.some((n) => n.startsWith('worker gap:')),
    load1,
    eventErrorsMs: eventErrors(r.timeline, t.events),
    phaseErrorsMs: phaseErrors(m.phases, t.events),
    eventWindows: eventWindows(r.timeline, t.events),
    ...rtoWindow(m.rto, t.recoveredAt - t.requestedAt),
  };
}

/** When the reported RTO carries an observation window (earliestMs, valueMs]: whether it holds the true RTO, and its width. */
function rtoWindow(rto: Figure, trueMs: number): { rtoWindowHolds?: boolean; rtoWindowMs?: number } {
  if (rto.status !== 'measured' || rto.earliestMs === undefined) return {};
  const earliest = rto.earliestMs;
  return { rtoWindowHolds: trueMs >= earliest - 1 && trueMs <= rto.valueMs + 1, rtoWindowMs: rto.valueMs - earliest };
}

if (require.main === module) {
  const [runsPerMode, scale, burners, killRuns] = process.argv.slice(2).map(Number);
  runMeasurementAccuracyBench({
    ...(runsPerMode ? { runsPerMode } : {}),
    ...(scale ? { scale } : {}),
    ...(burners !== undefined && !Number.isNaN(burners) ? { burners } : {}),
    ...(killRuns !== undefined && !Number.isNaN(killRuns) ? { killRuns } : {}),
    ...(process.env.GAMEDAY_BENCH_QUEUE_PREFIX ? { taskQueuePrefix: process.env.GAMEDAY_BENCH_QUEUE_PREFIX } : {}),
  }).then(
    ({ table }) => {
      process.stdout.write(`${table}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
      process.exit(1);
    },
  );
}
