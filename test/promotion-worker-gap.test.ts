/**
 * Worker gaps in a promotion (issue 15 item 5): the worker process is SIGKILLed while a wait
 * activity is running, twice (during await-writable, then during await-insync), and a new worker is
 * started each time; the retried attempts run after a heartbeat timeout. The report must time the
 * promotion's end from AWS's own record (RDS-EVENT-0238), not from the retry that saw it, and must
 * name each gap and the figures resting on it (the traffic phase and RTO are not AWS-timed).
 * The simulated AWS lives in this process behind its HTTP server, on a plain scaled clock that the
 * worker processes rebuild from its spec (no stall absorbing: every process reads the same time).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadTemporalConnection } from '../lib/temporal-connection';
import type { RunReport } from '../lib/measurement-types';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { startSimServer, type SimServer } from '../sim/server';
import { statusQuery } from '../contracts/run';
import { approvePromotionUpdate } from '../contracts/promotion';
import { WorkerProcesses, killed, waitFor, running } from './helpers/worker-process';

const ROOT = resolve(__dirname, '..');
const WORKFLOW_ID = 'promote-payments-global';

let sim: SimAws;
let server: SimServer;
let connection: Connection;
let client: Client;
const workers = new WorkerProcesses(`test-promotion-gap-${randomUUID().slice(0, 8)}`);
const taskQueue = workers.taskQueue;
const startWorker = (): ChildProcess => workers.start(server.url);

beforeAll(async () => {
  // Scale 10: the sim's failover (60–120 s) and Route 53 propagation outlast a worker restart.
  sim = createSimFromRunbookDir(resolve(ROOT, 'runbooks'), { scale: 10, absorbStalls: false });
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

test('SIGKILL during two waits: the promotion end is AWS’s time, and the report names both gaps and what rests on them', async () => {
  let worker = startWorker();
  const h = await client.workflow.start('regionPromotionWorkflow', {
    taskQueue,
    workflowId: WORKFLOW_ID,
    args: [{ runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'failover' }],
  });
  await waitFor('awaiting approval', async () => ((await h.query(statusQuery)).awaiting !== undefined ? true : undefined));
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });

  await running(h, 'awaitClusterWritable');
  await killed(worker);
  worker = startWorker();
  await running(h, 'awaitChangeInsync');
  await killed(worker);
  startWorker();
  const report = (await h.result()) as RunReport;
  expect(report.outcome).toBe('completed');

  // The promotion's end is the ground truth's writer change exactly, from RDS-EVENT-0238.
  const truth = sim.world.log.find({ service: 'rds', event: 'cluster-writable', resource: 'payments-usw2' })[0]!.at;
  const finished = report.timeline.find((e) => e.name === 'promotion-finished')!;
  expect({ at: finished.at, source: finished.source }).toEqual({ at: truth, source: 'rds-event' });

  const gaps = report.details.workerGaps as { step: string; attempt: number; restingEvents: string[]; awsTimedEvents: string[] }[];
  const byStep = Object.fromEntries(gaps.map((g) => [g.step, g]));
  expect(byStep['await-writable']).toMatchObject({ restingEvents: [], awsTimedEvents: ['promotion-finished'] });
  expect(byStep['await-writable']!.attempt).toBeGreaterThanOrEqual(2);
  expect(byStep['await-insync']).toMatchObject({ restingEvents: ['traffic-converged'], awsTimedEvents: [] });
  const notes = report.notes.join('\n');
  expect(notes).toMatch(/worker gap: step await-writable .*promotion-finished timed by AWS's own record .*no reported figure rests on it/);
  expect(notes).toMatch(
    /worker gap: step await-insync .*traffic-converged was stamped by the retry.*figures resting on it: traffic phase, app phase/,
  );
  // The traffic figure still holds the truth inside its window: INSYNC happened in (notBefore, at].
  const converged = report.timeline.find((e) => e.name === 'traffic-converged')!;
  const insync = sim.world.log.find({ service: 'route53', event: 'change-insync' })[0]!.at;
  expect(converged.notBefore).toBeLessThan(insync);
  expect(converged.at).toBeGreaterThanOrEqual(insync);
  // Exactly one promotion took effect.
  expect(sim.world.apiCalls.filter((c) => c.operation === 'failoverGlobalCluster')).toHaveLength(1);
}, 300_000);
