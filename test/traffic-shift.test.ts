/**
 * trafficShiftWorkflow on the real dev server and the simulated AWS: weighted steps applied one
 * batch at a time, each awaited INSYNC and verified; a health alarm firing mid-shift rolls the
 * weights back to the previous step.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { abortSignal, statusQuery, type RunStatus } from '../contracts/run';
import { trafficShiftWorkflow } from '../workflows';
import { startPromotionHarness, type PromotionHarness } from './helpers/promotion-fixture';

let w: PromotionHarness;
beforeEach(async () => {
  w = await startPromotionHarness('traffic-shift', { scale: 120 });
});
afterEach(async () => {
  await w.shutdown();
});

const RECORD = 'api.orders.example.com';
const ORDERS_ACCOUNT = '111122223333';

function recordChanges(): number {
  return w.sim.world.apiCalls.filter((c) => c.operation === 'changeResourceRecordSets').length;
}

async function weights(): Promise<Record<string, number | undefined>> {
  const records = await w.sim
    .route53({ accountId: ORDERS_ACCOUNT })
    .listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001', name: RECORD });
  return Object.fromEntries(records.filter((r) => r.name.replace(/\.$/, '') === RECORD).map((r) => [r.setIdentifier, r.weight]));
}

/** Waits until the run's status shows `step` running (the status query of the real run). */
async function untilStep(h: { query: (q: typeof statusQuery) => Promise<RunStatus> }, step: string): Promise<void> {
  for (let i = 0; ; i++) {
    const s = await h.query(statusQuery);
    if (s.step === step && s.steps.find((x) => x.step === step)?.state === 'running') return;
    if (i > 2000 || s.phase !== 'running') throw new Error(`never reached ${step}: ${JSON.stringify(s)}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

test('steps 10 → 50 → 100 % applied in order, each INSYNC and verified', async () => {
  const r = await w.client.workflow.execute(trafficShiftWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: `traffic-shift-${Date.now()}`,
    args: [{ runbook: 'orders-prod', targetRegion: 'eu-central-1', holdMs: 30_000 }],
  });
  expect(r.outcome).toBe('completed');
  expect(r.steps.map((s) => s.percent)).toEqual([10, 50, 100]);
  expect(r.steps.map((s) => s.weights)).toEqual([
    { 'eu-central-1': 10, 'eu-west-1': 90 },
    { 'eu-central-1': 50, 'eu-west-1': 50 },
    { 'eu-central-1': 100, 'eu-west-1': 0 },
  ]);
  expect(r.steps.every((s) => s.verified && s.insyncAt !== undefined && s.insyncAt >= s.appliedAt)).toBe(true);
  expect(recordChanges()).toBe(3);
  expect(await weights()).toEqual({ 'orders-euw1': 0, 'orders-euc1': 100 });
  // Each step went INSYNC before the next one was submitted (ground truth).
  const insync = w.sim.world.log.find({ service: 'route53', event: 'change-insync' }).map((e) => e.at);
  const submitted = w.sim.world.log.find({ service: 'route53', event: 'change-submitted' }).map((e) => e.at);
  expect(submitted.length).toBe(3);
  expect(submitted[1]!).toBeGreaterThan(insync[0]!);
  expect(submitted[2]!).toBeGreaterThan(insync[1]!);
});

test('a health alarm firing at 50 % rolls back to the previous weights (10 %)', async () => {
  const h = await w.client.workflow.start(trafficShiftWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: `traffic-shift-${Date.now()}`,
    args: [{ runbook: 'orders-prod', targetRegion: 'eu-central-1', holdMs: 120_000 }],
  });
  await untilStep(h, 'verify 50%');
  w.sim.cloudwatchSim.setAlarmState('orders-euc1-5xx', 'ALARM', 'test: 5xx spike in eu-central-1');
  const r = await h.result();
  expect(r.outcome).toBe('rolled-back');
  expect(r.reason).toMatch(/orders-euc1-5xx fired at 50% to eu-central-1/);
  expect(r.steps.map((s) => [s.percent, s.verified])).toEqual([
    [10, true],
    [50, false],
  ]);
  expect(r.rolledBackTo).toEqual({ 'eu-central-1': 10, 'eu-west-1': 90 });
  expect(await weights()).toEqual({ 'orders-euw1': 90, 'orders-euc1': 10 });
  expect(recordChanges()).toBe(3); // 10 %, 50 %, rollback
});

test('a runbook without weighted records is refused naming the field', async () => {
  const err = await w.client.workflow
    .execute(trafficShiftWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: `traffic-shift-${Date.now()}`,
      args: [{ runbook: 'payments-prod', targetRegion: 'us-west-2' }],
    })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause?.message).toMatch(/^route53\.routing\.policy: runbook payments-prod uses failover routing/);
  expect(w.sim.world.apiCalls).toEqual([]);
});

test('a target that already holds the traffic is a no-op with the reason: no record changes', async () => {
  await w.sim.route53({ accountId: ORDERS_ACCOUNT }).changeResourceRecordSets({
    hostedZoneId: 'Z0ORDERS00001',
    changes: (await w.sim.route53({ accountId: ORDERS_ACCOUNT }).listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001', name: RECORD }))
      .filter((r) => r.setIdentifier === 'orders-euc1' || r.setIdentifier === 'orders-euw1')
      .map((r) => ({ action: 'UPSERT' as const, recordSet: { ...r, weight: r.setIdentifier === 'orders-euc1' ? 100 : 0 } })),
  });
  const before = recordChanges();
  const r = await w.client.workflow.execute(trafficShiftWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: `traffic-shift-${Date.now()}`,
    args: [{ runbook: 'orders-prod', targetRegion: 'eu-central-1', holdMs: 30_000 }],
  });
  expect(r.outcome).toBe('no-op');
  expect(r.reason).toMatch(/eu-central-1 already holds 100 % of the traffic/);
  expect(r.steps).toEqual([]);
  expect(recordChanges()).toBe(before);
  expect(await weights()).toEqual({ 'orders-euw1': 0, 'orders-euc1': 100 });
});

test.each([
  ['abort signal', 'abort'],
  ['workflow cancellation', 'cancel'],
] as const)('%s mid-shift restores the weights read before the first step', async (_name, how) => {
  const h = await w.client.workflow.start(trafficShiftWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: `traffic-shift-${Date.now()}`,
    args: [{ runbook: 'orders-prod', targetRegion: 'eu-central-1', holdMs: 600_000 }],
  });
  await untilStep(h, 'verify 50%');
  expect(await weights()).toEqual({ 'orders-euw1': 50, 'orders-euc1': 50 });
  if (how === 'abort') {
    await h.signal(abortSignal, { reason: 'test: stop the shift', by: 'tester' });
    const r = await h.result();
    expect(r.outcome).toBe('aborted');
    expect(r.reason).toBe('aborted by tester: test: stop the shift');
    expect(r.rolledBackTo).toEqual({ 'eu-west-1': 100, 'eu-central-1': 0 });
  } else {
    await h.cancel();
    await expect(h.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  }
  // Ground truth: the records hold the weights of before the run, and the undo was awaited INSYNC.
  expect(await weights()).toEqual({ 'orders-euw1': 100, 'orders-euc1': 0 });
  expect(recordChanges()).toBe(3); // 10 %, 50 %, undo
  const s = await h.query(statusQuery);
  expect(s.undo.map((u) => u.state)).toEqual(['done']);
});
