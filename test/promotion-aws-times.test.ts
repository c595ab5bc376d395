/**
 * Transition times from AWS's own records (issue 15 items 4 and 5), on the simulated AWS in virtual
 * time (no wall timing): the promote step found "already in progress" by a retry reports AWS's
 * time of the request (RDS-EVENT-0181) or says it only found it later; the writable wait returns
 * the RDS event's date (0184 / 0238) whatever the poll interval, and the observation window for a
 * detach (no event in AWS's catalog); the event lookup keeps to its window. And the worker-gap
 * notes name the figures resting on each gap. The promotion's request is stamped at the workflow's
 * recorded start.
 */
import { join } from 'node:path';
import { promoteSecondaryCluster, type PromoteInput } from '../activities/promotion/promote-secondary-cluster';
import { awaitClusterWritable } from '../activities/promotion/await-cluster-writable';
import { findRdsEvent, writerEventOf } from '../activities/promotion/writer-event';
import { requestedInstant } from '../activities/promotion/prepare-promotion';
import { scaledClock } from '../lib/clock';
import { simDeps } from '../lib/composition-root';
import { createLogger } from '../lib/logger';
import { measure } from '../lib/timeline';
import { TIER_TARGETS } from '../lib/tiers';
import { workerGapNotes, type WorkerGap } from '../lib/worker-gaps';
import type { TimelineEvent } from '../lib/measurement-types';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';

const RUNBOOKS = join(__dirname, '..', 'runbooks');
const USE1 = 'arn:aws:rds:us-east-1:111122223333:cluster:payments-use1';
const USW2 = 'arn:aws:rds:us-west-2:111122223333:cluster:payments-usw2';

function newSim(): SimAws {
  const sim = new SimAws({ scale: 600, seed: 11, virtualTime: true });
  const rb = loadRunbookByName('payments-prod', RUNBOOKS);
  sim.rdsSim.seed(rb);
  return sim;
}

const input = (mode: PromoteInput['mode'], requestedAt: number): PromoteInput => ({
  mode,
  account: '111122223333',
  globalClusterId: 'payments-global',
  source: { region: 'us-east-1', clusterId: 'payments-use1', arn: USE1 },
  target: { region: 'us-west-2', clusterId: 'payments-usw2', arn: USW2 },
  requestedAt,
});

const ground = (sim: SimAws, event: string, resource?: string) =>
  sim.world.log.find({ service: 'rds', event, ...(resource ? { resource } : {}) })[0]!.at;

let sim: SimAws;
beforeEach(() => {
  sim = newSim();
});
afterEach(() => sim.close());

describe('promote step', () => {
  test('a retry that finds a switchover in flight reports AWS’s time of the request (RDS-EVENT-0181), not its own', async () => {
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const requestedAt = sim.world.now();
    const first = await promoteSecondaryCluster(deps, input('switchover', requestedAt));
    expect(first).toMatchObject({ effect: 'called' });
    expect(first.atSource).toBeUndefined();
    await sim.world.clock.sleep(3_000); // the lost worker's downtime, before the retry reads
    const retry = await promoteSecondaryCluster(deps, input('switchover', requestedAt));
    expect(retry).toMatchObject({ effect: 'already-in-progress', atSource: 'aws', at: ground(sim, 'global-switchover-requested') });
    expect(retry.detail).toMatch(/RDS-EVENT-0181/);
  });

  test('a failover found in flight has no start event in AWS’s catalog: the retry says it only found it later', async () => {
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const requestedAt = sim.world.now();
    await promoteSecondaryCluster(deps, input('failover', requestedAt));
    await sim.world.clock.sleep(3_000);
    const retry = await promoteSecondaryCluster(deps, input('failover', requestedAt));
    expect(retry).toMatchObject({ effect: 'already-in-progress', atSource: 'found-later' });
    expect(retry.at).toBeGreaterThan(ground(sim, 'global-failover-requested'));
  });
});

describe('writable wait', () => {
  test.each([
    ['switchover', 'RDS-EVENT-0184'],
    ['failover', 'RDS-EVENT-0238'],
  ] as const)('%s: the end is the RDS event’s date (%s), the ground truth exactly, however slow the polls', async (mode, id) => {
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const requestedAt = sim.world.now();
    const sent = await promoteSecondaryCluster(deps, input(mode, requestedAt));
    // 20 s polls: the observation lags the change by up to 20 s; AWS's time does not.
    const w = await awaitClusterWritable(deps, {
      ...input(mode, requestedAt),
      poll: { intervalMs: 20_000, fastIntervalMs: 20_000 },
      timeoutMs: 30 * 60_000,
      since: sent.at,
    });
    const truth = ground(sim, 'cluster-writable', 'payments-usw2');
    expect(w.aws).toEqual({ at: truth, detail: expect.stringContaining(id) });
    expect(w.observedAt).toBeGreaterThanOrEqual(truth);
  });

  test('detach: no event in AWS’s catalog, the window stands and the note says why', async () => {
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const sent = await promoteSecondaryCluster(deps, input('detach', sim.world.now()));
    const w = await awaitClusterWritable(deps, {
      ...input('detach', sent.at),
      poll: { intervalMs: 1000, fastIntervalMs: 1000 },
      timeoutMs: 30 * 60_000,
      since: sent.at,
    });
    expect(w.aws).toBeUndefined();
    expect(w.awsNote).toMatch(/no RDS event for a detach/);
    const truth = ground(sim, 'cluster-writable', 'payments-usw2');
    expect(w.previousReadAt!).toBeLessThan(truth);
    expect(w.observedAt).toBeGreaterThanOrEqual(truth);
  });

  test('the event lookup keeps to its window: an event of an earlier promotion is not this one', async () => {
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const sent = await promoteSecondaryCluster(deps, input('switchover', sim.world.now()));
    await awaitClusterWritable(deps, {
      ...input('switchover', sent.at),
      poll: { intervalMs: 1000, fastIntervalMs: 1000 },
      timeoutMs: 3_600_000,
    });
    const rds = sim.rds({ region: 'us-west-2', accountId: '111122223333' });
    const ev = writerEventOf('switchover', 'payments-usw2', 'us-west-2')!;
    const later = sim.world.now() + 60_000;
    // A window after the event: it is not read at all (DescribeEvents from the window's start).
    expect(await findRdsEvent(rds, 'payments-usw2', ev, { since: later, until: later + 60_000 })).toEqual({
      note: expect.stringMatching(/RDS-EVENT-0184 not in the RDS event log/),
    });
    // A window ending before the event: found, but not used.
    expect(await findRdsEvent(rds, 'payments-usw2', ev, { since: sent.at, until: sent.at + 1 })).toEqual({
      note: expect.stringMatching(/RDS-EVENT-0184 found at .*outside the observation window/),
    });
    const other = await findRdsEvent(rds, 'payments-usw2', writerEventOf('switchover', 'payments-usw2', 'eu-west-1')!, {
      since: sent.at,
      until: sim.world.now(),
    });
    expect(other).toEqual({ note: expect.stringMatching(/not in the RDS event log/) });
  });
});

describe('worker-gap notes', () => {
  const T0 = 1_800_000_000_000;
  const ev = (name: TimelineEvent['name'], s: number): TimelineEvent => ({ name, at: T0 + s * 1000, source: 'test' });
  const timeline = [
    ev('promotion-requested', 0),
    ev('decision-made', 5),
    ev('promotion-started', 6),
    ev('promotion-finished', 70),
    ev('traffic-shift-started', 71),
    ev('traffic-converged', 130),
    ev('app-healthy', 135),
  ];
  const m = measure({ timeline, targets: TIER_TARGETS.tier0, resolution: {} });
  const gap = (g: Partial<WorkerGap>): WorkerGap => ({
    step: 's',
    attempt: 2,
    startedAt: T0 + 100_000,
    restingEvents: [],
    awsTimedEvents: [],
    ...g,
  });

  test.each([
    [{ step: 'await-insync', restingEvents: ['traffic-converged'] }, /figures resting on it: traffic phase, app phase$/],
    [{ step: 'verify', restingEvents: ['app-healthy'] }, /figures resting on it: RTO, app phase$/],
    [{ step: 'promote', restingEvents: ['promotion-started'] }, /figures resting on it: promote phase$/],
    [
      { step: 'await-writable', awsTimedEvents: ['promotion-finished'] },
      /promotion-finished timed by AWS's own record .*; no reported figure rests on it$/,
    ],
  ] as [Partial<WorkerGap>, RegExp][])('%o', (g, expected) => {
    const [note] = workerGapNotes([gap(g)], timeline, m);
    expect(note).toMatch(new RegExp(`^worker gap: step ${g.step} completed on attempt 2 `));
    expect(note).toMatch(expected);
  });

  test('the gap’s span is said when the earlier attempt heartbeated, and said unknown when it did not', () => {
    const [known, unknown] = workerGapNotes(
      [gap({ lastHeartbeatAt: T0 + 88_500, restingEvents: ['traffic-converged'] }), gap({ restingEvents: ['traffic-converged'] })],
      timeline,
      m,
    );
    expect(known).toMatch(/to this attempt's start \(11500 ms\)/);
    expect(unknown).toMatch(/left no heartbeat, so the gap’s start is not known/);
  });
});

describe('RTO start (issue 15 item 4)', () => {
  test('the promotion is requested when Temporal recorded the workflow’s start, on the activities’ clock', () => {
    const spec = { simEpochMs: 1_700_000_000_000, wallEpochMs: Date.now() - 10_000, scale: 20 };
    const deps = { ...simDeps(sim, createLogger({ level: 'silent' })), clock: scaledClock(spec) };
    const started = spec.wallEpochMs + 7_000; // the server's start time, 3 s before this activity runs
    const r = requestedInstant(deps, started);
    expect(r.requestedAtWall).toBe(started);
    expect(Math.abs(r.requestedAt - (spec.simEpochMs + 7_000 * 20))).toBeLessThanOrEqual(20 * 5);
  });

  test('without a start time (or one in the future) it is now', () => {
    const deps = simDeps(sim, createLogger({ level: 'silent' }));
    const now = sim.world.now();
    expect(requestedInstant(deps, undefined).requestedAt).toBe(now);
    expect(requestedInstant(deps, Date.now() + 60_000).requestedAt).toBe(now);
  });
});
