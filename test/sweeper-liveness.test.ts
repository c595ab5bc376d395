/**
 * The orphan sweeper never deletes a resource whose owning run is still open (issue 11, item 4),
 * against the sim's ground truth and the real Temporal server: a restore verification held in
 * progress keeps its temporary cluster through a sweep with the minimum threshold (the cluster is
 * older than it) and through a sweep of a cluster tagged with a forged old creation time; the
 * delete activity itself re-asks Temporal; once the drill's run is closed, a cluster it owned is
 * an orphan and is deleted. Thresholds below the safe minimum are refused before any AWS call.
 */
import { performance } from 'node:perf_hooks';
import { startGatedWorker, type GatedWorker } from './helpers/gated-worker';
import { startTestWorker, type TestWorker } from './helpers/worker';
import { orphanSweeperWorkflow } from '../workflows/orphan-sweeper-workflow';
import { restoreVerificationWorkflow } from '../workflows/restore-verification-workflow';
import { ownershipTags, RUN_ID_TAG, tempResourceIds, WORKFLOW_ID_TAG } from '../activities/restore/identifiers';
import { deleteTempCluster } from '../activities/restore/delete-temp-cluster';
import type { RdsApi } from '../activities/aws/ports';
import { ScheduleRequest } from '../lib/schedules';

const TARGET = { region: 'us-east-2', accountId: '444455556666' };
let w: TestWorker;
let g: GatedWorker;
let rds: RdsApi;

beforeAll(async () => {
  w = await startTestWorker('sweeper-liveness', { scale: 600 });
  g = await startGatedWorker(w, 'sweeper-liveness-gated');
  rds = w.sim.rdsSim.api(TARGET);
});
afterAll(async () => {
  await g?.stop();
  await w?.shutdown();
});

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const deleteRequests = (id: string) => w.sim.world.log.find({ resource: id, event: 'cluster-delete-requested' }).length;
const sweep = (olderThan: string) =>
  w.client.workflow.execute(orphanSweeperWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: w.id('sweep-liveness'),
    args: [{ runbooks: ['analytics-prod'], olderThan }],
  });

test('a drill in progress keeps its cluster (minimum threshold, forged old creation time, delete re-check); a closed run’s cluster is swept', async () => {
  const gate = g.arm('createRestoredInstance');
  const drillId = w.id('rv-live');
  const drill = await w.client.workflow.start(restoreVerificationWorkflow, {
    taskQueue: g.taskQueue,
    workflowId: drillId,
    args: [{ runbook: 'analytics-prod' }],
  });
  await gate.reached; // the temporary cluster exists; the drill is open
  const clusterId = tempResourceIds(drillId).clusterId;
  const cluster = await rds.describeDbCluster(clusterId);
  expect(cluster.tags[WORKFLOW_ID_TAG]).toBe(drillId);
  expect(cluster.tags[RUN_ID_TAG]).toBe(drill.firstExecutionRunId);

  // The minimum threshold, with the drill's cluster older than it (simulated time runs on while the step is held).
  const createdAt = Date.parse(cluster.tags['gameday:created-at']!);
  await until(() => w.sim.world.now() - createdAt > 31 * 60_000, 'the drill cluster to pass 30 simulated minutes');
  const first = await sweep('30m');
  expect(first.scan.orphans.map((o) => o.clusterId)).not.toContain(clusterId);
  expect(first.scan.kept.find((k) => k.clusterId === clusterId)?.keptBecause).toBe(`its owning run ${drillId} is still open`);
  expect(deleteRequests(clusterId)).toBe(0);

  // A cluster of the same open run with a forged creation time two days back.
  const forged = 'gameday-rv-forged0000001';
  await rds.restoreDbClusterToPointInTime({
    sourceDbClusterIdentifier: 'analytics-use2',
    dbClusterIdentifier: forged,
    useLatestRestorableTime: true,
    tags: ownershipTags(drillId, w.sim.world.now() - 2 * 86_400_000, drill.firstExecutionRunId),
  });
  const second = await sweep('12h');
  expect(second.removed).toEqual([]);
  expect(second.scan.kept.map((k) => k.clusterId).sort()).toEqual([clusterId, forged].sort());
  expect(deleteRequests(forged)).toBe(0);

  // The delete activity asks Temporal again (a scan that raced the drill's start cannot delete).
  await expect(deleteTempCluster(w.deps, { target: TARGET, clusterId, instanceIds: [] })).rejects.toMatchObject({
    type: 'OwnerRunOpen',
    nonRetryable: true,
    message: expect.stringContaining(`its owning run ${drillId}`),
  });
  expect(deleteRequests(clusterId)).toBe(0);
  expect((await rds.describeDbCluster(clusterId)).status).not.toBe('deleting');

  // The drill ends (it deletes its own cluster); the forged cluster is now an orphan of a closed run.
  gate.release();
  await drill.result();
  expect(w.sim.world.log.find({ resource: clusterId, event: 'cluster-deleted' })).toHaveLength(1);
  const third = await sweep('12h');
  expect(third.removed).toEqual([forged]);
  expect(w.sim.world.log.find({ resource: forged, event: 'cluster-deleted' })).toHaveLength(1);
  expect((await rds.describeDbCluster('analytics-use2')).status).toBe('available');
});

test.each(['0m', '10m', '29m'])('olderThan %s is refused below the 30m minimum, before any AWS call', async (olderThan) => {
  const calls = w.sim.world.apiCalls.length;
  const t0 = performance.now();
  const err = await sweep(olderThan).catch((e: unknown) => e);
  const ms = performance.now() - t0;
  expect(err).toMatchObject({
    cause: {
      type: 'InvalidInput',
      nonRetryable: true,
      message: expect.stringContaining(`input.olderThan: ${olderThan} is below the safe minimum of 30m`),
    },
  });
  expect(w.sim.world.apiCalls.length).toBe(calls);
  process.stdout.write(`refusal olderThan=${olderThan}: ${ms.toFixed(0)} ms (wall clock, performance.now, start to failure)\n`);
});

test('a sweeper schedule below 30m, or any schedule input with a credential, is refused when it is created', () => {
  const issues = (input: Record<string, unknown>, kind: 'orphan-sweeper' | 'nightly-restore-verification' = 'orphan-sweeper') => {
    const r = ScheduleRequest.safeParse({ kind, input, runbook: 'analytics-prod' });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  expect(issues({ olderThan: '10m' })).toEqual(["input.olderThan: 10m is below the sweeper's safe minimum of 30m; use 30m or more"]);
  expect(issues({ olderThan: '0m' })).toHaveLength(1);
  expect(issues({ olderThan: '30m' })).toEqual([]);
  expect(issues({ runbook: 'analytics-prod', dbPassword: 'x1y2z3' }, 'nightly-restore-verification')).toEqual([
    expect.stringMatching(/^input\.dbPassword: looks like a credential/),
  ]);
});
