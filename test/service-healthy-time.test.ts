/**
 * The end of a promotion's RTO (`app-healthy`) from the world's own times (issue 15 item 4): the
 * pure rule (lib/service-healthy.ts) as a table, its window in the measurement, and the AWS times
 * it rests on, read from the simulated AWS in virtual time against its ground truth: SSM's
 * LastModifiedDate of the app's parameter (also when a retry finds it already set), an
 * automation's ExecutionEndTime, and the service write's attempts.
 */
import { join } from 'node:path';
import { awaitAutomation } from '../activities/promotion/await-automation';
import { reconfigureApplication } from '../activities/promotion/reconfigure-application';
import { verifyServiceWrite } from '../activities/promotion/verify-service-write';
import { simDeps } from '../lib/composition-root';
import { createLogger } from '../lib/logger';
import type { TimelineEvent } from '../lib/measurement-types';
import { serviceHealthyAt, type ServiceHealthInput } from '../lib/service-healthy';
import { measure } from '../lib/timeline';
import { TIER_TARGETS } from '../lib/tiers';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';

const RUNBOOKS = join(__dirname, '..', 'runbooks');
const T0 = 1_800_000_000_000;
const s = (x: number): number => T0 + x * 1000;
const ev = (name: TimelineEvent['name'], at: number, notBefore?: number): TimelineEvent => ({
  name,
  at: s(at),
  source: 'test',
  ...(notBefore !== undefined ? { notBefore: s(notBefore) } : {}),
});
const conditions = [
  ev('promotion-requested', 0),
  ev('promotion-finished', 60),
  ev('traffic-converged', 80, 78),
  ev('app-reconfigured', 81),
];
const firstTry = { at: s(90), endpoint: 'db', attempts: 1 };
const alarmsOk = { checkedAt: s(91), okSince: s(-600), count: 1 };

describe('serviceHealthyAt', () => {
  test.each<[string, Partial<ServiceHealthInput>, { at: number; notBefore?: number; byCheck: boolean }]>([
    ['first-attempt write: the last condition’s AWS time (SSM), exact', {}, { at: s(81), byCheck: false }],
    [
      'last condition seen by polling (Route 53 INSYNC): its window',
      { timeline: conditions.slice(0, 3) },
      { at: s(80), notBefore: s(78), byCheck: false },
    ],
    [
      'write after failed attempts: between the last failure and the commit',
      { write: { at: s(95), endpoint: 'db', attempts: 3, previousAttemptAt: s(93) } },
      { at: s(95), notBefore: s(93), byCheck: true },
    ],
    ['alarms OK since after the conditions: CloudWatch’s time', { alarms: { ...alarmsOk, okSince: s(85) } }, { at: s(85), byCheck: false }],
    [
      'alarms OK with no OK-since: their read (after the write) bounds it, the conditions give the lower bound',
      { alarms: { checkedAt: s(91), count: 1 } },
      { at: s(91), notBefore: s(81), byCheck: true },
    ],
    ['no health alarms: the conditions alone', { alarms: { checkedAt: s(91), count: 0 } }, { at: s(81), byCheck: false }],
    [
      'a write result without attempts (an older history): the commit, as before',
      { write: { at: s(90), endpoint: 'db' } },
      { at: s(90), byCheck: true },
    ],
    [
      'an event after the write does not count (it is not what the write confirmed)',
      { timeline: [...conditions, ev('app-reconfigured', 120)] },
      { at: s(81), byCheck: false },
    ],
  ])('%s', (_what, over, expected) => {
    const r = serviceHealthyAt({ timeline: conditions, write: firstTry, alarms: alarmsOk, ...over });
    expect({ at: r.at, notBefore: r.notBefore, byCheck: r.byCheck }).toEqual({ notBefore: undefined, ...expected });
    expect(r.at).toBeLessThanOrEqual(Math.max((over.write ?? firstTry).at, (over.alarms ?? alarmsOk).checkedAt));
  });

  test('the detail names the condition and the proof', () => {
    expect(serviceHealthyAt({ timeline: conditions, write: firstTry, alarms: alarmsOk }).detail).toBe(
      'healthy since app-reconfigured (test); write through db committed at its first attempt 9000 ms later; 1 health alarm(s) OK',
    );
  });

  test('a stamp with a window gives the RTO its earliest bound, and the note says so', () => {
    const h = serviceHealthyAt({ timeline: conditions.slice(0, 3), write: firstTry, alarms: alarmsOk });
    const timeline = [...conditions.slice(0, 3), { name: 'app-healthy' as const, at: h.at, notBefore: h.notBefore, source: 'v' }];
    const m = measure({ timeline, targets: TIER_TARGETS.tier0, resolution: {} });
    expect(m.rto).toMatchObject({ status: 'measured', valueMs: 80_000, earliestMs: 78_000 });
    expect(m.notes?.some((n) => n.startsWith('RTO ends at app-healthy, seen by polling'))).toBe(true);
  });
});

describe('the AWS times app-healthy rests on (virtual time)', () => {
  let sim: SimAws;
  const ACCOUNT = '111122223333';
  beforeEach(() => {
    sim = new SimAws({ scale: 600, seed: 5, virtualTime: true });
  });
  afterEach(() => sim.close());

  test('an SSM parameter change is timed by its LastModifiedDate, and a retry that finds it set reports the same time', async () => {
    const rb = loadRunbookByName('payments-prod', RUNBOOKS);
    sim.seedFromRunbook(rb);
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const input = { runbook: rb, workflowId: 'w', region: 'us-west-2', clusterId: 'payments-usw2' };
    const first = await reconfigureApplication(deps, input);
    const [truth] = sim.world.log.find({ service: 'ssm', event: 'parameter-updated' });
    expect(first).toMatchObject({ effect: 'called', at: truth!.at, atSource: 'aws' });
    await sim.world.clock.sleep(45_000);
    const retry = await reconfigureApplication(deps, input);
    expect(retry).toMatchObject({ effect: 'already-done', at: truth!.at, atSource: 'aws' });
    expect(sim.world.log.find({ service: 'ssm', event: 'parameter-updated' })).toHaveLength(1);
  });

  test('an automation’s end is SSM’s ExecutionEndTime, whatever the poll interval', async () => {
    const rb = loadRunbookByName('orders-prod', RUNBOOKS);
    sim.seedFromRunbook(rb);
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const region = rb.aurora!.members[1]!.region;
    const started = await reconfigureApplication(deps, {
      runbook: rb,
      workflowId: 'w',
      region,
      clusterId: rb.aurora!.members[1]!.clusterId,
    });
    const id = 'automationExecutionId' in started ? started.automationExecutionId! : '';
    const done = await awaitAutomation(deps, {
      automationExecutionId: id,
      region,
      account: rb.account,
      poll: { intervalMs: 20_000, fastIntervalMs: 15_000 },
      timeoutMs: 600_000,
    });
    const [truth] = sim.world.log.find({ service: 'ssm', event: 'automation-succeeded', resource: id });
    expect(done.aws?.at).toBe(truth!.at);
    expect(done.observedAt).toBeGreaterThan(truth!.at);
  });

  test('the service write says how many attempts it took and when the last failed one was issued', async () => {
    const rb = loadRunbookByName('payments-prod', RUNBOOKS);
    sim.seedFromRunbook(rb);
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const poll = { intervalMs: 1_000, fastIntervalMs: 250 };
    const healthy = await verifyServiceWrite(deps, { runbook: rb, runId: 'r1', poll, timeoutMs: 60_000 });
    expect(healthy).toMatchObject({ ok: true, attempts: 1 });
    expect(healthy.previousAttemptAt).toBeUndefined();

    const rds = sim.rds({ region: 'us-west-2', accountId: ACCOUNT });
    await rds.switchoverGlobalCluster({
      globalClusterIdentifier: 'payments-global',
      targetDbClusterArn: `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:payments-usw2`,
    });
    // Past the demotion of the old primary: no writer until the promotion.
    for (sim.world.advance(); sim.world.log.find({ service: 'rds', event: 'cluster-writes-blocked' }).length === 0; sim.world.advance())
      await sim.world.clock.sleep(1_000);
    const moved = await verifyServiceWrite(deps, { runbook: rb, runId: 'r2', poll, timeoutMs: 600_000 });
    const [writable] = sim.world.log.find({ service: 'rds', event: 'cluster-writable', resource: 'payments-usw2' });
    expect(moved.ok).toBe(true);
    expect(moved.attempts).toBeGreaterThan(1);
    expect(moved.previousAttemptAt).toBeLessThan(writable!.at);
    expect(moved.at).toBeGreaterThanOrEqual(writable!.at);
  });
});
