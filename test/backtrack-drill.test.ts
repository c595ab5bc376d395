/**
 * backtrackDrillWorkflow against the simulated AWS: passes on analytics-prod (Aurora MySQL with a
 * backtrack window): the sentinel written after T is rewound, the marker survives, the time to
 * recover is measured against the ground truth; refused, before any mutation, with the reason,
 * for Aurora PostgreSQL (payments-prod) and for a global-database member (orders-prod). Its RDS
 * calls run on the account's budget queue and the report counts them.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startTestWorker, type TestWorker } from './helpers/worker';
import { backtrackDrillWorkflow } from '../workflows/backtrack-drill-workflow';
import type { RunReport } from '../lib/measurement-types';
import { awsBudgetQueue } from '../lib/aws-budget';

const SCALE = 120;
let w: TestWorker;

beforeAll(async () => {
  w = await startTestWorker('backtrack-drill', { scale: SCALE });
});
afterAll(async () => {
  await w?.shutdown();
});

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = (err as WorkflowFailedError).cause;
  while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as Error).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

test('drill on Aurora MySQL with Backtrack: sentinel rewound, marker kept, recovery measured', async () => {
  const workflowId = w.id('bt-analytics');
  const callsBefore = w.sim.world.apiCalls.length;
  const report: RunReport = await w.client.workflow.execute(backtrackDrillWorkflow, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ runbook: 'analytics-prod' }],
  });
  expect(report.scenario).toBe('backtrack-drill');
  expect(report.outcome).toBe('completed');
  const checks = (report.details as { checks: { name: string; status: string }[] }).checks;
  expect(checks).toEqual([
    expect.objectContaining({ name: 'marker row present', status: 'pass' }),
    expect.objectContaining({ name: 'corruption sentinel gone', status: 'pass' }),
  ]);

  const requested = w.sim.world.log.find({ service: 'rds', resource: 'analytics-use2', event: 'backtrack-requested' });
  const completed = w.sim.world.log.find({ service: 'rds', resource: 'analytics-use2', event: 'backtrack-completed' });
  expect(requested).toHaveLength(1);
  expect(completed).toHaveLength(1);
  expect(completed[0]!.detail).toMatchObject({ rowsRemoved: 1 }); // exactly the sentinel
  const truth = completed[0]!.at - requested[0]!.at;
  expect(report.measurement.rto.status).toBe('measured');
  const measured = report.measurement.rto.status === 'measured' ? report.measurement.rto.valueMs : NaN;
  // Start: AWS's own request time. End: seen by polling, so the report states the window the truth
  // lies in; the figure is its later bound. How wide the window is under load is a benchmark's
  // business (`npm run bench`), not a test's.
  const earliest = report.measurement.rto.status === 'measured' ? report.measurement.rto.earliestMs : undefined;
  expect(earliest).toBeDefined();
  expect(truth).toBeLessThanOrEqual(measured);
  expect(truth).toBeGreaterThan(earliest!);
  expect((report.measurement.notes ?? []).join('\n')).toContain(`between ${earliest} ms and ${measured} ms after restore-started`);
  expect(report.measurement.rto.status === 'measured' && report.measurement.rto.verdict).toBe('pass');

  // The RDS calls (cluster read, backtrack, its wait) ran on the account's budget queue, one call
  // per attempt; the report counts every AWS call the sim received for the run, those and the
  // closing CloudWatch metric publication (DNS lookups are not AWS API calls).
  const runCalls = w.sim.world.apiCalls.slice(callsBefore).filter((c) => c.service !== 'dns' && c.caller === undefined);
  const rdsCalls = runCalls.filter((c) => c.service === 'rds');
  expect(rdsCalls.map((c) => c.operation)).toEqual(expect.arrayContaining(['describeDbCluster', 'backtrackDbCluster']));
  expect(runCalls.filter((c) => c.service !== 'rds').map((c) => c.operation)).toEqual(['putMetricData']);
  expect(report.measurement.resolution.awsCalls).toBe(runCalls.length);
  expect(report.notes.join('\n')).toContain(`${rdsCalls.length} AWS calls there`);
  const budgetQueue = awsBudgetQueue(w.taskQueue, { accountId: '444455556666', region: 'us-east-2' });
  const scheduled = new Map<string, string>();
  for (const e of (await w.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) scheduled.set(a.activityType?.name ?? '', a.taskQueue?.name ?? '');
  }
  for (const step of ['prepareBacktrackDrill', 'startBacktrack', 'awaitBacktrackComplete']) expect(scheduled.get(step)).toBe(budgetQueue);
  for (const step of ['resolveBacktrackTarget', 'writeBacktrackMarker', 'verifyBacktrack']) expect(scheduled.get(step)).toBe(w.taskQueue);

  // The drill's rows are removed afterwards.
  const arn = (await w.sim.rdsSim.api({ region: 'us-east-2', accountId: '444455556666' }).describeDbCluster('analytics-use2')).dbClusterArn;
  expect(w.sim.canary.countRows(arn, 'analytics.gameday_canary', `backtrack-${workflowId}`)).toBe(0);
});

test.each([
  ['payments-prod', /Aurora PostgreSQL/],
  ['orders-prod', /member of global database orders-global/],
])('refused for %s before any mutation', async (runbook, reason) => {
  const before = w.sim.world.apiCalls.length;
  const failure = await failureOf(
    w.client.workflow.execute(backtrackDrillWorkflow, { taskQueue: w.taskQueue, workflowId: w.id(`bt-${runbook}`), args: [{ runbook }] }),
  );
  expect(failure.type).toBe('BacktrackNotSupported');
  expect(failure.message).toMatch(/^Backtrack refused for /);
  expect(failure.message).toMatch(reason);
  expect(w.sim.world.apiCalls.slice(before).filter((c) => c.operation === 'backtrackDbCluster')).toHaveLength(0);
});

test('the sim itself refuses Backtrack on PostgreSQL and on a global member with the AWS error', async () => {
  const pg = w.sim.rdsSim.api({ region: 'us-east-1', accountId: '111122223333' });
  await expect(
    pg.backtrackDbCluster({ dbClusterIdentifier: 'payments-use1', backtrackTo: w.sim.world.now() - 1000 }),
  ).rejects.toMatchObject({ name: 'InvalidDBClusterStateFault' });
  const my = w.sim.rdsSim.api({ region: 'eu-west-1', accountId: '111122223333' });
  await expect(my.backtrackDbCluster({ dbClusterIdentifier: 'orders-euw1', backtrackTo: w.sim.world.now() - 1000 })).rejects.toMatchObject({
    name: 'InvalidDBClusterStateFault',
  });
});
