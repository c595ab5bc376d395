/**
 * backtrackDrillWorkflow interrupted at each step, by an abort and by a workflow cancellation,
 * against the sim's ground truth: before the backtrack request (the point of no return) the drill
 * stops, the cluster is never backtracked and its rows are removed; from the request on the abort
 * is refused and a cancellation ignored, the drill runs to its end and its rows are removed.
 * Every step is held just after its effect (gated worker), so the request lands mid-step.
 */
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { abortSignal, reportQuery, statusQuery, type RunStatus } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import { backtrackDrillWorkflow } from '../workflows';
import { startGatedWorker, type GatedWorker } from './helpers/gated-worker';
import { startTestWorker, type TestWorker } from './helpers/worker';

let w: TestWorker;
let g: GatedWorker;

beforeAll(async () => {
  w = await startTestWorker('bt-abort', { scale: 120 });
  g = await startGatedWorker(w, 'bt-abort-gated');
});
afterAll(async () => {
  await g?.stop();
  await w?.shutdown();
});

async function status(h: WorkflowHandle): Promise<RunStatus | undefined> {
  return h.query(statusQuery).catch(() => undefined);
}

async function untilRecorded(h: WorkflowHandle): Promise<RunStatus> {
  for (;;) {
    const s = await status(h);
    if (s && s.aborts.length > 0) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
}

function backtracks(event: string): number {
  return w.sim.world.log.find({ service: 'rds', resource: 'analytics-use2', event }).length;
}

async function drillRows(workflowId: string): Promise<number> {
  const c = await w.sim.rdsSim.api({ region: 'us-east-2', accountId: '444455556666' }).describeDbCluster('analytics-use2');
  return w.sim.canary.countRows(c.dbClusterArn, 'analytics.gameday_canary', `backtrack-${workflowId}`);
}

const STEPS: [string, string, boolean][] = [
  ['write-marker', 'writeBacktrackMarker', false],
  ['write-sentinel', 'writeCorruptionSentinel', false],
  ['backtrack', 'startBacktrack', true],
  ['await-backtrack', 'awaitBacktrackComplete', true],
  ['verify', 'verifyBacktrack', true],
];

describe.each(['abort', 'cancel'] as const)('%s', (how) => {
  test.each(STEPS)(`${how} during %s (activity %s held; past the point of no return: %s)`, async (step, held, pastPonr) => {
    const gate = g.arm(held);
    const workflowId = w.id(`bt-${how}-${step}`);
    const requestedBefore = backtracks('backtrack-requested');
    const h = await w.client.workflow.start(backtrackDrillWorkflow, {
      taskQueue: g.taskQueue,
      workflowId,
      args: [{ runbook: 'analytics-prod' }],
    });
    await gate.reached;
    expect((await status(h))?.step).toBe(step);
    if (how === 'abort') await h.signal(abortSignal, { reason: `test: stop at ${step}`, by: 'tester' });
    else await h.cancel();
    const recorded = await untilRecorded(h);
    expect(recorded.aborts[0]).toMatchObject({ accepted: !pastPonr, duringStep: step });
    gate.release();

    let report: RunReport | undefined;
    if (pastPonr || how === 'abort') report = await h.result();
    else {
      const err = await h.result().catch((e: unknown) => e);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      report = (await h.query(reportQuery)) as RunReport | undefined;
    }
    const final = await h.query(statusQuery);
    if (pastPonr) {
      // Never interrupted: the backtrack ran once, to completion, and was verified.
      expect(report?.outcome).toBe('completed');
      expect(final.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
      expect(backtracks('backtrack-requested') - requestedBefore).toBe(1);
      expect(report?.measurement.rto.status).toBe('measured');
      if (how === 'abort') expect(final.aborts[0]!.refusal).toMatch(/past the point of no return/);
    } else {
      expect(report?.outcome).toBe('aborted');
      expect(backtracks('backtrack-requested')).toBe(requestedBefore);
      expect(final.steps.find((s) => s.step === 'backtrack')?.state).toBe('pending');
    }
    expect(final.undo.map((u) => u.state)).toEqual(['done']);
    expect(await drillRows(workflowId)).toBe(0);
    const desc = await w.client.workflow.getHandle(workflowId).describe();
    expect(desc.searchAttributes).toMatchObject({
      GamedayScenario: ['backtrack-drill'],
      GamedayVerdict: [pastPonr ? report!.measurement.verdict : 'aborted'],
    });
    expect(desc.status.name).toBe(pastPonr || how === 'abort' ? 'COMPLETED' : 'CANCELLED');
  });
});

test("bad input fails the run with the activity's failure type, before any step", async () => {
  const err = await w.client.workflow
    .execute(backtrackDrillWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: w.id('bt-bad'),
      args: [{ runbook: 'analytics-prod', extra: 1 } as never],
    })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidInput' });
});
