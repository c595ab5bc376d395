/**
 * Benchmark: the fleet-wide AWS call budget. A sim server process (`sim/server-main.ts`, which
 * throttles any account above `throttleAtPerSecond` calls in a wall second) and TWO worker
 * processes (`worker.ts`, `GAMEDAY_RDS_CALLS_PER_SECOND` = the budget) run `count` concurrent
 * restore verifications and Backtrack drills (every `backtrackEvery`-th round over the accounts, each on a cluster of its own
 * with a backtrack window) over `accounts` accounts. Measured on the sim's own API-call log, by the
 * wall clock (`wallAt`): per account the RDS calls (the budget is RDS's; AWS meters each service
 * apart, and a run's one CloudWatch metric publication is not on the budget queue), throttled calls, mean rate and the peak over any
 * 1 s and 10 s window against the budget; per worker its peak RSS (`VmHWM` of /proc/<pid>/status
 * at the end); the wall time of the batch; the AWS calls each report counted.
 *
 * `npm run bench -- fleet`, or standalone `npx tsx bench/fleet-budget.ts [count] [scale]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { RunReport } from '../lib/measurement-types';
import { formatDuration } from '../lib/report/format';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { ensureDevServer } from '../scripts/temporal-dev';
import { connectSim } from '../sim/http-client';
import { peakRate, runbookYaml } from './restore-concurrency';

/** Options of the fleet benchmark. */
export interface FleetBudgetOptions {
  /** Concurrent restore verifications. @default 400 */
  readonly count?: number;
  /** @default 4 */
  readonly accounts?: number;
  /** AWS calls per second per account (wall) the fleet may make. @default 2 */
  readonly budgetPerSecond?: number;
  /** The sim throttles an account above this many calls in a wall second. @default 10 */
  readonly throttleAtPerSecond?: number;
  /** Simulated ms per wall ms of the sim server. @default 10 */
  readonly scale?: number;
  /** Worker processes. @default 2 */
  readonly workers?: number;
  /** Every n-th round of runs over the accounts is Backtrack drills instead of restore verifications (0 = none). @default 4 */
  readonly backtrackEvery?: number;
  readonly print?: (line: string) => void;
}

const ROOT = resolve(__dirname, '..');

function startProcess(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
  return { child, stderr: () => err };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let buf = '';
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      const i = buf.indexOf('\n');
      if (i >= 0) done(buf.slice(0, i).trim());
    });
    child.once('exit', (code) => fail(new Error(`sim server exited (${code}) before printing its URL`)));
  });
}

function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch (err) {
    void err; // the process is gone: not measured
    return undefined;
  }
}

const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Runs the fleet benchmark, prints its tables; resolves true when the budget held with zero throttling and every run completed. */
export async function runFleetBudgetBench(opts: FleetBudgetOptions = {}): Promise<boolean> {
  const count = opts.count ?? Number(process.env.GAMEDAY_BENCH_RESTORES ?? 400);
  const accountsN = opts.accounts ?? 4;
  const budget = opts.budgetPerSecond ?? 2;
  const throttleAt = opts.throttleAtPerSecond ?? 10;
  const scale = opts.scale ?? Number(process.env.GAMEDAY_BENCH_SCALE ?? 10);
  const workersN = opts.workers ?? 2;
  const backtrackEvery = opts.backtrackEvery ?? Number(process.env.GAMEDAY_BENCH_BACKTRACK_EVERY ?? 4);
  // Runs go round the accounts; every `backtrackEvery`-th round is Backtrack drills, so each account gets its share.
  const isBacktrack = (i: number): boolean => backtrackEvery > 0 && Math.floor((i - 1) / accountsN) % backtrackEvery === backtrackEvery - 1;
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));

  const dir = mkdtempSync(join(tmpdir(), 'gameday-bench-fleet-'));
  const accounts = Array.from({ length: accountsN }, (_, i) => String(100000000000 + i + 1));
  for (let i = 1; i <= count; i++)
    writeFileSync(
      join(dir, `bench-${String(i).padStart(3, '0')}.yaml`),
      runbookYaml(i, accounts[(i - 1) % accountsN]!, isBacktrack(i) ? { backtrackWindow: '24h' } : {}),
    );
  const server = await ensureDevServer();
  const temporal = loadTemporalConnection({ overrides: { address: server.address, namespace: server.namespace } });
  const taskQueue = `${process.env.GAMEDAY_BENCH_QUEUE_PREFIX ?? 'bench'}-fleet-${Date.now()}`;
  const procs: { child: ChildProcess; stderr: () => string }[] = [];
  const connection = await Connection.connect(temporal.options);
  try {
    const sim = startProcess(['sim/server-main.ts'], {
      GAMEDAY_RUNBOOK_DIR: dir,
      GAMEDAY_SIM_SCALE: String(scale),
      GAMEDAY_SIM_PORT: '0',
      GAMEDAY_SIM_THROTTLE_PER_SECOND: String(throttleAt),
    });
    procs.push(sim);
    const simUrl = await firstLine(sim.child);
    const workerEnv = {
      GAMEDAY_AWS: 'sim',
      GAMEDAY_SIM_URL: simUrl,
      GAMEDAY_RUNBOOK_DIR: dir,
      GAMEDAY_TASK_QUEUE: taskQueue,
      GAMEDAY_RDS_CALLS_PER_SECOND: String(budget),
      GAMEDAY_MAX_CONCURRENT_ACTIVITIES: String(count + 50),
      TEMPORAL_ADDRESS: server.address,
      LOG_LEVEL: 'warn',
    };
    const workers = Array.from({ length: workersN }, () => startProcess(['worker.ts'], workerEnv));
    procs.push(...workers);
    const control = (await connectSim(simUrl)).control;
    const client = new Client({ connection, namespace: temporal.namespace });
    const t0 = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: count }, (_, k) => {
        const name = `bench-${String(k + 1).padStart(3, '0')}`;
        return client.workflow.execute(isBacktrack(k + 1) ? 'backtrackDrillWorkflow' : 'restoreVerificationWorkflow', {
          taskQueue,
          workflowId: `${taskQueue}-${name}`,
          args: [{ runbook: name }],
        });
      }),
    );
    const wallMs = Date.now() - t0;
    const rss = workers.map((w) => peakRssMb(w.child.pid!));
    const calls = (await control.apiCalls()).filter((c) => c.wallAt >= t0);
    const others = calls.filter((c) => c.service !== 'rds').length;

    const f = (n: number | undefined): string => (n === undefined ? 'not measured' : n.toFixed(2));
    const drills = Array.from({ length: count }, (_, k) => k + 1).filter(isBacktrack).length;
    print(
      `Fleet budget: ${count} runs (${count - drills} restore verifications, ${drills} Backtrack drills), ${accountsN} accounts, ${workersN} worker processes, one sim server (${scale}×); rates by the wall clock of the sim's API-call log`,
    );
    print(
      `budget ${budget} calls/s per account (Temporal task-queue rate limit on ${taskQueue}-aws-<account>-<region>) · the sim throttles an account above ${throttleAt} calls in a wall second`,
    );
    print(['account', 'RDS calls', 'throttled', 'mean /s', 'peak 1 s /s', 'peak 10 s /s', 'budget /s'].join(' | '));
    let held = true;
    for (const account of accounts) {
      const mine = calls.filter((c) => c.account === account && c.service === 'rds');
      const times = mine.map((c) => c.wallAt).sort((a, b) => a - b);
      const throttled = mine.filter((c) => c.throttled).length;
      const span = times.length > 1 ? (times[times.length - 1]! - times[0]!) / 1000 : 1;
      const p10 = peakRate(times, 10_000);
      held &&= throttled === 0 && p10 <= budget;
      print(
        [account, String(times.length), String(throttled), f(times.length / span), f(peakRate(times, 1000)), f(p10), String(budget)].join(
          ' | ',
        ),
      );
    }
    const reports = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value as RunReport] : []));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const perRun = reports.flatMap((r) => (r.measurement.resolution.awsCalls !== undefined ? [r.measurement.resolution.awsCalls] : []));
    const callsOf = (scenario: string): number[] =>
      reports.flatMap((r) =>
        r.scenario === scenario && r.measurement.resolution.awsCalls !== undefined ? [r.measurement.resolution.awsCalls] : [],
      );
    print(
      [
        'runs completed',
        'failed',
        'wall time',
        ...rss.map((_, i) => `peak RSS worker ${i + 1}`),
        'AWS calls per run (reports, median)',
      ].join(' | '),
    );
    print(
      [
        `${reports.length}/${count}`,
        String(failed.length),
        formatDuration(wallMs),
        ...rss.map((m) => `${f(m)} MiB`),
        f(median(perRun)),
      ].join(' | '),
    );
    if (failed.length > 0) print(`first failure: ${String(failed[0]!.reason?.cause?.message ?? failed[0]!.reason)}`);
    print(
      `AWS calls per run (reports, median): restore verification ${f(median(callsOf('restore-verification')))} (${callsOf('restore-verification').length} reports), Backtrack drill ${f(median(callsOf('backtrack-drill')))} (${callsOf('backtrack-drill').length} reports)`,
    );
    print(`other services' calls (not budgeted: CloudWatch metrics at each run's end): ${others}`);
    print(`budget held (every account: peak over any 10 s ≤ ${budget}/s, zero throttling): ${held ? 'yes' : 'NO'}`);
    return held && failed.length === 0;
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.child.exitCode !== null ? undefined : new Promise((r) => p.child.once('exit', r)))));
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [count, scale] = process.argv.slice(2).map(Number);
  runFleetBudgetBench({ ...(count ? { count } : {}), ...(scale ? { scale } : {}) }).then(
    (ok) => process.exit(ok ? 0 : 1),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
