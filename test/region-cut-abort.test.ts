/**
 * regionCutWorkflow interrupted at each step (real Temporal, a fresh sim per case): an abort signal
 * or a workflow cancellation while the step's activity is in flight (held after its real work)
 * leaves no running experiment, no template of the run and no cut subnet; an aborted run returns
 * its report (`outcome: aborted`), a cancelled one fails as cancelled. Bad options are refused in
 * the first activity, naming the field, before any AWS call.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { abortSignal } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import type { SimAws } from '../sim';
import { regionCutWorkflow } from '../workflows';
import { startScenarioWorker, workflowBundle } from './helpers/scenario-worker';

beforeAll(async () => {
  await workflowBundle();
}, 120_000);

/** Nothing of the run left in the sim: no active experiment, no template tagged with it, no cut subnet. */
function assertNothingLeft(sim: SimAws, workflowId: string): void {
  expect(sim.fisSim.templatesTagged('gameday-run', workflowId)).toEqual([]);
  const log = sim.world.log.all();
  for (const e of log.filter((x) => x.service === 'fis' && x.event === 'experiment-pending')) {
    const ended = log.some(
      (x) => x.service === 'fis' && x.resource === e.resource && /experiment-(stopped|completed|failed)/.test(x.event),
    );
    expect({ experiment: e.resource, ended }).toEqual({ experiment: e.resource, ended: true });
  }
  for (const l of ['a', 'b', 'c']) expect(sim.fisSim.isSubnetCut(`subnet-payments-entry-us-east-1${l}`)).toBe(false);
}

const STEPS: [string, string][] = [
  ['prepare', 'prepareRegionCut'],
  ['steady state', 'checkRegionCutSteadyState'],
  ['template', 'createRegionCutTemplate'],
  ['start experiment', 'startFisExperiment'],
  ['measure', 'awaitHealthChecksFailed'],
  ['stop experiment', 'stopFisExperiment'],
  ['delete template', 'deleteRegionCutTemplate'],
  ['await restored', 'awaitRegionRestored'],
];

describe.each(['abort', 'cancel'] as const)('%s', (how) => {
  test.each(STEPS)(`${how} during "%s" leaves nothing behind`, async (step, activity) => {
    const s = await startScenarioWorker(`region-cut-${how}`);
    try {
      const gate = s.arm(activity);
      const workflowId = `region-cut-${how}-${step.replace(/ /g, '-')}-${Date.now()}`;
      const handle = await s.client.workflow.start(regionCutWorkflow, {
        taskQueue: s.taskQueue,
        workflowId,
        args: [{ runbook: 'payments-prod' }],
      });
      await gate.reached;
      if (how === 'abort') await handle.signal(abortSignal, { reason: `test: abort during ${step}`, by: 'test' });
      else await handle.cancel();
      gate.release();
      if (how === 'abort') {
        const report: RunReport = await handle.result();
        expect(report.outcome).toBe('aborted');
        expect(report.outcomeReason).toContain(`abort during ${step}`);
      } else {
        await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
        const desc = await handle.describe();
        expect(desc.status.name).toBe('CANCELLED');
      }
      assertNothingLeft(s.sim, workflowId);
    } finally {
      await s.stop();
    }
  });
});

test.each([
  [{ runbook: 'payments-prod', region: 'us-west-2' }, 'region: us-west-2 is not the primary region (us-east-1)'],
  [{ runbook: 'payments-prod', duration: '15 minutes' }, 'duration: expected an ISO-8601 duration'],
  [{ runbook: 'payments-prod', pollIntervalMs: 5 }, 'pollIntervalMs: expected an integer between 100 and 60000'],
  [{ runbook: 'payments-prod', promote: { mode: 'yolo' } }, 'promote.mode: expected'],
  [{ runbook: 'payments-prod', colour: 'red' }, 'colour: unknown field'],
  [{ runbook: 'nope' }, 'no runbook named "nope"'],
  [{ runbook: 'orders-prod' }, 'has no regionCut section'],
])('bad options %j are refused before any AWS call', async (input, message) => {
  const s = await startScenarioWorker('region-cut-bad');
  try {
    const before = s.sim.world.apiCalls.length;
    const err = await s.client.workflow
      .execute(regionCutWorkflow, { taskQueue: s.taskQueue, workflowId: `region-cut-bad-${Date.now()}`, args: [input as never] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
    expect(cause.type).toBe('InvalidRegionCutInput');
    expect(cause.message).toContain(message);
    expect(s.sim.world.apiCalls.slice(before)).toEqual([]);
  } finally {
    await s.stop();
  }
});
