/**
 * Orchestration overhead of a whole region promotion (issue 5, "Performance"):
 *
 *   overhead = measured end-to-end time − the sum of the sim's operation durations (ground truth)
 *
 * The same switchover of `payments-prod` (approval gate off, so no human time is counted) runs
 * through `regionPromotionWorkflow` on the real dev server and the simulated AWS twice: with the
 * project's poll loops (1 s, 250 ms while a transition is due) and driven like SDK waiters
 * (30 s minimum delay between polls). End-to-end = fault-injected → app-healthy (the RTO span);
 * operations = SwitchoverGlobalCluster requested → new writer writable, plus Route 53 change
 * submitted → INSYNC (ground-truth log).
 *
 * The sim clock runs `scale` times faster than wall time, and the two parts of the overhead scale
 * differently in a real deployment, so they are separated:
 * - detection lag (clock ms): how late each wait saw its transition (observedAt − ground truth);
 *   poll intervals are clock ms, so this is what real AWS would see;
 * - orchestration latency (wall ms): everything else (Temporal task dispatch, activity starts,
 *   the few short calls) = (end-to-end − operations − detection lag) / scale.
 * Real-time overhead = detection lag + orchestration latency. Goal ≤ 2 s; the waiter-style run is
 * expected to add ≥ 10× more.
 *
 *   npx tsx bench/promotion-overhead.ts          (GAMEDAY_BENCH_SCALE, default 20)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseDocument } from 'yaml';
import type { RegionPromotionInput } from '../contracts/promotion';
import { loadWorkerConfig } from '../lib/config';
import { composeWorker, createSimFromRunbooks, simDeps } from '../lib/composition-root';
import { createLogger } from '../lib/logger';
import { loadTemporalConnection } from '../lib/temporal-connection';
import type { RunReport } from '../lib/measurement-types';
import { formatDuration } from '../lib/report/format';
import { ensureDevServer } from '../scripts/temporal-dev';

/** One driver's figures, clock (simulated) ms unless named wall. */
export interface PromotionOverheadRow {
  readonly driver: string;
  readonly pollIntervalMs: number;
  readonly endToEndMs: number;
  readonly operationsMs: number;
  readonly detectionLagMs: number;
  readonly orchestrationWallMs: number;
  /** detection lag + orchestration latency: the real-time overhead. */
  readonly overheadMs: number;
}

/** Result of the bench. */
export interface PromotionOverheadResult {
  readonly scale: number;
  readonly rows: readonly PromotionOverheadRow[];
  /** waiter-style overhead ÷ ours. */
  readonly ratio: number;
  readonly goalMet: boolean;
}

/** A runbook folder holding payments-prod with the approval gate off (bench runs are unattended). */
function benchRunbookDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gameday-bench-promotion-'));
  const doc = parseDocument(readFileSync(resolve(__dirname, '../runbooks/payments-prod.yaml'), 'utf8'));
  doc.setIn(['approval', 'required'], false);
  writeFileSync(join(dir, 'payments-prod.yaml'), doc.toString());
  return dir;
}

function first(
  log: readonly { at: number; event: string; resource: string; service: string }[],
  service: string,
  event: string,
  resource?: string,
): number {
  const e = log.find((x) => x.service === service && x.event === event && (resource === undefined || x.resource === resource));
  if (!e) throw new Error(`ground truth has no ${service} ${event}${resource ? ` of ${resource}` : ''}`);
  return e.at;
}

async function runOnce(
  driver: string,
  poll: { pollIntervalMs: number; fastPollIntervalMs: number },
  scale: number,
  address: string,
): Promise<PromotionOverheadRow> {
  const runbookDir = benchRunbookDir();
  const sim = createSimFromRunbooks(runbookDir, scale);
  const logger = createLogger({ level: 'silent', name: 'bench' });
  const temporal = loadTemporalConnection({ overrides: { address } });
  const config = loadWorkerConfig({ GAMEDAY_TASK_QUEUE: `bench-promotion-${driver}-${Date.now()}` });
  const taskQueue = config.GAMEDAY_TASK_QUEUE;
  const composed = await composeWorker(config, { logger, temporal, deps: simDeps(sim, logger, runbookDir), shutdownGraceTime: '2s' });
  const running = composed.run();
  const connection = await Connection.connect(temporal.options);
  const client = new Client({ connection });
  try {
    const input: RegionPromotionInput = { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover', ...poll };
    const report = (await client.workflow.execute('regionPromotionWorkflow', {
      taskQueue,
      workflowId: 'promote-payments-global',
      args: [input],
    })) as RunReport;
    const at = (name: string): number => {
      const e = report.timeline.find((x) => x.name === name);
      if (!e) throw new Error(`${driver}: no ${name} in the timeline (outcome ${report.outcome})`);
      return e.at;
    };
    const log = sim.world.log.all();
    const requested = first(log, 'rds', 'global-switchover-requested');
    const writable = first(log, 'rds', 'cluster-writable', 'payments-usw2');
    const submitted = first(log, 'route53', 'change-submitted');
    const insync = first(log, 'route53', 'change-insync');
    const operationsMs = writable - requested + (insync - submitted);
    const endToEndMs = at('app-healthy') - at('fault-injected');
    const detectionLagMs = at('promotion-finished') - writable + (at('traffic-converged') - insync);
    const orchestrationWallMs = Math.max(0, (endToEndMs - operationsMs - detectionLagMs) / scale);
    return {
      driver,
      pollIntervalMs: poll.pollIntervalMs,
      endToEndMs,
      operationsMs,
      detectionLagMs,
      orchestrationWallMs,
      overheadMs: detectionLagMs + orchestrationWallMs,
    };
  } finally {
    composed.worker.shutdown();
    await running;
    await connection.close();
    sim.close();
  }
}

/** Runs both drivers and prints the table; returns the figures. */
export async function runPromotionOverheadBench(
  opts: { scale?: number; print?: (line: string) => void } = {},
): Promise<PromotionOverheadResult> {
  const scale = opts.scale ?? Number(process.env.GAMEDAY_BENCH_SCALE ?? 20);
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = await ensureDevServer();
  try {
    const ours = await runOnce('gameday poll loops', { pollIntervalMs: 1000, fastPollIntervalMs: 250 }, scale, server.address);
    const waiter = await runOnce('SDK-waiter style', { pollIntervalMs: 30_000, fastPollIntervalMs: 30_000 }, scale, server.address);
    const rows = [ours, waiter];
    const ratio = waiter.overheadMs / Math.max(1, ours.overheadMs);
    print(`Region promotion orchestration overhead (switchover, sim scale ${scale}×; goal ≤ 2 s, waiter-style ≥ 10× more)`);
    print(['driver', 'poll', 'end-to-end', 'AWS ops (truth)', 'detection lag', 'orchestration (wall)', 'overhead'].join(' | '));
    for (const r of rows) {
      print(
        [
          r.driver,
          formatDuration(r.pollIntervalMs),
          formatDuration(r.endToEndMs),
          formatDuration(r.operationsMs),
          formatDuration(r.detectionLagMs),
          formatDuration(r.orchestrationWallMs),
          formatDuration(r.overheadMs),
        ].join(' | '),
      );
    }
    const goalMet = ours.overheadMs <= 2000 && ratio >= 10;
    print(`overhead ratio waiter/ours: ${ratio.toFixed(1)}×; goal ${goalMet ? 'met' : 'NOT met'}`);
    return { scale, rows, ratio, goalMet };
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  runPromotionOverheadBench().then(
    (r) => process.exit(r.goalMet ? 0 : 1),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
