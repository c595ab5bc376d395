/**
 * The worker process is killed (SIGKILL) in the middle of a region promotion and a new one is
 * started: the simulated AWS lives in this test process behind its HTTP server (the workers reach
 * it through GAMEDAY_SIM_URL), so its state and ground-truth log survive the kill. The run must
 * complete with exactly one promote call having taken effect.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { startSimServer, type SimServer } from '../sim/server';
import { statusQuery } from '../contracts/run';
import { approvePromotionUpdate } from '../contracts/promotion';
import { WorkerProcesses, killed, waitFor } from './helpers/worker-process';

const ROOT = resolve(__dirname, '..');
const WORKFLOW_ID = 'promote-payments-global';

let sim: SimAws;
let server: SimServer;
let connection: Connection;
let client: Client;
const workers = new WorkerProcesses(`test-promotion-restart-${randomUUID().slice(0, 8)}`);
const taskQueue = workers.taskQueue;
const startWorker = (): ChildProcess => workers.start(server.url);

beforeAll(async () => {
  sim = createSimFromRunbookDir(resolve(ROOT, 'runbooks'), { scale: 30 });
  server = await startSimServer({ sim });
  connection = await Connection.connect(loadTemporalConnection().options);
  client = new Client({ connection });
});

afterAll(async () => {
  await client.workflow
    .getHandle(WORKFLOW_ID)
    .terminate('test cleanup')
    .catch(() => undefined);
  await workers.killAll();
  await connection.close();
  await server.close();
  sim.close();
});

test('SIGKILL of the worker mid-promotion, restart: the run completes and exactly one switchover took effect', async () => {
  const first = startWorker();
  const h = await client.workflow.start('regionPromotionWorkflow', {
    taskQueue,
    workflowId: WORKFLOW_ID,
    args: [{ runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover' }],
  });
  await waitFor('awaiting approval', async () => ((await h.query(statusQuery)).awaiting !== undefined ? true : undefined));
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });

  // Kill the worker once the promote call has been scheduled (the point of no return).
  const atKill = await waitFor('the promotion in flight', async () => {
    const d = await h.query(statusQuery);
    return d.pointOfNoReturn?.passed ? d.step : undefined;
  });
  await killed(first);
  expect(['promote', 'await-writable']).toContain(atKill);
  const requestedBeforeRestart = sim.world.log.find({ service: 'rds', event: 'global-switchover-requested' }).length;
  expect(requestedBeforeRestart).toBeLessThanOrEqual(1);

  startWorker();
  const report = (await h.result()) as { outcome: string; details: { promoteEffect: string } };

  expect(report.outcome).toBe('completed');
  // Exactly one switchover took effect (ground truth), whatever the number of attempts.
  expect(sim.world.log.find({ service: 'rds', event: 'global-switchover-requested' })).toHaveLength(1);
  expect(sim.world.log.find({ service: 'rds', event: 'global-switchover-complete' })).toHaveLength(1);
  expect(sim.world.apiCalls.filter((c) => c.operation === 'switchoverGlobalCluster')).toHaveLength(1);
  expect(sim.rdsSim.writerRegion('payments-global')).toBe('us-west-2');
  // If the first worker died after sending the call, the retry found it in progress instead of sending it again.
  if (requestedBeforeRestart === 1 && atKill === 'promote')
    expect(['called', 'already-in-progress', 'already-done']).toContain(report.details.promoteEffect);
}, 180_000);
