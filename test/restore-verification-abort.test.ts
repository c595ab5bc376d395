/**
 * restoreVerificationWorkflow interrupted at each step, by an abort and by a workflow
 * cancellation, on the real dev server and the simulated AWS: whatever the step had created by
 * then (marker rows on the source, the temporary cluster, its instance) is gone afterwards, checked
 * against the sim's ground truth; every run still files a report and its search attributes.
 * Mutation steps are held just after their AWS effect (gated worker), so the interruption lands
 * while the step's activity is still running; waits are interrupted while they poll.
 */
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { abortSignal, reportQuery, statusQuery, type RunStatus } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import { restoreVerificationWorkflow } from '../workflows';
import { startGatedWorker, type GatedWorker } from './helpers/gated-worker';
import { startTestWorker, type TestWorker } from './helpers/worker';

const SOURCE = { region: 'us-east-2', accountId: '444455556666' };
const TABLE = 'analytics.gameday_canary';
let w: TestWorker;
let g: GatedWorker;

beforeAll(async () => {
  w = await startTestWorker('rv-abort', { scale: 600 });
  g = await startGatedWorker(w, 'rv-abort-gated');
});
afterAll(async () => {
  await g?.stop();
  await w?.shutdown();
});

async function status(h: WorkflowHandle): Promise<RunStatus | undefined> {
  return h.query(statusQuery).catch(() => undefined); // before the first workflow task: no handler yet
}

/** Waits until the status shows `step` running. */
async function untilRunning(h: WorkflowHandle, step: string): Promise<RunStatus> {
  const until = Date.now() + 60_000;
  for (;;) {
    const s = await status(h);
    if (s && s.step === step && s.steps.find((x) => x.step === step)?.state === 'running') return s;
    if (Date.now() > until || (s && s.phase !== 'running')) throw new Error(`never saw ${step} running: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the run has recorded an abort request or the cancellation. */
async function untilRecorded(h: WorkflowHandle): Promise<void> {
  while (((await status(h))?.aborts.length ?? 0) === 0) await new Promise((r) => setTimeout(r, 10));
}

/** Ground truth: no temporary cluster or instance of the run exists, and no marker row on the source. */
async function expectNothingLeft(data: Record<string, unknown>): Promise<void> {
  const rds = w.sim.rdsSim.api(SOURCE);
  const clusterId = data.tempClusterId as string;
  await expect(rds.describeDbCluster(clusterId)).rejects.toMatchObject({ name: 'DBClusterNotFoundFault' });
  await expect(rds.describeDbInstance(data.tempInstanceId as string)).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
  const owned = await rds.listDbClusters({ tags: { 'gameday:owner': 'gameday' } });
  expect(owned.map((c) => c.dbClusterIdentifier)).not.toContain(clusterId);
  const requested = w.sim.world.log.find({ resource: clusterId, event: 'cluster-restore-requested' }).length;
  expect(requested).toBeLessThanOrEqual(1);
  expect(w.sim.world.log.find({ resource: clusterId, event: 'cluster-deleted' })).toHaveLength(requested);
  const source = await rds.describeDbCluster('analytics-use2');
  expect(w.sim.canary.countRows(source.dbClusterArn, TABLE, data.markerRunId as string)).toBe(0);
}

// Each step, and the activity held after its effect (none: a wait, interrupted while it polls).
const STEPS: [string, string | undefined][] = [
  ['write-markers', 'writeRestoreMarkers'],
  ['await-restorable', undefined],
  ['restore', 'startPointInTimeRestore'],
  ['await-cluster', undefined],
  ['create-instance', 'createRestoredInstance'],
  ['await-instance', undefined],
  ['verify', 'verifyRestoredData'],
];

describe.each(['abort', 'cancel'] as const)('%s', (how) => {
  test.each(STEPS)(`${how} during %s leaves no cluster, instance or marker row; the run files its report`, async (step, held) => {
    const gate = held ? g.arm(held) : undefined;
    const workflowId = w.id(`rv-${how}-${step}`);
    const h = await w.client.workflow.start(restoreVerificationWorkflow, {
      taskQueue: g.taskQueue,
      workflowId,
      args: [{ runbook: 'analytics-prod' }],
    });
    if (gate) await gate.reached;
    const s = await untilRunning(h, step);
    const data = s.data ?? {};
    if (how === 'abort') await h.signal(abortSignal, { reason: `test: stop at ${step}`, by: 'tester' });
    else await h.cancel();
    await untilRecorded(h);
    gate?.release();

    let report: RunReport | undefined;
    if (how === 'abort') {
      report = await h.result();
      expect(report.outcomeReason).toBe(`aborted by tester: test: stop at ${step}`);
    } else {
      const err = await h.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      report = (await h.query(reportQuery)) as RunReport | undefined;
      expect(report?.outcomeReason).toBe('workflow cancelled');
    }
    expect(report?.outcome).toBe('aborted');
    await expectNothingLeft(data);

    const final = await h.query(statusQuery);
    expect(final.phase).toBe(how === 'abort' ? 'aborted' : 'cancelled');
    expect(final.aborts[0]).toMatchObject({ accepted: true, duringStep: step, via: how === 'abort' ? 'signal' : 'cancellation' });
    expect(final.undo.length).toBeGreaterThan(0);
    expect(final.undo.every((u) => u.state === 'done')).toBe(true);
    if (step !== 'verify') expect(final.steps.find((x) => x.step === 'verify')?.state).toBe('pending'); // never begun
    const desc = await w.client.workflow.getHandle(workflowId).describe();
    expect(desc.searchAttributes).toMatchObject({ GamedayScenario: ['restore-verification'], GamedayVerdict: ['aborted'] });
  });
});

test('reportQuery answers while the run is going, with the facts so far', async () => {
  const h = await w.client.workflow.start(restoreVerificationWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: w.id('rv-live-report'),
    args: [{ runbook: 'analytics-prod' }],
  });
  await untilRunning(h, 'await-instance');
  const live = (await h.query(reportQuery)) as RunReport | undefined;
  expect(live?.outcomeReason).toBe('running (step await-instance): the report so far');
  expect(live?.timeline.map((e) => e.name)).toEqual(['restore-started']);
  const report = await h.result();
  expect(report.outcome).toBe('completed');
  expect(await h.query(reportQuery)).toEqual(report);
});
