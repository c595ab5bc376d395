/**
 * The worker process itself (`worker.ts` in its own node process): on SIGTERM it stops polling,
 * lets the in-flight activity finish, and exits 0. The activity is held in flight by a latency
 * fault injected into a sim server that the worker reaches through GAMEDAY_SIM_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { startSimServer, type SimServer } from '../sim/server';
import { preflightWorkflow } from '../workflows';

const ROOT = resolve(__dirname, '..');
const SCALE = 60;

let sim: SimAws;
let server: SimServer;
let connection: Connection;
let client: Client;
let child: ChildProcess | undefined;

beforeAll(async () => {
  sim = createSimFromRunbookDir(DEFAULT_RUNBOOK_DIR, { scale: SCALE });
  server = await startSimServer({ sim });
  connection = await Connection.connect(loadTemporalConnection().options);
  client = new Client({ connection });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await connection?.close();
  await server?.close();
  sim?.close();
});

/** Resolves once `cond` holds, checking every 100 ms; rejects after `limitMs` with `what`. */
async function until(what: string, cond: () => boolean, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

it('finishes the in-flight activity on SIGTERM and exits 0', async () => {
  const taskQueue = `test-worker-shutdown-${randomUUID().slice(0, 8)}`;
  // Every DescribeReplicationGroups call takes 5 wall seconds (300 simulated seconds at 60x).
  sim.world.faults.add({ service: 'elasticache', operation: 'describeReplicationGroups', kind: 'latency', latencyMs: 5 * 1000 * SCALE });

  let stderr = '';
  // `--import tsx`, not the tsx CLI: the CLI relays SIGTERM to a child process and SIGKILLs it when
  // that child has not acknowledged the signal within 30 ms, which a loaded machine misses (exit 143).
  child = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GAMEDAY_AWS: 'sim',
      GAMEDAY_SIM_URL: server.url,
      GAMEDAY_TASK_QUEUE: taskQueue,
      GAMEDAY_SHUTDOWN_GRACE_MS: '60000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));

  const workflowId = `shutdown-${randomUUID().slice(0, 8)}`;
  const handle = await client.workflow.start(preflightWorkflow, { taskQueue, workflowId, args: [{ runbook: 'payments-prod' }] });

  const inFlight = (): boolean =>
    sim.world.apiCalls.some((c) => c.service === 'elasticache' && c.operation === 'describeReplicationGroups');
  await until('the worker to call describeReplicationGroups', inFlight).catch((err: Error) => {
    throw new Error(`${err.message}; api calls: ${JSON.stringify(sim.world.apiCalls.slice(-5))}; worker stderr:\n${stderr.slice(-3000)}`);
  });
  child.kill('SIGTERM');

  expect(await exited).toBe(0);
  expect(stderr).toContain('worker stopped cleanly');

  // The activity the worker was running when it got SIGTERM completed (not failed, not timed out).
  // Terminate before reading the history: the server keeps events that arrive while a workflow
  // task is started out of the history until that task closes, and the shutdown can leave one
  // started (a task the server hands to a long poll the worker dropped at SIGTERM), which closes
  // only when it times out 10 s later. Terminating fails that task and writes every event the
  // server has accepted, so the history read is complete and final.
  await handle.terminate('test done: the worker was shut down on purpose');
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkCacheGroups');
  expect(scheduled).toBeDefined();
  const completed = events.find((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled!.eventId));
  expect(completed).toBeDefined();
  expect(events.some((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes)).toBe(false);
});
