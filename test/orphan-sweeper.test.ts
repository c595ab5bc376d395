/**
 * orphanSweeperWorkflow against the simulated AWS: a gameday-tagged temporary cluster (with an
 * instance) older than the threshold is deleted and reported; a young tagged one and the untagged
 * production clusters are left alone; a dry run deletes nothing. An abort during the scan deletes
 * nothing; once deleting (the point of no return) a cancellation never stops a sweep halfway.
 * The scan's list and the deletes run on the account's budget queue, and the report counts every
 * AWS call the sim received.
 */
import { abortSignal, statusQuery } from '../contracts/run';
import { startGatedWorker } from './helpers/gated-worker';
import { startTestWorker, type TestWorker } from './helpers/worker';
import { orphanSweeperWorkflow } from '../workflows/orphan-sweeper-workflow';
import { ownershipTags } from '../activities/restore/identifiers';
import type { RdsApi } from '../activities/aws/ports';
import { awsBudgetQueue } from '../lib/aws-budget';

let w: TestWorker;
let rds: RdsApi;
beforeAll(async () => {
  w = await startTestWorker('orphan-sweeper', { scale: 600 });
  rds = w.sim.rdsSim.api({ region: 'us-east-2', accountId: '444455556666' });
});
afterAll(async () => {
  await w?.shutdown();
});

/** Task queues of each activity type the run scheduled, from its history. */
async function activityQueues(workflowId: string): Promise<Map<string, string[]>> {
  const history = await w.client.workflow.getHandle(workflowId).fetchHistory();
  const queues = new Map<string, string[]>();
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s)
      queues.set(s.activityType?.name ?? '', [...new Set([...(queues.get(s.activityType?.name ?? '') ?? []), s.taskQueue?.name ?? ''])]);
  }
  return queues;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

test('deletes an old gameday-tagged cluster and its instance; leaves young and untagged ones', async () => {
  const now = w.sim.world.now();
  const restore = (id: string, createdAt: number) =>
    rds.restoreDbClusterToPointInTime({
      sourceDbClusterIdentifier: 'analytics-use2',
      dbClusterIdentifier: id,
      useLatestRestorableTime: true,
      tags: ownershipTags(`lost-${id}`, createdAt),
    });
  await restore('gameday-rv-old000000001', now - 2 * 86_400_000);
  await restore('gameday-rv-young0000001', now - 60_000);
  await until(async () => (await rds.describeDbCluster('gameday-rv-old000000001')).status === 'available');
  await rds.createDbInstance({
    dbInstanceIdentifier: 'gameday-rv-old000000001-1',
    dbClusterIdentifier: 'gameday-rv-old000000001',
    engine: 'aurora-mysql',
    dbInstanceClass: 'db.r6g.large',
    tags: {},
  });

  const dry = await w.client.workflow.execute(orphanSweeperWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: w.id('sweep-dry'),
    args: [{ runbooks: ['analytics-prod'], olderThan: '12h', dryRun: true }],
  });
  expect(dry.scan.orphans.map((o) => o.clusterId)).toEqual(['gameday-rv-old000000001']);
  expect(dry.removed).toEqual([]);
  expect(w.sim.world.log.find({ event: 'cluster-delete-requested' })).toHaveLength(0);

  const callsBefore = w.sim.world.apiCalls.length;
  const sweepId = w.id('sweep');
  const report = await w.client.workflow.execute(orphanSweeperWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: sweepId,
    args: [{ runbooks: ['analytics-prod'], olderThan: '12h' }],
  });
  expect(report.outcome).toBe('completed');
  // Every AWS call of the sweep ran on the account's budget queue, and the report counts them all.
  const sweepCalls = w.sim.world.apiCalls.slice(callsBefore);
  expect(sweepCalls.length).toBeGreaterThan(4);
  expect(report.awsCalls).toBe(sweepCalls.length);
  const budgetQueue = awsBudgetQueue(w.taskQueue, { accountId: '444455556666', region: 'us-east-2' });
  const queues = await activityQueues(sweepId);
  expect(queues.get('scanOrphanLocation')).toEqual([budgetQueue]);
  expect(queues.get('deleteTempCluster')).toEqual([budgetQueue]);
  expect(queues.get('awaitTempClusterGone')).toEqual([budgetQueue]);
  expect(queues.get('planOrphanSweep')).toEqual([w.taskQueue]);
  expect(report.removed).toEqual(['gameday-rv-old000000001']);
  expect(report.failures).toEqual([]);
  expect(report.scan.kept.map((k) => k.clusterId)).toEqual(['gameday-rv-young0000001']);
  expect(report.scan.orphans[0]).toMatchObject({
    ownerWorkflowIdTag: 'lost-gameday-rv-old000000001',
    instanceIds: ['gameday-rv-old000000001-1'],
  });
  expect(report.outcomes.map((o) => `${o.resource}:${o.state}`)).toEqual([
    'gameday-rv-old000000001-1:deleted',
    'gameday-rv-old000000001:deleted',
  ]);

  expect(w.sim.world.log.find({ resource: 'gameday-rv-old000000001', event: 'cluster-deleted' })).toHaveLength(1);
  expect(w.sim.world.log.find({ resource: 'gameday-rv-old000000001-1', event: 'instance-deleted' })).toHaveLength(1);
  expect((await rds.describeDbCluster('gameday-rv-young0000001')).status).not.toBe('deleting');
  expect((await rds.describeDbCluster('analytics-use2')).status).toBe('available');
  expect(w.sim.world.log.find({ event: 'cluster-delete-requested' }).map((e) => e.resource)).toEqual(['gameday-rv-old000000001']);
});

test('bad input names the field', async () => {
  await expect(
    w.client.workflow.execute(orphanSweeperWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: w.id('sweep-bad'),
      args: [{ olderThan: 'yesterday' }],
    }),
  ).rejects.toMatchObject({
    cause: { type: 'InvalidInput', message: expect.stringMatching(/input\.olderThan: expected a duration such as 30m, 6h or 1d/) },
  });
});

test('abort during the scan deletes nothing; a cancellation while deleting is ignored and the sweep completes', async () => {
  const g = await startGatedWorker(w, 'sweep-gated');
  try {
    const now = w.sim.world.now();
    for (const id of ['gameday-rv-old000000002', 'gameday-rv-old000000003'])
      await rds.restoreDbClusterToPointInTime({
        sourceDbClusterIdentifier: 'analytics-use2',
        dbClusterIdentifier: id,
        useLatestRestorableTime: true,
        tags: ownershipTags(`lost-${id}`, now - 2 * 86_400_000),
      });
    const deletesBefore = w.sim.world.log.find({ event: 'cluster-delete-requested' }).length;

    // The scan of the location runs on its budget queue (the gated worker holds it there too).
    const scanGate = g.arm('scanOrphanLocation');
    const aborted = await w.client.workflow.start(orphanSweeperWorkflow, {
      taskQueue: g.taskQueue,
      workflowId: w.id('sweep-abort'),
      args: [{ runbooks: ['analytics-prod'], olderThan: '12h' }],
    });
    await scanGate.reached;
    await aborted.signal(abortSignal, { reason: 'test: not now', by: 'tester' });
    while ((await aborted.query(statusQuery)).aborts.length === 0) await new Promise((r) => setTimeout(r, 10));
    scanGate.release();
    const stopped = await aborted.result();
    expect(stopped).toMatchObject({
      outcome: 'aborted',
      reason: expect.stringMatching(/^aborted by tester.*: test: not now$/),
      removed: [],
    });
    expect(stopped.scan.orphans.map((o) => o.clusterId)).toEqual(['gameday-rv-old000000002', 'gameday-rv-old000000003']);
    expect((await aborted.query(statusQuery)).phase).toBe('aborted');
    expect(w.sim.world.log.find({ event: 'cluster-delete-requested' })).toHaveLength(deletesBefore);

    const deleteGate = g.arm('deleteTempCluster');
    const cancelled = await w.client.workflow.start(orphanSweeperWorkflow, {
      taskQueue: g.taskQueue,
      workflowId: w.id('sweep-cancel'),
      args: [{ runbooks: ['analytics-prod'], olderThan: '12h' }],
    });
    await deleteGate.reached;
    await cancelled.cancel();
    while ((await cancelled.query(statusQuery)).aborts.length === 0) await new Promise((r) => setTimeout(r, 10));
    deleteGate.release();
    const report = await cancelled.result();
    expect(report.removed).toEqual(['gameday-rv-old000000002', 'gameday-rv-old000000003']);
    const s = await cancelled.query(statusQuery);
    expect(s.aborts[0]).toMatchObject({ via: 'cancellation', accepted: false });
    expect(s.pointOfNoReturn?.passed).toBe(true);
    for (const id of ['gameday-rv-old000000002', 'gameday-rv-old000000003'])
      expect(w.sim.world.log.find({ resource: id, event: 'cluster-deleted' })).toHaveLength(1);
  } finally {
    await g.stop();
  }
});
