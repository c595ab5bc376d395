/**
 * regionPromotionWorkflow end to end on the real Temporal dev server and the simulated AWS:
 * the three modes with measured RTO/RPO checked against the sim's ground truth, the approval gate
 * (approve, reject, timeout), abort before and after the point of no return, the refusal of a
 * second concurrent promotion, injected throttling / 5xx, and bad UI input rejected before any
 * AWS call.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { RegionPromotionInput } from '../contracts/promotion';
import type { RunReport } from '../lib/measurement-types';
import { abortSignal, requestAbortUpdate as abortPromotionUpdate, statusQuery, type RunStatus } from '../contracts/run';
import { approvePromotionUpdate, rejectPromotionUpdate, type PromotionStatusData } from '../contracts/promotion';
import { regionPromotionWorkflow } from '../workflows';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { run as runCli } from '../cli/main';
import { startPromotionHarness, type PromotionHarness } from './helpers/promotion-fixture';

const WORKFLOW_ID = 'promote-payments-global';
const SWITCHOVER: RegionPromotionInput = { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover' };

let w: PromotionHarness;

beforeEach(async () => {
  w = await startPromotionHarness('region-promotion', { scale: 120 });
});

afterEach(async () => {
  // A failed assertion must not leave a running promotion behind for the next test.
  for (const id of [WORKFLOW_ID, 'promote-orders-global']) {
    try {
      await w.client.workflow.getHandle(id).terminate('test cleanup');
    } catch {
      // not running: nothing to terminate
    }
  }
  await w.shutdown();
});

function start(input: unknown, id = WORKFLOW_ID): Promise<WorkflowHandle<typeof regionPromotionWorkflow>> {
  return w.client.workflow.start(regionPromotionWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: id,
    args: [input as RegionPromotionInput],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

/** The promotion's status data with the run's steps, point of no return, aborts and current step. */
function data(
  s: RunStatus,
): PromotionStatusData & Pick<RunStatus, 'steps' | 'aborts' | 'step'> & { pointOfNoReturn: NonNullable<RunStatus['pointOfNoReturn']> } {
  return {
    ...(s.data as unknown as PromotionStatusData),
    steps: s.steps,
    aborts: s.aborts,
    step: s.step,
    pointOfNoReturn: s.pointOfNoReturn!,
  };
}

/** Polls the status query until `pred` holds (or the run ends). */
async function waitStatus(h: WorkflowHandle, pred: (s: RunStatus) => boolean, what: string): Promise<RunStatus> {
  for (let i = 0; i < 600; i++) {
    const s = await h.query(statusQuery);
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`status never reached: ${what}`);
}

const awaitingApproval = (h: WorkflowHandle): Promise<RunStatus> => waitStatus(h, (s) => s.awaiting !== undefined, 'awaiting-approval');

const MUTATIONS = new Set([
  'switchoverGlobalCluster',
  'failoverGlobalCluster',
  'removeFromGlobalCluster',
  'changeResourceRecordSets',
  'updateRoutingControlStates',
  'putParameter',
  'startAutomationExecution',
]);

/** Clock ms minus wall ms of the approval wait: what the report takes out of the RTO so a person's time counts at 1×. */
function humanAdjustment(r: RunReport): number {
  const asked = r.timeline.find((e) => e.name === 'approval-requested');
  const decided = r.timeline.find((e) => e.name === 'decision-made');
  if (!asked?.wallAt || !decided?.wallAt) return 0;
  return decided.at - asked.at - (decided.wallAt - asked.wallAt);
}

/** Mutating AWS calls made so far (attempts, including the ones a fault answered). */
function mutations(): string[] {
  return w.sim.world.apiCalls.filter((c) => MUTATIONS.has(c.operation)).map((c) => `${c.service}.${c.operation}`);
}

function promoteCalls(): string[] {
  return w.sim.world.apiCalls
    .filter(
      (c) => c.service === 'rds' && ['switchoverGlobalCluster', 'failoverGlobalCluster', 'removeFromGlobalCluster'].includes(c.operation),
    )
    .map((c) => c.operation);
}

function ground(event: string, resource?: string, service = 'rds'): { at: number; detail?: Readonly<Record<string, unknown>> } {
  const e = w.sim.world.log.find({ service, event, ...(resource !== undefined ? { resource } : {}) });
  expect(e.length).toBeGreaterThan(0);
  return e[0]!;
}

function event(r: RunReport, name: string): number {
  const e = r.timeline.find((x) => x.name === name);
  if (!e) throw new Error(`no ${name} in the timeline`);
  return e.at;
}

/** With DEBUG_PROMOTION set: ground truth and timeline side by side (relative ms). */
function debugDump(r: RunReport): void {
  if (!process.env.DEBUG_PROMOTION) return;
  const t0 = event(r, 'promotion-requested');
  const lines = [
    ...w.sim.world.log
      .all()
      .filter((e) => e.at >= t0)
      .map((e) => `${Math.round(e.at - t0)} truth ${e.service} ${e.resource} ${e.event}`),
    ...r.timeline.map((e) => `${Math.round(e.at - t0)} run   ${e.name} ${e.source} ${e.detail ?? ''}`),
  ];
  console.log(
    lines.sort((a, b) => parseInt(a) - parseInt(b)).join('\n') + '\n' + JSON.stringify(r.details.observations) + '\n' + r.notes.join('\n'),
  );
}

/**
 * AWS's own time of the writer change (RDS-EVENT-0184 / 0238) is the event's time, exactly the ground
 * truth, and it lies in the wait's observation window.
 */
function expectAwsTimed(r: RunReport, truth: number, eventId: string): void {
  const e = r.timeline.find((x) => x.name === 'promotion-finished')!;
  expect({ at: e.at, source: e.source, notBefore: e.notBefore }).toEqual({ at: truth, source: 'rds-event', notBefore: undefined });
  expect(e.detail).toContain(eventId);
  expectWithin(r, 'promotion-finished', truth);
}

/** The ground-truth instant lies in the wait's observation window (previousReadAt, observedAt]. */
function expectWithin(r: RunReport, name: string, truth: number): void {
  debugDump(r);
  const o = (r.details.observations as Record<string, { observedAt: number; previousReadAt?: number }>)[name]!;
  expect(o).toBeDefined();
  expect(truth).toBeLessThanOrEqual(o.observedAt);
  expect(o.previousReadAt).toBeDefined();
  expect(truth).toBeGreaterThan(o.previousReadAt!);
}

async function approveAndFinish(h: WorkflowHandle<typeof regionPromotionWorkflow>): Promise<RunReport> {
  await awaitingApproval(h);
  const answer = await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'game day' }] });
  expect(answer).toEqual({ decision: 'approved', by: 'sre-oncall', workflowId: WORKFLOW_ID });
  return h.result();
}

test('switchover end to end: one SwitchoverGlobalCluster, traffic and app moved, RPO 0, RTO matches ground truth', async () => {
  const h = await start(SWITCHOVER);
  const r = await approveAndFinish(h);

  expect(r.outcome).toBe('completed');
  expect(promoteCalls()).toEqual(['switchoverGlobalCluster']);
  expect(w.sim.rdsSim.writerRegion('payments-global')).toBe('us-west-2');

  // Each wait saw its transition inside its own observation window (the stated resolution).
  expectAwsTimed(r, ground('cluster-writable', 'payments-usw2').at, 'RDS-EVENT-0184');
  expectWithin(r, 'traffic-converged', ground('change-insync', undefined, 'route53').at);
  expect(event(r, 'traffic-converged')).toBe(r.timeline.find((x) => x.name === 'traffic-converged')!.at);
  // Route 53's own SubmittedAt times the traffic shift: the sim's change-submitted instant.
  expect(event(r, 'traffic-shift-started')).toBe(ground('change-submitted', undefined, 'route53').at);
  expect(event(r, 'promotion-started')).toBeLessThanOrEqual(ground('global-switchover-requested').at);

  // RPO: the canary measured, and a switchover loses nothing.
  expect(r.measurement.rpo.status).toBe('measured');
  expect(r.measurement.rpo).toMatchObject({ valueMs: 0, targetMs: 0, verdict: 'pass' });
  expect(r.measurement.lostWrites).toBe(0);
  expect(r.notes.join('\n')).toMatch(/switchover: measured RPO 0 ms/);
  const lost = ground('writes-lost');
  expect(lost.detail?.count).toBe(0);

  // RTO: requested → app healthy, split in phases; the approval is recorded with who and when.
  expect(r.measurement.rto.status).toBe('measured');
  const rto = r.measurement.rto.status === 'measured' ? r.measurement.rto.valueMs : NaN;
  expect(rto).toBe(event(r, 'app-healthy') - event(r, 'promotion-requested') - humanAdjustment(r));
  expect(r.measurement.phases.map((x) => x.phase)).toEqual(expect.arrayContaining(['decide', 'promote', 'traffic', 'app']));
  expect(r.details.approval).toMatchObject({ decision: 'approved', by: 'sre-oncall', reason: 'game day' });
  expect(typeof (r.details.approval as { at: number }).at).toBe('number');

  // Traffic and application moved to the new region.
  expect(w.sim.route53Sim.currentTarget('db.payments.example.com')).toBeDefined();
  const param = await w.sim.ssm({ region: 'us-west-2' }).getParameter('/payments/prod/db-region');
  expect(param?.value).toBe('us-west-2');

  const s = await h.query(statusQuery);
  expect(s.phase).not.toBe('running');
  expect(data(s).steps.find((x) => x.step === 'promote')).toMatchObject({ state: 'done' });
  expect(data(s).pointOfNoReturn.passed).toBe(true);
});

test('failover (managed, AllowDataLoss): lost writes and RPO measured by the canary agree with the ground truth', async () => {
  const h = await start({ ...SWITCHOVER, mode: 'failover', incidentId: 'INC-42' });
  const r = await approveAndFinish(h);

  expect(r.outcome).toBe('completed');
  expect(promoteCalls()).toEqual(['failoverGlobalCluster']);
  expect(w.sim.world.apiCalls.find((c) => c.operation === 'failoverGlobalCluster')).toBeDefined();
  expect(w.sim.rdsSim.writerRegion('payments-global')).toBe('us-west-2');
  expectAwsTimed(r, ground('cluster-writable', 'payments-usw2').at, 'RDS-EVENT-0238');
  // Write fencing ran first (runbook.writeFencing), as the point of no return.
  expect(mutations().indexOf('ssm.startAutomationExecution')).toBeLessThan(mutations().indexOf('rds.failoverGlobalCluster'));
  expect(r.timeline[0]!.detail).toMatch(/incident INC-42 declared/);

  const truth = ground('writes-lost');
  expect(r.measurement.rpo.status).toBe('measured');
  expectLostSplitAsTruth(r, truth.detail?.count);
  if (r.measurement.rpo.status === 'measured') {
    expect(r.measurement.rpo.targetMs).toBe(5000);
    // RPO is zero exactly when nothing acked before the promotion was lost.
    expect(r.measurement.rpo.valueMs === 0).toBe(r.measurement.lostWrites === 0);
  }
  // Canary cleanup tried on every member: the new writer holds none; the fenced old primary refuses
  // writes until Aurora resyncs it from the new writer (which discards its rows), and the report says so.
  const runId = /canary: \d+ row\(s\) of (\S+) deleted/.exec(r.notes.join('\n'))![1]!;
  expect(r.notes).toContainEqual(
    expect.stringMatching(
      /canary: (\d+ row\(s\) of \S+ deleted on member payments-use1$|rows of \S+ on member payments-use1 not deleted \(.+\))/,
    ),
  );
  expect(r.notes).toContainEqual(expect.stringMatching(/canary: 0 row\(s\) of \S+ deleted on member payments-usw2$/));
  const newWriter = (await w.sim.rds({ region: 'us-west-2' }).describeDbCluster('payments-usw2')).dbClusterArn;
  expect(w.sim.canary.countRows(newWriter, 'payments.gameday_canary', runId)).toBe(0);
});

/**
 * The sim drops every unreplicated row at the cut: those acked before the promotion began are the
 * RPO's lost writes, those the old primary acked after it (until the sim fenced it) are split-brain
 * writes, reported apart with a window that starts at or after the promotion.
 */
function expectLostSplitAsTruth(r: RunReport, truthCount: unknown): void {
  const m = r.measurement;
  expect((m.lostWrites ?? 0) + (m.splitBrain?.writes ?? 0)).toBe(truthCount);
  const began = r.timeline.find((e) => e.name === 'promotion-started')!.at;
  if (m.splitBrain) expect(m.splitBrain.firstAt).toBeGreaterThanOrEqual(began);
}

test('detach with the primary region impaired: RemoveFromGlobalCluster in the secondary region, standalone writer, RPO vs ground truth', async () => {
  const h = await start({ ...SWITCHOVER, mode: 'detach', incidentId: 'INC-7' });
  await awaitingApproval(h);
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });
  // The region goes dark while the fencing automation runs (after the canary has written).
  await waitStatus(h, (s) => data(s).step === 'fence', 'fence step');
  w.sim.rdsSim.impairRegion('us-east-1');
  const r = await h.result();

  expect(r.outcome).toBe('completed');
  expect(promoteCalls()).toEqual(['removeFromGlobalCluster']);
  const detachCall = w.sim.world.apiCalls.find((c) => c.operation === 'removeFromGlobalCluster');
  expect(detachCall).toBeDefined();
  const cluster = await w.sim.rds({ region: 'us-west-2' }).describeDbCluster('payments-usw2');
  expect(cluster.globalClusterIdentifier).toBeUndefined();
  expectWithin(r, 'promotion-finished', ground('cluster-writable', 'payments-usw2').at);
  // No RDS event exists for a detach: the event is the observation, with its window, and the report says why.
  const finished = r.timeline.find((x) => x.name === 'promotion-finished')!;
  const o = (r.details.observations as Record<string, { observedAt: number; previousReadAt: number }>)['promotion-finished']!;
  expect({ at: finished.at, notBefore: finished.notBefore, source: finished.source }).toEqual({
    at: o.observedAt,
    notBefore: o.previousReadAt,
    source: 'awaitClusterWritable',
  });
  expect(r.notes.join('\n')).toMatch(/AWS documents no RDS event for a detach/);
  expect((r.details.verification as { write: { endpoint: string } }).write.endpoint).toBe(cluster.endpoint);

  const truth = ground('writes-lost');
  expectLostSplitAsTruth(r, truth.detail?.count);
  expect(r.measurement.rpo.status).toBe('measured');
});

test('reject: validator errors for a non-approver, a second concurrent promotion refused, then rejected cleanly', async () => {
  const h = await start(SWITCHOVER);
  await awaitingApproval(h);

  await expect(start(SWITCHOVER)).rejects.toThrow(WorkflowExecutionAlreadyStartedError);
  const second = await start(SWITCHOVER).catch((e: unknown) => e);
  expect((second as WorkflowExecutionAlreadyStartedError).workflowId).toBe(WORKFLOW_ID);

  const refused = await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'mallory' }] }).catch((e: unknown) => e);
  expect((refused as { cause?: Error }).cause?.message).toMatch(
    /by: mallory is not an approver of runbook payments-prod; approvers: sre-oncall/,
  );
  await h.executeUpdate(rejectPromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'not during the sale' }] });
  const r = await h.result();

  expect(r.outcome).toBe('rejected');
  expect(r.outcomeReason).toBe('rejected by sre-oncall: not during the sale');
  expect(mutations()).toEqual([]);
  expect(r.details.approval).toMatchObject({ decision: 'rejected', by: 'sre-oncall' });
  // The update after the decision is refused by the validator (nothing pending).
  const s = await h.query(statusQuery);
  expect(s.phase).not.toBe('running');
});

test('approval timeout fails the run cleanly before any mutation', async () => {
  const h = await start({ ...SWITCHOVER, approvalTimeout: '1s' });
  const err = await h.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toMatchObject({ type: 'ApprovalTimeout' });
  expect((err as WorkflowFailedError).cause?.message).toMatch(/no decision within 1.00 s/);
  expect(mutations()).toEqual([]);
});

test('abort before the point of no return stops cleanly: canary stopped and cleaned, no AWS mutation', async () => {
  const h = await start({ ...SWITCHOVER, mode: 'failover' });
  await awaitingApproval(h);
  // The primary region goes dark: the canary cannot commit its first write, so the run waits at
  // the canary step (before the write fencing, the point of no return of this runbook).
  w.sim.rdsSim.impairRegion('us-east-1');
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });
  await waitStatus(h, (s) => data(s).steps.find((x) => x.step === 'canary')?.state === 'running', 'canary warm-up');
  const answer = await h.executeUpdate(abortPromotionUpdate, { args: [{ reason: 'wrong region', by: 'alice' }] });
  expect(answer).toEqual({ accepted: true });
  const r = await h.result();

  expect(r.outcome).toBe('aborted');
  expect(r.outcomeReason).toBe('aborted by alice before the point of no return: wrong region');
  expect(mutations()).toEqual([]);
  expect(r.notes).toContain('stopped before the point of no return: no AWS mutation was made');
  expect(data(await h.query(statusQuery)).pointOfNoReturn).toMatchObject({ what: 'write fencing of the old primary', passed: false });
  // The canary writer activity ended (stopped, not abandoned) and its rows are gone everywhere.
  const history = await h.fetchHistory();
  const events = history.events ?? [];
  const scheduled = events
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runCanaryWriter')
    .map((e) => String(e.eventId));
  expect(scheduled).toHaveLength(1);
  const closed = events.filter((e) => {
    const a =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskCanceledEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes;
    return a !== undefined && a !== null && String(a.scheduledEventId) === scheduled[0];
  });
  expect(closed).toHaveLength(1);
  w.sim.rdsSim.restoreRegion('us-east-1');
  for (const cluster of ['payments-use1', 'payments-usw2']) {
    const arn = (await w.sim.rds({ region: cluster.endsWith('use1') ? 'us-east-1' : 'us-west-2' }).describeDbCluster(cluster)).dbClusterArn;
    expect(w.sim.canary.countRows(arn, 'payments.gameday_canary', r.runId ? `${WORKFLOW_ID}-${r.runId.slice(0, 8)}` : '')).toBe(0);
  }
});

test('abort during the approval wait (signal) stops before anything started', async () => {
  const h = await start(SWITCHOVER);
  await awaitingApproval(h);
  await h.signal(abortSignal, { reason: 'drill cancelled', by: 'bob' });
  const r = await h.result();
  expect(r.outcome).toBe('aborted');
  expect(r.outcomeReason).toMatch(/aborted by bob before the point of no return: drill cancelled/);
  expect(mutations()).toEqual([]);
  const s = await h.query(statusQuery);
  expect(data(s).aborts).toEqual([expect.objectContaining({ by: 'bob', accepted: true, duringStep: 'approval' })]);
});

test('abort after the point of no return is refused with the reason and the run completes', async () => {
  const h = await start(SWITCHOVER);
  await awaitingApproval(h);
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });
  await waitStatus(
    h,
    (s) => data(s).pointOfNoReturn.passed && ['await-writable', 'traffic', 'await-insync'].includes(data(s).step),
    'past the point of no return',
  );
  const live = data(await h.query(statusQuery));
  expect(live.rtoBudgetMs).toBe(15 * 60_000);
  expect(typeof live.rtoBudgetLeftMs).toBe('number');
  expect(live.steps.find((x) => x.step === 'promote')?.elapsedMs).toBeGreaterThanOrEqual(0);

  const answer = await h.executeUpdate(abortPromotionUpdate, { args: [{ reason: 'changed my mind', by: 'carol' }] });
  expect(answer.accepted).toBe(false);
  expect(answer.reason).toMatch(/past the point of no return \(the promote call was sent\)/);
  await h.signal(abortSignal, { reason: 'again', by: 'carol' });
  const r = await h.result();
  expect(r.outcome).toBe('completed');
  expect(promoteCalls()).toEqual(['switchoverGlobalCluster']);
  const s = data(await h.query(statusQuery));
  expect(s.aborts.length).toBe(2);
  expect(s.aborts.every((a) => !a.accepted && /point of no return/.test(a.refusal ?? ''))).toBe(true);
});

test('throttling and 5xx injected on the promotion path: the run completes and exactly one switchover took effect', async () => {
  w.sim.world.faults.add({ service: 'rds', operation: 'switchoverGlobalCluster', kind: 'throttle', count: 2 });
  w.sim.world.faults.add({ service: 'rds', operation: 'describeGlobalCluster', kind: '5xx', count: 2 });
  w.sim.world.faults.add({ service: 'rds', operation: 'describeDbCluster', kind: 'throttle', count: 2 });
  w.sim.world.faults.add({ service: 'route53', operation: 'changeResourceRecordSets', kind: '5xx', count: 1 });
  w.sim.world.faults.add({ service: 'route53', operation: 'getChange', kind: 'throttle', count: 2 });
  w.sim.world.faults.add({ service: 'ssm', operation: 'putParameter', kind: 'throttle', count: 1 });
  const h = await start(SWITCHOVER);
  const r = await approveAndFinish(h);
  expect(r.outcome).toBe('completed');
  expect(promoteCalls().length).toBe(3); // two throttled attempts, one that went through
  expect(w.sim.world.log.find({ service: 'rds', event: 'global-switchover-requested' }).length).toBe(1);
  expect(w.sim.rdsSim.writerRegion('payments-global')).toBe('us-west-2');
  expect(r.measurement.rpo).toMatchObject({ status: 'measured', valueMs: 0 });
});

test.each([
  [{ runbook: 'payments-prod', targetRegion: 'us-west-9x', mode: 'switchover' }, WORKFLOW_ID, /^targetRegion: expected an AWS region/],
  [
    { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'promote' },
    WORKFLOW_ID,
    /^mode: expected one of switchover, failover, detach/,
  ],
  [
    { runbook: 'payments-prod', targetRegion: 'eu-west-1', mode: 'failover' },
    WORKFLOW_ID,
    /^targetRegion: eu-west-1 is not a member region of payments-global/,
  ],
  [{ runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover', force: true }, WORKFLOW_ID, /unknown field\(s\) "force"/],
  [
    { runbook: 'no-such-runbook', targetRegion: 'us-west-2', mode: 'switchover' },
    WORKFLOW_ID,
    /^runbook: .*no runbook named "no-such-runbook"/,
  ],
  [
    { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover' },
    'my-promotion',
    /^workflowId: a promotion of payments-global must run with workflow id "promote-payments-global"/,
  ],
])('bad UI input %j is rejected, naming the field, before any AWS call', async (input, id, message) => {
  const h = await start(input, id);
  const err = await h.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause as { type?: string; message: string };
  expect(['InvalidPromotionInput', 'InvalidRunbook']).toContain(cause.type);
  expect(cause.message).toMatch(message);
  expect(w.sim.world.apiCalls).toEqual([]);
  if (id !== WORKFLOW_ID)
    await w.client.workflow
      .getHandle(id)
      .terminate('cleanup')
      .catch(() => undefined);
});

test('weighted records and an SSM Automation reconfiguration (orders-prod): weights moved in one batch, automation awaited', async () => {
  const h = await start({ runbook: 'orders-prod', targetRegion: 'eu-central-1', mode: 'switchover' }, 'promote-orders-global');
  await awaitingApproval(h);
  const approvers = data(await h.query(statusQuery)).approval?.approvers;
  const by = approvers && approvers.length > 0 ? approvers[0]! : 'alice';
  await h.executeUpdate(approvePromotionUpdate, { args: [{ by }] });
  const r = await h.result();

  expect(r.outcome).toBe('completed');
  expect(w.sim.rdsSim.writerRegion('orders-global')).toBe('eu-central-1');
  const records = await w.sim
    .route53({ accountId: '111122223333' })
    .listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001', name: 'api.orders.example.com' });
  const weights = Object.fromEntries(
    records.filter((x) => x.name.replace(/\.$/, '') === 'api.orders.example.com').map((x) => [x.setIdentifier, x.weight]),
  );
  expect(weights).toEqual({ 'orders-euw1': 0, 'orders-euc1': 100 });
  expect(mutations().filter((m) => m === 'route53.changeResourceRecordSets')).toHaveLength(1);
  expect(mutations().filter((m) => m === 'ssm.startAutomationExecution')).toHaveLength(1);
  const succeeded = w.sim.world.log.find({ service: 'ssm', event: 'automation-succeeded' });
  expect(succeeded).toHaveLength(1);
  expect(event(r, 'app-reconfigured')).toBeGreaterThanOrEqual(succeeded[0]!.at);
  expect(r.measurement.rpo).toMatchObject({ status: 'measured', valueMs: 0 });
});

test('failback after a failover: switched back, time to re-protected measured against the ground truth', async () => {
  const h = await start({ ...SWITCHOVER, mode: 'failover', failback: true });
  const r = await approveAndFinish(h);

  expect(r.outcome).toBe('completed');
  expect(promoteCalls()).toEqual(['failoverGlobalCluster', 'switchoverGlobalCluster']);
  expect(w.sim.rdsSim.writerRegion('payments-global')).toBe('us-east-1');
  const fb = r.details.failback as { status: string; startedAt: number; reProtectedAt: number; timeToReProtectedMs: number };
  expect(fb.status).toBe('completed');
  expect(fb.timeToReProtectedMs).toBe(fb.reProtectedAt - fb.startedAt);
  expect(event(r, 're-protected')).toBe(fb.reProtectedAt);
  // The old primary re-joined (ground truth) before the switch back, and the promoted region
  // became the writer again only after that.
  const resynced = ground('member-resynced', 'payments-use1').at;
  const back = w.sim.world.log.find({ service: 'rds', event: 'global-switchover-requested' });
  expect(back).toHaveLength(1);
  expect(back[0]!.at).toBeGreaterThan(resynced);
  expect(fb.reProtectedAt).toBeGreaterThan(back[0]!.at);
  // The main figures are those of the failover, not of the failback.
  expect(r.measurement.rto.status).toBe('measured');
  expect(r.notes.join('\n')).toMatch(/failback: back on us-east-1; time to re-protected/);
});

const RC_USE1 = 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/use1';
const RC_USW2 = 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/usw2';

/** payments-prod with ARC routing controls instead of failover records, no approval gate. */
function arcRunbookDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gameday-arc-'));
  const doc = parseDocument(readFileSync(resolve(__dirname, '../runbooks/payments-prod.yaml'), 'utf8'));
  doc.setIn(['route53', 'routing'], {
    policy: 'arc',
    clusterEndpoints: ['https://host-aaaaaa.us-west-2.example.com/v1', 'https://host-bbbbbb.eu-west-1.example.com/v1'],
    clusterRegion: 'us-west-2',
    routingControls: { 'us-east-1': RC_USE1, 'us-west-2': RC_USW2 },
  });
  doc.setIn(['approval', 'required'], false);
  writeFileSync(join(dir, 'payments-prod.yaml'), doc.toString());
  return dir;
}

test('ARC routing controls through the data plane, approval not required: target On, old Off in one call', async () => {
  await w.shutdown();
  w = await startPromotionHarness('region-promotion-arc', { scale: 120, runbookDir: arcRunbookDir() });
  expect(w.sim.arcSim.state(RC_USE1)).toBe('On');
  const r = await (await start({ ...SWITCHOVER, mode: 'failover' })).result();

  expect(r.outcome).toBe('completed');
  expect(r.details.approval).toMatchObject({ decision: 'auto-approved' });
  expect(w.sim.arcSim.state(RC_USW2)).toBe('On');
  expect(w.sim.arcSim.state(RC_USE1)).toBe('Off');
  expect(mutations().filter((m) => m.endsWith('updateRoutingControlStates'))).toHaveLength(1);
  expect(mutations().filter((m) => m.endsWith('changeResourceRecordSets'))).toHaveLength(0);
  expect(event(r, 'traffic-converged')).toBe(event(r, 'traffic-shift-started'));
  expect(r.timeline.find((e) => e.name === 'decision-made')?.detail).toMatch(/^auto-approved/);
  expect(r.timeline.find((e) => e.name === 'approval-requested')).toBeUndefined();
});

/** Runs the CLI in-process, capturing stdout and stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const exitCode = process.exitCode;
  try {
    const code = await runCli(['node', 'gameday', '--task-queue', w.taskQueue, ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = exitCode;
  }
}

test('CLI: bad flags and no TTY without --yes are refused (exit 2); promote-region --yes follows the run, approve/status work', async () => {
  const bad = await cli('promote-region', '--runbook', 'payments-prod', '--to', 'us-west-9', '--mode', 'switchover', '--yes');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--to: us-west-9 is not a member region of payments-global/);
  const badMode = await cli('promote-region', '--runbook', 'payments-prod', '--to', 'us-west-2', '--mode', 'sideways', '--yes');
  expect(badMode.code).toBe(2);
  expect(badMode.stderr).toMatch(/--mode: expected one of switchover, failover, detach/);
  const noTty = await cli('promote-region', '--runbook', 'payments-prod', '--to', 'us-west-2', '--mode', 'switchover');
  expect(noTty.code).toBe(2);
  expect(noTty.stderr).toMatch(/without a terminal to confirm on; pass --yes/);
  expect(w.sim.world.apiCalls).toEqual([]);

  const promoting = cli(
    'promote-region',
    '--runbook',
    'payments-prod',
    '--to',
    'us-west-2',
    '--mode',
    'switchover',
    '--incident',
    'INC-9',
    '--yes',
  );
  const h = w.client.workflow.getHandle(WORKFLOW_ID);
  await waitFor(async () => ((await h.query(statusQuery).catch(() => undefined))?.awaiting !== undefined ? true : undefined));
  // (stdout/stderr are captured by the running promote-region; the decisions are checked by exit code)
  const status = await runCli(['node', 'gameday', 'status', WORKFLOW_ID]);
  expect(status).toBe(0);
  const approved = await runCli(['node', 'gameday', 'approve', WORKFLOW_ID, '--by', 'sre-oncall', '--reason', 'cli test']);
  expect(approved).toBe(0);
  const again = await runCli(['node', 'gameday', 'approve', WORKFLOW_ID, '--by', 'sre-oncall']);
  expect(again).toBe(2); // no longer waiting for approval: the validator refuses
  const done = await promoting;
  // Exit 0 on a pass, 1 on a fail verdict (the human approval time counts in the RTO, and the
  // sim clock runs 120× faster than the wall clock this test waited on).
  // stdout is the run's Markdown report, the same text `gameday report --format md` prints.
  expect(done.stdout).toMatch(/\*\*Verdict: (PASS|FAIL)\*\*/);
  expect(done.code).toBe(/Verdict: FAIL/.test(done.stdout) ? 1 : 0);
  expect(done.stderr).toMatch(
    /started promote-payments-global: switchover of payments-global \(payments\/prod, tier0\) to us-west-2 for incident INC-9/,
  );
  expect(done.stderr).toMatch(/waiting for approval of the switchover .* by sre-oncall: gameday approve promote-payments-global/);
  expect(done.stderr).toMatch(/ok\s+promote\s/);
  expect(done.stderr).toMatch(/ok\s+verify\s/);
  expect(done.stdout).toMatch(/outcome completed/);
  expect(done.stdout).toContain('Workflow `promote-payments-global`');
  expect(done.stdout).toMatch(/\| RPO \| 0 ms \| 0 ms \| \+0 ms \| PASS \|/);
});

async function waitFor<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await read();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

test('failover with the primary region already lost: promoted from the surviving region, RPO honestly not measured', async () => {
  w.sim.rdsSim.impairRegion('us-east-1');
  const h = await start({ ...SWITCHOVER, mode: 'failover', incidentId: 'INC-LOST' });
  const r = await approveAndFinish(h);

  expect(r.outcome).toBe('completed');
  expect(promoteCalls()).toEqual(['failoverGlobalCluster']);
  // Every mutation went to the surviving region (or to global Route 53).
  const failover = w.sim.world.apiCalls.find((c) => c.operation === 'failoverGlobalCluster');
  expect(failover).toBeDefined();
  expect(w.sim.rdsSim.writerRegion('payments-global')).toBe('us-west-2');
  expect(r.measurement.rto.status).toBe('measured');
  // The canary could not commit anything on the lost primary: no baseline, so no RPO figure.
  expect(r.measurement.rpo.status).toBe('not-measured');
  if (r.measurement.rpo.status === 'not-measured')
    expect(r.measurement.rpo.reason).toMatch(/^the canary committed no write before the promotion/);
  expect(r.notes.join('\n')).toMatch(/canary: no canary write committed within/);
});

test(
  "a person's approval time is reported at wall duration (±2 s), not scaled by the simulated clock",
  async () => {
    const waitMs = Number(process.env.GAMEDAY_APPROVAL_TEST_MS ?? 20_000);
    const h = await start(SWITCHOVER);
    await awaitingApproval(h);
    await new Promise((r) => setTimeout(r, waitMs));
    await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall' }] });
    const r = await h.result();
    expect(r.clock).toMatchObject({ kind: 'simulated', scale: 120 });
    expect(typeof r.clock?.startedAtWall).toBe('number');
    const wait = r.measurement.humanWaits?.[0];
    expect(wait?.what).toBe('approval');
    // The measured figure, for the record (wall clock of the worker host).
    process.stdout.write(`approval held ${waitMs} ms (wall); reported wait ${wait!.wallMs} ms wall, ${wait!.clockMs} ms simulated\n`);
    expect(Math.abs(wait!.wallMs - waitMs)).toBeLessThanOrEqual(2000);
    // The simulated clock ran 120× during the wait; the RTO counts the wait once, at 1×.
    expect(wait!.clockMs).toBeGreaterThan(100 * waitMs);
    const rto = r.measurement.rto.status === 'measured' ? r.measurement.rto.valueMs : NaN;
    expect(rto).toBe(event(r, 'app-healthy') - event(r, 'promotion-requested') - (wait!.clockMs - wait!.wallMs));
    const decide = r.measurement.phases.find((p) => p.phase === 'decide')!;
    expect(decide.durationMs).toBe(decide.endAt - decide.startAt - (wait!.clockMs - wait!.wallMs));
  },
  120_000 + Number(process.env.GAMEDAY_APPROVAL_TEST_MS ?? 20_000),
);
