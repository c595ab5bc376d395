/**
 * The fleet-wide AWS call budget with TWO worker processes (`worker.ts`, real Temporal dev server,
 * one in-process sim behind its HTTP server): three restore verifications of one account run on
 * both workers' budget-queue pollers, and the account's calls, by the wall clock of the sim's own
 * API-call log, stay within the budget over every 10 s window; each report counts exactly the calls
 * the sim received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { createSimFromRunbooks } from '../lib/composition-root';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { startSimServer, type SimServer } from '../sim/server';
import { awsBudgetQueue } from '../lib/aws-budget';
import { restoreVerificationWorkflow } from '../workflows/restore-verification-workflow';
import type { RunReport } from '../lib/measurement-types';
import type { SimAws } from '../sim';

const BUDGET = 2; // calls per second per account and region
const ACCOUNT = '444455556666'; // analytics-prod, us-east-2
const ROOT = join(__dirname, '..');

let sim: SimAws;
let server: SimServer;
let connection: Connection;
let client: Client;
const workers: { child: ChildProcess; stderr: string }[] = [];
const taskQueue = `test-budget-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  sim = createSimFromRunbooks(DEFAULT_RUNBOOK_DIR, 60);
  server = await startSimServer({ sim });
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        GAMEDAY_AWS: 'sim',
        GAMEDAY_SIM_URL: server.url,
        GAMEDAY_TASK_QUEUE: taskQueue,
        GAMEDAY_RDS_CALLS_PER_SECOND: String(BUDGET),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const w = { child, stderr: '' };
    child.stderr!.on('data', (b: Buffer) => (w.stderr = (w.stderr + b.toString()).slice(-4000)));
    workers.push(w);
  }
  const temporal = loadTemporalConnection();
  connection = await Connection.connect(temporal.options);
  client = new Client({ connection, namespace: temporal.namespace });
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => (w.child.exitCode !== null ? undefined : new Promise((r) => w.child.once('exit', r)))));
  await connection?.close();
  await server?.close();
  sim?.close();
});

test('two worker processes hold one account’s call budget together, and reports count the calls', async () => {
  const t0 = Date.now();
  const ids = [1, 2, 3].map((i) => `budget-${i}-${randomUUID().slice(0, 8)}`);
  const reports = (await Promise.all(
    ids.map((workflowId) =>
      client.workflow.execute(restoreVerificationWorkflow, { taskQueue, workflowId, args: [{ runbook: 'analytics-prod' }] }),
    ),
  )) as RunReport[];
  expect(reports.map((r) => r.outcome)).toEqual(['completed', 'completed', 'completed']);

  // Every budget-queue step ran on one of the two processes, and both took part.
  const budgetQueue = awsBudgetQueue(taskQueue, { accountId: ACCOUNT, region: 'us-east-2' });
  const identities = new Set<string>();
  for (const id of ids) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const queueOf = new Map<string, string>();
    for (const e of history.events ?? []) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) queueOf.set(String(e.eventId), s.taskQueue?.name ?? '');
      const started = e.activityTaskStartedEventAttributes;
      if (started && queueOf.get(String(started.scheduledEventId)) === budgetQueue) identities.add(started.identity ?? '');
    }
  }
  expect(identities.size).toBe(2);

  // The sim's own log, wall clock: every 10 s window within the budget, nothing throttled.
  // RDS calls: the budget is RDS's (AWS meters each service apart; the run's one CloudWatch metric
  // publication at its end is not on the budget queue).
  const calls = sim.world.apiCalls.filter((c) => c.account === ACCOUNT && c.service === 'rds' && c.wallAt >= t0);
  const times = calls.map((c) => c.wallAt).sort((a, b) => a - b);
  let peak = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= 10_000) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  expect(times.length).toBeGreaterThan(3 * 12);
  expect(peak).toBeLessThanOrEqual(BUDGET * 10);
  expect(calls.filter((c) => c.throttled)).toEqual([]);
  // Each report counts its run's calls (its RDS calls in the account and its closing CloudWatch
  // metric publication, which goes to the worker's own account); together they are every AWS call
  // the sim answered since the runs began (its DNS resolver is not AWS).
  const counted = reports.reduce((n, r) => n + (r.measurement.resolution.awsCalls ?? NaN), 0);
  const runCalls = sim.world.apiCalls.filter((c) => c.wallAt >= t0 && c.service !== 'dns' && c.caller === undefined);
  expect(reports.map((r) => r.measurement.resolution.awsCallsUncounted)).toEqual([undefined, undefined, undefined]);
  expect(counted).toBe(runCalls.length);
}, 600_000);
