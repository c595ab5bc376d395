/**
 * The run kit's abort/cancel policy on a real region promotion (dev server + sim): an abort or a
 * workflow cancellation at each step before the point of no return stops cleanly (no AWS
 * mutation, canary writer ended, canary rows deleted on every member); a cancellation at each
 * step after it is refused and never interrupts anything (exactly one promotion, traffic and the
 * application moved, the run completes). Steps are held in place by one-shot latency faults.
 */
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { approvePromotionUpdate, type RegionPromotionInput } from '../contracts/promotion';
import { abortSignal, statusQuery, type RunStatus } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import { regionPromotionWorkflow } from '../workflows';
import { startPromotionHarness, type PromotionHarness } from './helpers/promotion-fixture';

const WORKFLOW_ID = 'promote-payments-global';
const SCALE = 120;
/** A one-shot latency that holds a step for ~4 wall seconds. */
const HOLD_MS = 4_000 * SCALE;

let w: PromotionHarness;
beforeEach(async () => {
  w = await startPromotionHarness('promotion-interrupt', { scale: SCALE });
});
afterEach(async () => {
  await w.client.workflow
    .getHandle(WORKFLOW_ID)
    .terminate('test cleanup')
    .catch(() => undefined);
  await w.shutdown();
});

function start(input: RegionPromotionInput): Promise<WorkflowHandle<typeof regionPromotionWorkflow>> {
  return w.client.workflow.start(regionPromotionWorkflow, { taskQueue: w.taskQueue, workflowId: WORKFLOW_ID, args: [input] });
}

async function untilRunning(h: WorkflowHandle, step: string): Promise<RunStatus> {
  for (let i = 0; i < 1200; i++) {
    const s = await h.query(statusQuery);
    if (s.step === step && s.steps.find((x) => x.step === step)?.state === 'running') return s;
    if (s.phase !== 'running') throw new Error(`run ended before ${step}: ${JSON.stringify(s.steps)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never reached ${step}`);
}

const MUTATING = /^(switchover|failover|remove|change|put|update|startAutomation|sendCommand)/;
const mutations = (): string[] => w.sim.world.apiCalls.filter((c) => MUTATING.test(c.operation)).map((c) => c.operation);

async function canaryRows(runId: string): Promise<number> {
  let n = 0;
  for (const [region, cluster] of [
    ['us-east-1', 'payments-use1'],
    ['us-west-2', 'payments-usw2'],
  ] as const) {
    const arn = (await w.sim.rds({ region }).describeDbCluster(cluster)).dbClusterArn;
    n += w.sim.canary.countRows(arn, 'payments.gameday_canary', `${WORKFLOW_ID}-${runId.slice(0, 8)}`);
  }
  return n;
}

async function writerClosed(h: WorkflowHandle): Promise<boolean> {
  const events = (await h.fetchHistory()).events ?? [];
  const ids = events
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runCanaryWriter')
    .map((e) => String(e.eventId));
  const closed = events.filter((e) => {
    const a = e.activityTaskCompletedEventAttributes ?? e.activityTaskCanceledEventAttributes ?? e.activityTaskFailedEventAttributes;
    return a && ids.includes(String(a.scheduledEventId));
  });
  return closed.length === ids.length;
}

/** Holds `step` of a switchover (or a failover for the canary step) and returns the handle. */
async function reach(step: string): Promise<WorkflowHandle<typeof regionPromotionWorkflow>> {
  if (step === 'preflight')
    w.sim.world.faults.add({ service: 'rds', operation: 'describeGlobalCluster', kind: 'latency', latencyMs: HOLD_MS, count: 1 });
  const h = await start({ runbook: 'payments-prod', targetRegion: 'us-west-2', mode: step === 'canary' ? 'failover' : 'switchover' });
  if (step === 'preflight') return (await untilRunning(h, 'preflight'), h);
  await untilRunning(h, 'approval');
  if (step === 'approval') return h;
  // The primary region goes dark: the canary cannot commit its first write and waits.
  w.sim.rdsSim.impairRegion('us-east-1');
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });
  await untilRunning(h, 'canary');
  return h;
}

describe.each(['preflight', 'approval', 'canary'])('before the point of no return, at %s', (step) => {
  test.each(['abort', 'cancel'] as const)('%s stops cleanly and leaves nothing behind', async (how) => {
    const h = await reach(step);
    const runId = (await h.describe()).runId;
    if (how === 'abort') await h.signal(abortSignal, { reason: `test at ${step}`, by: 'tester' });
    else await h.cancel();
    const outcome = await h.result().then(
      (r: RunReport) => r.outcome,
      (e: unknown) => (e instanceof WorkflowFailedError && e.cause instanceof CancelledFailure ? 'cancelled' : String(e)),
    );
    w.sim.rdsSim.restoreRegion('us-east-1');
    expect(outcome).toBe(how === 'abort' ? 'aborted' : 'cancelled');
    expect(mutations()).toEqual([]);
    expect(await writerClosed(h)).toBe(true);
    expect(await canaryRows(runId)).toBe(0);
    const s = await h.query(statusQuery);
    expect(s.aborts).toEqual([
      expect.objectContaining({ accepted: true, via: how === 'abort' ? 'signal' : 'cancellation', duringStep: step }),
    ]);
    expect(s.steps.find((x) => x.step === step)?.state).toBe('cancelled');
  });
});

/** One-shot faults that hold each post-point-of-no-return step. */
const HOLDS: Record<string, { service: string; operation: string } | undefined> = {
  promote: { service: 'rds', operation: 'switchoverGlobalCluster' },
  'await-writable': undefined,
  traffic: { service: 'route53', operation: 'changeResourceRecordSets' },
  'await-insync': undefined,
  app: { service: 'ssm', operation: 'putParameter' },
};

test.each(Object.keys(HOLDS))('after the point of no return, a cancellation at %s is refused: nothing is interrupted', async (step) => {
  const hold = HOLDS[step];
  if (hold) w.sim.world.faults.add({ ...hold, kind: 'latency', latencyMs: HOLD_MS, count: 1 });
  const h = await start({ runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover' });
  await untilRunning(h, 'approval');
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });
  await untilRunning(h, step);
  await h.cancel();
  const r = await h.result();
  expect(r.outcome).toBe('completed');
  expect(mutations().filter((m) => m === 'switchoverGlobalCluster')).toHaveLength(1);
  expect(mutations()).toEqual(expect.arrayContaining(['changeResourceRecordSets', 'putParameter']));
  const s = await h.query(statusQuery);
  expect(s.steps.filter((x) => x.state === 'cancelled' || x.state === 'failed')).toEqual([]);
  expect(s.aborts).toEqual([expect.objectContaining({ via: 'cancellation', accepted: false, duringStep: step })]);
  expect(s.aborts[0]!.refusal).toMatch(/past the point of no return/);
});
