/**
 * trafficShiftWorkflow on the real dev server and the simulated AWS: weighted steps applied one
 * batch at a time, each awaited INSYNC and verified; a health alarm firing mid-shift rolls the
 * weights back to the previous step.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { statusQuery } from '../workflows/messages';
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
  for (let i = 0; ; i++) {
    const s = await h.query(statusQuery);
    if (s.phase === 'step 50%' && s.detail?.startsWith('verifying')) break;
    if (i > 2000 || s.phase === 'done') throw new Error(`never verifying 50 %: ${JSON.stringify(s)}`);
    await new Promise((res) => setTimeout(res, 10));
  }
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
