/**
 * instanceTerminationWorkflow end to end on the simulated AWS (real Temporal, a fresh sim per
 * case): the figures agree with the sim's ground truth (each true moment lies in its detection's
 * read window; each figure is observed − the TerminateInstances call), only instances inside the
 * blast radius are terminated, an abort or a cancellation at each step leaves no watch polling and
 * terminates nothing before the terminate step, and bad options are refused before any AWS call.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { INSTANCE_TERMINATION_FIGURES } from '../contracts/instance-termination';
import { abortSignal } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import { renderMarkdown } from '../lib/report';
import type { GroundTruthEvent } from '../sim/world';
import { instanceTerminationWorkflow } from '../workflows';
import { startScenarioWorker, workflowBundle } from './helpers/scenario-worker';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/payments-api/0123456789abcdef';

beforeAll(async () => {
  await workflowBundle();
}, 120_000);

test('terminating a third of the group measures capacity, target group and alarm against the sim ground truth', async () => {
  const s = await startScenarioWorker('chaos-monkey');
  try {
    const report: RunReport = await s.client.workflow.execute(instanceTerminationWorkflow, {
      taskQueue: s.taskQueue,
      workflowId: `chaos-monkey-${Date.now()}`,
      args: [{ runbook: 'payments-prod', percent: 34 }],
    });
    expect(report.scenario).toBe('instance-termination');
    expect(report.outcome).toBe('completed');
    const terminated = report.details.terminated as string[];
    expect(terminated).toHaveLength(2); // ceil(3 × 34 %) = 2
    const log = s.sim.world.log.all();
    const after = (from: number, match: (e: GroundTruthEvent) => boolean): GroundTruthEvent[] =>
      log.filter((e) => e.at >= from && match(e));
    // the fault: the call was issued before the sim saw it and returned after
    const requested = after(0, (e) => e.event === 'instance-terminate-requested');
    expect(requested.map((e) => e.resource).sort()).toEqual([...terminated].sort());
    const callAt = report.details.terminateCallAt as number;
    expect(requested[0]!.at).toBeGreaterThanOrEqual(callAt);
    expect(requested[0]!.at).toBeLessThanOrEqual(report.details.terminateCallReturnedAt as number);
    // ground truth of each figure
    const inService = after(callAt, (e) => e.event === 'asg-instance-in-service' && terminated.includes(e.detail?.replaces as string));
    expect(inService).toHaveLength(2);
    const capacityAt = Math.max(...inService.map((e) => e.at));
    const tgAt = after(callAt, (e) => e.event === 'target-health-changed' && e.resource === TG && e.detail?.healthy === 3)[0]!.at;
    const firedAt = after(
      callAt,
      (e) => e.event === 'alarm-state-changed' && e.resource === 'payments-api-healthy-hosts' && e.detail?.to === 'ALARM',
    )[0]!.at;
    const okAt = after(
      firedAt,
      (e) => e.event === 'alarm-state-changed' && e.resource === 'payments-api-healthy-hosts' && e.detail?.to === 'OK',
    )[0]!.at;
    const windows = report.details.detections as Record<string, { previousReadAt: number; observedAt: number }>;
    for (const [name, truth] of [
      [INSTANCE_TERMINATION_FIGURES.capacityRestored, capacityAt],
      [INSTANCE_TERMINATION_FIGURES.targetGroupHealthy, tgAt],
      ['service-alarm-fired', firedAt],
      [INSTANCE_TERMINATION_FIGURES.serviceAlarmOk, okAt],
    ] as const) {
      const win = windows[name]!;
      expect({ name, before: win.previousReadAt < truth, seen: win.observedAt >= truth }).toEqual({ name, before: true, seen: true });
      const fig = report.measurement.components.find((c) => c.component === name);
      if (fig) expect(fig.rto).toMatchObject({ status: 'measured', valueMs: win.observedAt - callAt });
    }
    // realistic order: replacement in service, then healthy in the target group, then the alarm OK
    expect(tgAt).toBeGreaterThan(capacityAt);
    expect(okAt).toBeGreaterThan(tgAt);
    expect(report.measurement.rto).toMatchObject({
      status: 'measured',
      valueMs: windows[INSTANCE_TERMINATION_FIGURES.serviceAlarmOk]!.observedAt - callAt,
    });
    expect(report.measurement.verdict).toBe('pass');
    expect(renderMarkdown(report)).toContain('asg-desired-healthy-capacity');
    // only the group's tagged instances were touched, nothing else
    expect(s.sim.world.apiCalls.filter((c) => c.operation === 'terminateInstances')).toHaveLength(1);
  } finally {
    await s.stop();
  }
});

const STEPS: [string, string][] = [
  ['prepare', 'prepareInstanceTermination'],
  ['steady state', 'checkTerminationSteadyState'],
  ['select', 'selectInstancesToTerminate'],
  ['terminate', 'terminateInstances'],
  ['await recovery', 'awaitCapacityRestored'],
];

describe.each(['abort', 'cancel'] as const)('%s', (how) => {
  test.each(STEPS)(`${how} during "%s": nothing terminated before the terminate step, no watch left polling`, async (step, activity) => {
    const s = await startScenarioWorker(`chaos-monkey-${how}`);
    try {
      const gate = s.arm(activity);
      const workflowId = `chaos-monkey-${how}-${step.replace(/ /g, '-')}-${Date.now()}`;
      const handle = await s.client.workflow.start(instanceTerminationWorkflow, {
        taskQueue: s.taskQueue,
        workflowId,
        args: [{ runbook: 'payments-prod', count: 1 }],
      });
      await gate.reached;
      if (how === 'abort') await handle.signal(abortSignal, { reason: `test: abort during ${step}`, by: 'test' });
      else await handle.cancel();
      gate.release();
      if (how === 'abort') expect(((await handle.result()) as RunReport).outcome).toBe('aborted');
      else {
        await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
        expect((await handle.describe()).status.name).toBe('CANCELLED');
      }
      const terminations = s.sim.world.log.all().filter((e) => e.event === 'instance-terminate-requested');
      const terminateRan = STEPS.findIndex(([x]) => x === step) >= STEPS.findIndex(([x]) => x === 'terminate');
      expect(terminations).toHaveLength(terminateRan ? 1 : 0);
      // every watch stopped with the run: no read of the group after it ended (the waits are awaited until cancelled)
      const reads = s.sim.world.apiCalls.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(s.sim.world.apiCalls.length).toBe(reads);
    } finally {
      await s.stop();
    }
  });
});

test.each([
  [{ runbook: 'payments-prod', percent: 0 }, 'percent: expected an integer from 1 to 100'],
  [{ runbook: 'payments-prod', percent: 10, count: 1 }, 'count: give percent or count, not both'],
  [{ runbook: 'payments-prod', count: 1, autoScalingGroup: 'billing-api' }, 'autoScalingGroup: billing-api is not one of the runbook'],
  [{ runbook: 'payments-prod', count: 1, recoveryTimeout: 'soon' }, 'recoveryTimeout: expected a duration'],
  [{ runbook: 'orders-prod', count: 1 }, 'has no instanceTermination section'],
  [{ percent: 10 }, 'runbook: required'],
])('bad options %j are refused before any AWS call', async (input, message) => {
  const s = await startScenarioWorker('chaos-monkey-bad');
  try {
    const before = s.sim.world.apiCalls.length;
    const err = await s.client.workflow
      .execute(instanceTerminationWorkflow, {
        taskQueue: s.taskQueue,
        workflowId: `chaos-monkey-bad-${Date.now()}`,
        args: [input as never],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
    expect(cause.type).toBe('InvalidInstanceTerminationInput');
    expect(cause.message).toContain(message);
    expect(s.sim.world.apiCalls.slice(before)).toEqual([]);
  } finally {
    await s.stop();
  }
});

test('asking for more instances than are eligible (in service, inside the blast radius) terminates nothing', async () => {
  const s = await startScenarioWorker('chaos-monkey-radius');
  try {
    const err = await s.client.workflow
      .execute(instanceTerminationWorkflow, {
        taskQueue: s.taskQueue,
        workflowId: `chaos-monkey-radius-${Date.now()}`,
        args: [{ runbook: 'payments-prod', count: 4 }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause as { type?: string }).type).toBe('BlastRadiusTooSmall');
    expect(s.sim.world.log.all().filter((e) => e.event === 'instance-terminate-requested')).toEqual([]);
  } finally {
    await s.stop();
  }
});
