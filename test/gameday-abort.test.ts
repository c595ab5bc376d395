/**
 * Aborting a game day in the middle of its region cut, on the real dev server and the simulated
 * AWS: the day is aborted (the kit's `abort`) while the cut is in effect and Route 53 has failed
 * over — the child's DNS watch is held just after it saw the secondary answer (gated worker), so
 * the abort lands mid-scenario whatever the machine's load. The child is cancelled, its undo stops
 * the experiment and deletes its template; the scenarios after it never start. Ground truth: no
 * experiment running, no subnet cut, no template, no record set changed, no promotion, no restore,
 * and the primary region serves again.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { abortSignal, statusQuery } from '../contracts/run';
import type { Scorecard } from '../lib/scorecard';
import { gameDayWorkflow } from '../workflows';
import { startGatedWorker, type GatedWorker } from './helpers/gated-worker';
import { startTestWorker, type TestWorker } from './helpers/worker';

jest.setTimeout(150_000);
let w: TestWorker;
let g: GatedWorker;

beforeAll(async () => {
  w = await startTestWorker('gameday-abort', { scale: 600 });
  g = await startGatedWorker(w, 'gameday-abort-gated');
});
afterAll(async () => {
  await g?.stop();
  await w?.shutdown();
});

const PLAN = `title: abort mid region cut
runbooks: [payments-prod]
participants: [{ name: alice, role: facilitator }, { name: sre-oncall, role: approver }]
scenarios:
  - { kind: region-cut, continueOnFailure: true, hypothesis: { text: 'DNS fails over within 3 min', rto: 3m } }
  - { kind: region-promotion, targetRegion: us-west-2, failback: true, hypothesis: { text: 'RTO < 15 min', rto: 15m } }
  - { kind: restore-verification, hypothesis: { text: 'restores', verdict: pass } }
`;
const ENTRY_SUBNETS = ['a', 'b', 'c'].map((l) => `subnet-payments-entry-us-east-1${l}`);

async function records(): Promise<unknown> {
  return w.sim.route53({ region: 'us-east-1' }).listResourceRecordSets({ hostedZoneId: 'Z0PAYMENTS0001', name: 'db.payments.example.com' });
}

/** Waits (sim time passes on its own) until `pred` holds; fails naming `what`. */
async function until(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('aborting the day mid region cut: the child is cancelled, its undo stops the cut, nothing is left behind', async () => {
  const before = await records();
  const gate = g.arm('awaitDnsAnswersSecondary');
  const id = w.id('gameday-abort');
  const h: WorkflowHandle<typeof gameDayWorkflow> = await w.client.workflow.start(gameDayWorkflow, {
    taskQueue: g.taskQueue,
    workflowId: id,
    args: [{ plan: 'abort-mid-cut', planYaml: PLAN }],
  });
  await gate.reached;
  // Mid-scenario by the ground truth: the entry points are cut and DNS answers with the secondary.
  expect(ENTRY_SUBNETS.map((s) => w.sim.fisSim.isSubnetCut(s))).toEqual([true, true, true]);
  expect(w.sim.dnsSim.answerRegion('db.payments.example.com')).toBe('us-west-2');
  const day = await h.query(statusQuery);
  expect([day.step, (day.data as { child?: { step?: string } }).child?.step]).toEqual(['region-cut', 'measure']);
  await h.signal(abortSignal, { reason: 'test: stop the day', by: 'alice' });
  gate.release();
  const sc: Scorecard = await h.result();

  expect([sc.outcome, sc.outcomeReason]).toEqual(['aborted', expect.stringMatching(/aborted by alice: test: stop the day/)]);
  expect(sc.scenarios.map((s) => [s.id, s.outcome])).toEqual([
    ['region-cut', 'aborted'],
    ['region-promotion', 'not-run'],
    ['restore-verification', 'not-run'],
  ]);
  const childId = sc.scenarios[0]!.workflowId!;
  expect((await w.client.workflow.getHandle(childId).describe()).status.name).toBe('CANCELLED');

  // Ground truth: the experiment stopped by the undo, its template deleted, no subnet cut.
  const log = w.sim.world.log.all();
  const experiments = log.filter((e) => e.service === 'fis' && e.event === 'experiment-pending').map((e) => e.resource);
  expect(experiments).toHaveLength(1);
  expect(log.filter((e) => e.resource === experiments[0] && e.event === 'experiment-stopped')).toHaveLength(1);
  expect(w.sim.fisSim.templatesTagged('gameday-run', childId)).toEqual([]);
  expect(log.filter((e) => e.event === 'experiment-template-deleted')).toHaveLength(1);
  expect(ENTRY_SUBNETS.map((s) => w.sim.fisSim.isSubnetCut(s))).toEqual([false, false, false]);
  // Nothing else was touched: no record set changed, no promotion, no restore, the writer stays home.
  expect(await records()).toEqual(before);
  const mutations = w.sim.world.apiCalls.map((c) => c.operation);
  for (const op of ['changeResourceRecordSets', 'switchoverGlobalCluster', 'failoverGlobalCluster', 'restoreDbClusterToPointInTime'])
    expect({ op, calls: mutations.filter((m) => m === op).length }).toEqual({ op, calls: 0 });
  expect(w.sim.rdsSim.writerRegion('payments-global')).toBe('us-east-1');
  // With the cut stopped, Route 53 sees the primary healthy again and DNS answers with it (sim time runs on).
  await until(() => w.sim.dnsSim.answerRegion('db.payments.example.com') === 'us-east-1', 'DNS back on us-east-1');
});
