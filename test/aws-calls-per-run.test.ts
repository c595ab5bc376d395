/**
 * AWS calls per run (issue 16, `lib/aws-call-count.ts`): every playbook's report states the calls
 * its run made, and the figure equals the sim's own API log (`sim.world.apiCalls`, one entry per
 * AWS API call the simulated AWS answered) over the run: region promotion with failback, AZ loss, traffic
 * shift, region cut, instance termination; and an aborted run, whose cancelled steps count too.
 * One run at a time on a fresh sim, so every call in the log between start and result is the run's.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { approvePromotionUpdate } from '../contracts/promotion';
import { abortSignal, statusQuery, type RunStatus } from '../contracts/run';
import type { TrafficShiftReport } from '../contracts/traffic-shift';
import type { RunReport } from '../lib/measurement-types';
import { renderReport } from '../lib/report';
import {
  azLossGameDayWorkflow,
  instanceTerminationWorkflow,
  regionCutWorkflow,
  regionPromotionWorkflow,
  trafficShiftWorkflow,
} from '../workflows';
import { startTestWorker, type TestWorker } from './helpers/worker';

let w: TestWorker | undefined;

afterEach(async () => {
  await w?.shutdown();
  w = undefined;
});

/** Runs `go` on a fresh worker and sim; returns its result and the calls the sim logged meanwhile. */
async function counted<R>(scale: number, go: (w: TestWorker) => Promise<R>): Promise<{ result: R; simCalls: number; ops: string[] }> {
  w = await startTestWorker('aws-calls', { scale });
  const before = w.sim.world.apiCalls.length;
  const result = await go(w);
  // The sim also logs its DNS resolver (service `dns`: what clients are answered, not an AWS API)
  // and the calls FIS's own actions make (`caller: 'fis'`): neither is a call of the run.
  const calls = w.sim.world.apiCalls.slice(before).filter((c) => c.service !== 'dns' && c.caller === undefined);
  return { result, simCalls: calls.length, ops: calls.map((c) => `${c.service}.${c.operation}`) };
}

async function waitStatus(h: WorkflowHandle, pred: (s: RunStatus) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (pred(await h.query(statusQuery))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`status never reached: ${what}`);
}

/** The report states the sim's count exactly, and says so in its rendered resolution line. */
function expectExact(report: RunReport, sim: { simCalls: number; ops: string[] }): void {
  expect(sim.simCalls).toBeGreaterThan(0);
  expect({ calls: report.measurement.resolution.awsCalls, uncounted: report.measurement.resolution.awsCallsUncounted }).toEqual({
    calls: sim.simCalls,
    uncounted: undefined,
  });
  expect(renderReport(report, 'md')).toContain(`; ${sim.simCalls} AWS API calls`);
}

test('region promotion with failback: the report counts every call the sim answered', async () => {
  const r = await counted(120, async (t) => {
    const h = await t.client.workflow.start(regionPromotionWorkflow, {
      taskQueue: t.taskQueue,
      workflowId: 'promote-payments-global',
      args: [{ runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'failover', failback: true }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    await waitStatus(h, (s) => s.awaiting !== undefined, 'awaiting approval');
    await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'aws calls test' }] });
    return h.result();
  });
  expect(r.result.outcome).toBe('completed');
  expect(r.ops).toEqual(expect.arrayContaining(['rds.failoverGlobalCluster', 'rds.switchoverGlobalCluster']));
  expectExact(r.result, r);
});

test('AZ loss: the report counts every call the sim answered', async () => {
  const r = await counted(60, (t) =>
    t.client.workflow.execute(azLossGameDayWorkflow, {
      taskQueue: t.taskQueue,
      workflowId: t.id('aws-calls-az-loss'),
      args: [{ runbook: 'payments-prod', az: 'us-east-1a' }],
    }),
  );
  expect(r.result.outcome).toBe('completed');
  expectExact(r.result, r);
});

test('region cut: the report counts every call the sim answered', async () => {
  const r = await counted(60, (t) =>
    t.client.workflow.execute(regionCutWorkflow, {
      taskQueue: t.taskQueue,
      workflowId: t.id('aws-calls-region-cut'),
      args: [{ runbook: 'payments-prod', pollIntervalMs: 1000 }],
    }),
  );
  expect(r.result.outcome).toBe('completed');
  expectExact(r.result, r);
});

test('instance termination: the report counts every call the sim answered', async () => {
  const r = await counted(60, (t) =>
    t.client.workflow.execute(instanceTerminationWorkflow, {
      taskQueue: t.taskQueue,
      workflowId: t.id('aws-calls-chaos-monkey'),
      args: [{ runbook: 'payments-prod', percent: 34 }],
    }),
  );
  expect(r.result.outcome).toBe('completed');
  expect(r.ops).toContain('ec2.terminateInstances');
  expectExact(r.result, r);
});

test('traffic shift: the report counts every call the sim answered', async () => {
  const r = await counted(120, (t) =>
    t.client.workflow.execute(trafficShiftWorkflow, {
      taskQueue: t.taskQueue,
      workflowId: t.id('aws-calls-traffic-shift'),
      args: [{ runbook: 'orders-prod', targetRegion: 'eu-central-1', holdMs: 30_000 }],
    }),
  );
  const report: TrafficShiftReport = r.result;
  expect(report.outcome).toBe('completed');
  expect(r.simCalls).toBeGreaterThan(0);
  expect(report.resolution).toEqual({ awsCalls: r.simCalls });
});

test('an aborted run: the steps cut short and the undo are counted, exactly', async () => {
  const r = await counted(60, async (t) => {
    const h = await t.client.workflow.start(regionCutWorkflow, {
      taskQueue: t.taskQueue,
      workflowId: t.id('aws-calls-region-cut-abort'),
      args: [{ runbook: 'payments-prod', pollIntervalMs: 1000 }],
    });
    // Aborted while a wait polls: that activity is cancelled mid-wait, its calls come back with its cancellation.
    await waitStatus(h, (s) => s.steps.some((x) => x.step === 'measure' && x.state === 'running'), 'measuring');
    await h.signal(abortSignal, { reason: 'aws calls test', by: 'sre-oncall' });
    return h.result();
  });
  expect(r.result.outcome).toBe('aborted');
  expectExact(r.result, r);
});
