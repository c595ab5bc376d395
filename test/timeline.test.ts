/** Table-driven tests of the pure timeline math (lib/timeline.ts). */
import type { CanaryAck, CanaryReadResult, CanaryWriterResult, Figure, TimelineEvent, TimelineEventName } from '../lib/measurement-types';
import { computeRpo, measure, phasesOf } from '../lib/timeline';
import { TIER_TARGETS } from '../lib/tiers';

const T0 = 1_700_000_000_000;
const targets = TIER_TARGETS.tier0; // RPO 5 s, RTO 15 min

function ev(name: TimelineEventName, atS: number, source = 'test', component?: string): TimelineEvent {
  return { name, at: T0 + atS * 1000, source, ...(component ? { component } : {}) };
}

/** Acks seq 1..n at 10/s starting at T0. */
function acks(n: number, rate = 10): CanaryAck[] {
  return Array.from({ length: n }, (_, i) => ({ seq: i + 1, at: T0 + Math.round((i * 1000) / rate) }));
}

function writer(acked: CanaryAck[], extra: Partial<CanaryWriterResult> = {}): CanaryWriterResult {
  return { runId: 'r1', ratePerSecond: 10, acked, failedAttempts: 0, ...extra };
}

function reader(present: number[], extra: Partial<CanaryReadResult> = {}): CanaryReadResult {
  return { presentSeqs: present, readAt: T0 + 999_000, ...extra };
}

const fullTimeline = [
  ev('fault-injected', 0, 'startExperiment'),
  ev('failure-detected', 30, 'awaitAlarm'),
  ev('approval-requested', 31),
  ev('decision-made', 90, 'approvePromotionUpdate'),
  ev('promotion-started', 91, 'promote'),
  ev('promotion-finished', 151, 'awaitClusterWritable'),
  ev('traffic-shift-started', 152),
  ev('traffic-converged', 212),
  ev('app-healthy', 230, 'checkAppHealth'),
];

function value(f: Figure): number | undefined {
  return f.status === 'measured' ? f.valueMs : undefined;
}

describe('RTO and phases', () => {
  const cases: {
    name: string;
    timeline: TimelineEvent[];
    rto: number | { reason: RegExp };
    phases: Record<string, number>;
    rtoEnd?: TimelineEventName;
    notes?: RegExp;
  }[] = [
    {
      name: 'full region promotion',
      timeline: fullTimeline,
      rto: 230_000,
      phases: { detect: 30_000, decide: 60_000, promote: 60_000, traffic: 60_000, app: 18_000 },
    },
    {
      name: 'missing fault-injected → not measured naming the event',
      timeline: fullTimeline.filter((e) => e.name !== 'fault-injected'),
      rto: { reason: /no fault-injected \(or promotion-requested\) event/ },
      phases: { decide: 60_000, promote: 60_000, traffic: 60_000, app: 18_000 },
    },
    {
      name: 'missing app-healthy → not measured naming the event',
      timeline: fullTimeline.filter((e) => e.name !== 'app-healthy'),
      rto: { reason: /no app-healthy event after fault-injected/ },
      phases: { detect: 30_000, decide: 60_000, promote: 60_000, traffic: 60_000 },
    },
    {
      name: 'app-healthy before the fault (baseline) is not taken as recovery',
      timeline: [ev('app-healthy', -60), ...fullTimeline],
      rto: 230_000,
      phases: { detect: 30_000, decide: 60_000, promote: 60_000, traffic: 60_000, app: 18_000 },
    },
    {
      name: 'clock skew: promotion-finished 400 ms before promotion-started is clamped to 0 with a note',
      timeline: [
        ev('fault-injected', 0),
        ev('promotion-started', 10, 'workerA'),
        ev('promotion-finished', 9.6, 'workerB'),
        ev('app-healthy', 20),
      ],
      rto: 20_000,
      phases: { promote: 0, app: 10_400 },
      notes: /phase promote: promotion-finished \(workerB\) precedes promotion-started \(workerA\) by 400 ms/,
    },
    {
      name: 'clock skew beyond tolerance: an end 10 s before its start is not its end',
      timeline: [ev('fault-injected', 0), ev('promotion-finished', 0.5), ev('promotion-started', 10.5), ev('app-healthy', 20)],
      rto: 20_000,
      phases: { app: 19_500 },
    },
    {
      name: 'restore drill ends the RTO at verification-finished when told so',
      timeline: [ev('fault-injected', 0), ev('restore-started', 1), ev('restore-available', 601), ev('verification-finished', 661)],
      rto: 661_000,
      rtoEnd: 'verification-finished',
      phases: { restore: 600_000, verify: 60_000 },
      notes: /RTO ends at verification-finished/,
    },
    {
      name: 'events given out of order are sorted by time',
      timeline: [...fullTimeline].reverse(),
      rto: 230_000,
      phases: { detect: 30_000, decide: 60_000, promote: 60_000, traffic: 60_000, app: 18_000 },
    },
  ];

  test.each(cases)('$name', (c) => {
    const m = measure({ timeline: c.timeline, targets, resolution: { pollIntervalMs: 250 }, ...(c.rtoEnd ? { rtoEnd: c.rtoEnd } : {}) });
    if (typeof c.rto === 'number') {
      expect(m.rto).toEqual({
        status: 'measured',
        valueMs: c.rto,
        targetMs: targets.rtoMs,
        marginMs: targets.rtoMs - c.rto,
        verdict: 'pass',
      });
    } else {
      expect(m.rto.status).toBe('not-measured');
      expect(m.rto.status === 'not-measured' && m.rto.reason).toMatch(c.rto.reason);
    }
    expect(Object.fromEntries(m.phases.map((p) => [p.phase, p.durationMs]))).toEqual(c.phases);
    if (c.notes) expect((m.notes ?? []).join('\n')).toMatch(c.notes);
  });

  test('a clamped phase records how far the end preceded the start', () => {
    const phases = phasesOf([ev('promotion-started', 10), ev('promotion-finished', 9.6)]);
    expect(phases).toEqual([{ phase: 'promote', startAt: T0 + 10_000, endAt: T0 + 9_600, durationMs: 0, clampedFromMs: -400 }]);
  });

  test('RTO over target fails with a negative margin', () => {
    const m = measure({
      timeline: [ev('fault-injected', 0), ev('app-healthy', 1000)],
      targets,
      resolution: {},
      canary: { writer: writer(acks(5)), reader: reader([1, 2, 3, 4, 5]) },
    });
    expect(m.rto).toEqual({ status: 'measured', valueMs: 1_000_000, targetMs: 900_000, marginMs: -100_000, verdict: 'fail' });
    expect(m.verdict).toBe('fail');
  });

  test('AZ loss: per-component RTO, unrecovered component not measured', () => {
    const m = measure({
      timeline: [
        ev('fault-injected', 0),
        ev('component-impaired', 1, 'fis', 'aurora:orders'),
        ev('component-impaired', 2, 'fis', 'elasticache:sessions'),
        ev('component-recovered', 31, 'poll', 'aurora:orders'),
        ev('app-healthy', 40),
      ],
      targets: { rpoMs: 0, rtoMs: 60_000 },
      resolution: {},
      canary: { writer: writer(acks(3)), reader: reader([1, 2, 3]) },
    });
    expect(m.components).toEqual([
      { component: 'aurora:orders', rto: { status: 'measured', valueMs: 30_000, targetMs: 60_000, marginMs: 30_000, verdict: 'pass' } },
      {
        component: 'elasticache:sessions',
        rto: {
          status: 'not-measured',
          reason: expect.stringMatching(/no component-recovered event for elasticache:sessions/),
          targetMs: 60_000,
        },
      },
    ]);
    expect(m.verdict).toBe('pass');
  });
});

test('AZ loss: a failing component figure keeps its own verdict and does not fail the service verdict', () => {
  const m = measure({
    timeline: [
      ev('fault-injected', 0),
      ev('component-impaired', 0, 'fis', 'ec2:api'),
      ev('app-healthy', 40),
      ev('component-recovered', 200, 'poll', 'ec2:api'),
    ],
    targets: { rpoMs: 0, rtoMs: 60_000 },
    resolution: {},
    canary: { writer: writer(acks(3)), reader: reader([1, 2, 3]) },
  });
  expect(m.components[0]!.rto).toMatchObject({ status: 'measured', valueMs: 200_000, verdict: 'fail' });
  expect(m.rto).toMatchObject({ valueMs: 40_000, verdict: 'pass' });
  expect(m.verdict).toBe('pass');
});

describe('RPO', () => {
  const cases: { name: string; writer: CanaryWriterResult; reader: CanaryReadResult; rpo: number; lost: number; notes?: RegExp }[] = [
    { name: 'zero loss', writer: writer(acks(50)), reader: reader(acks(50).map((a) => a.seq)), rpo: 0, lost: 0 },
    {
      name: 'last 12 writes lost: RPO = at(last lost) − at(newest present)',
      writer: writer(acks(50)),
      reader: reader(acks(38).map((a) => a.seq)),
      rpo: 4_900 - 3_700,
      lost: 12,
    },
    {
      name: 'writes after the outage (new writer) present, a gap before it lost',
      writer: writer([...acks(20), { seq: 30, at: T0 + 9_000 }, { seq: 31, at: T0 + 9_100 }]),
      reader: reader([...acks(15).map((a) => a.seq), 30, 31]),
      rpo: 1_900 - 1_400,
      lost: 5,
    },
    {
      name: 'total loss: RPO = last acked − first acked + 1 interval',
      writer: writer(acks(20)),
      reader: reader([]),
      rpo: 1_900 + 100,
      lost: 20,
      notes: /none of the writes acked before seq 20/,
    },
    {
      name: 'present as ranges and acks as compacted spans',
      writer: writer([{ seq: 101, at: T0 + 10_000 }], { ackSpans: [{ fromSeq: 1, toSeq: 100, fromAt: T0, toAt: T0 + 9_900 }] }),
      reader: reader([], { presentRanges: [[1, 60]] }),
      rpo: 10_000 - 5_900,
      lost: 41,
      notes: /interpolated/,
    },
    {
      name: 'a span with exact time deltas is not interpolated (uneven writes under load)',
      // seqs 1..5 at T0, +100, +900 (a stall), +1000, +1100; 3..5 lost.
      writer: writer([], { ackSpans: [{ fromSeq: 1, toSeq: 5, fromAt: T0, toAt: T0 + 1_100, atDeltas: [100, 800, 100, 100] }] }),
      reader: reader([1, 2]),
      rpo: 1_100 - 100,
      lost: 3,
    },
  ];

  test.each(cases)('$name', (c) => {
    const m = measure({
      timeline: [ev('fault-injected', 0), ev('app-healthy', 60)],
      targets,
      resolution: {},
      canary: { writer: c.writer, reader: c.reader },
    });
    expect(value(m.rpo)).toBe(c.rpo);
    expect(m.lostWrites).toBe(c.lost);
    expect(m.resolution.canaryRatePerSecond).toBe(10);
    if (c.notes) expect((m.notes ?? []).join('\n')).toMatch(c.notes);
    const expectedVerdict = c.rpo <= targets.rpoMs ? 'pass' : 'fail';
    expect(m.rpo.status === 'measured' && m.rpo.verdict).toBe(expectedVerdict);
    expect(m.verdict).toBe(expectedVerdict);
  });

  test('computeRpo names the last lost and the newest present write before it', () => {
    const r = computeRpo(writer(acks(50)), reader(acks(38).map((a) => a.seq)));
    expect(r.lastLost).toEqual({ seq: 50, at: T0 + 4_900 });
    expect(r.newestPresentBefore).toEqual({ seq: 38, at: T0 + 3_700 });
  });

  test('RPO over target fails', () => {
    const m = measure({
      timeline: [],
      targets,
      resolution: {},
      canary: { writer: writer(acks(100)), reader: reader(acks(10).map((a) => a.seq)) },
    });
    expect(m.rpo).toEqual({ status: 'measured', valueMs: 9_000, targetMs: 5_000, marginMs: -4_000, verdict: 'fail' });
    // RTO not measured but a measured figure failed → fail.
    expect(m.verdict).toBe('fail');
  });
});

describe('not measured is never shown as a result', () => {
  const cases: { name: string; canary?: Parameters<typeof measure>[0]['canary']; reason: RegExp }[] = [
    { name: 'no canary', reason: /no canary ran/ },
    {
      name: 'canary explicitly not measured',
      canary: { notMeasured: 'runbook has no canary section' },
      reason: /runbook has no canary section/,
    },
    {
      name: 'writer unavailable',
      canary: { writer: writer([], { unavailableReason: 'ECONNREFUSED' }), reader: reader([]) },
      reason: /writer unavailable: ECONNREFUSED/,
    },
    {
      name: 'reader unavailable',
      canary: { writer: writer(acks(3)), reader: reader([], { unavailableReason: 'timeout' }) },
      reason: /reader unavailable: timeout/,
    },
    {
      name: "a dead writer attempt's acks could not be read back",
      canary: { writer: writer(acks(30), { ackGap: 'member payments-use1 unreachable' }), reader: reader([1, 2]) },
      reason: /acks incomplete: member payments-use1 unreachable/,
    },
    {
      name: 'no acks',
      canary: { writer: writer([], { failedAttempts: 7 }), reader: reader([]) },
      reason: /acknowledged no writes \(7 failed attempts\)/,
    },
  ];

  test.each(cases)('$name', (c) => {
    const m = measure({ timeline: fullTimeline, targets, resolution: {}, ...(c.canary ? { canary: c.canary } : {}) });
    expect(m.rpo).toEqual({ status: 'not-measured', reason: expect.stringMatching(c.reason), targetMs: targets.rpoMs });
    expect(m.rpo).not.toHaveProperty('valueMs');
    expect(m.lostWrites).toBeUndefined();
    expect(m.verdict).toBe('not-measured');
  });

  test('everything measured and within target passes; prediction and resolution carried', () => {
    const m = measure({
      timeline: fullTimeline,
      targets,
      resolution: { pollIntervalMs: 250 },
      predictedRpoMs: 800,
      canary: { writer: writer(acks(50)), reader: reader(acks(45).map((a) => a.seq)) },
    });
    expect(m.verdict).toBe('pass');
    expect(m.predictedRpoMs).toBe(800);
    expect(m.resolution).toEqual({ pollIntervalMs: 250, canaryRatePerSecond: 10 });
    expect(value(m.rpo)).toBe(500);
  });
});

test('split brain: writes the old primary acked after the promotion began are their own figure, not RPO', () => {
  // Writes every 100 ms for 5 s; replication had delivered up to 2.0 s; the promotion began at 3.0 s
  // and the old primary kept taking writes until 5.0 s (the app not yet reconfigured).
  const m = measure({
    timeline: [ev('promotion-started', 3)],
    targets,
    canary: { writer: writer(acks(50)), reader: reader(acks(21).map((a) => a.seq)) },
    resolution: {},
  });
  expect(m.lostWrites).toBe(9); // acked at 2.1 s … 2.9 s
  expect(m.rpo).toMatchObject({ status: 'measured', valueMs: 2_900 - 2_000 });
  expect(m.splitBrain).toEqual({ writes: 20, firstAt: T0 + 3_000, lastAt: T0 + 4_900 });
  expect(m.notes).toContainEqual(expect.stringMatching(/split brain: 20 writes .* \(not RPO\)/));
  // Without a promotion-started event every missing write counts toward RPO, and a note says so.
  const old = measure({
    timeline: [],
    targets,
    canary: { writer: writer(acks(50)), reader: reader(acks(21).map((a) => a.seq)) },
    resolution: {},
  });
  expect(old.lostWrites).toBe(29);
  expect(old.splitBrain).toBeUndefined();
  expect(old.notes).toContainEqual(expect.stringMatching(/no promotion-started event/));
});

test('a detach (no AWS instant for its cut): missing writes sent while the promote call was in flight are their own figure', () => {
  // Writes every 100 ms for 5 s; replication delivered up to 2.0 s; the call was sent at 3.0 s and
  // returned at 3.15 s: writes at 3.0 and 3.1 s may have reached the old primary before or after the cut.
  const started = { ...ev('promotion-started', 3), until: T0 + 3_150 };
  const m = measure({
    timeline: [started],
    targets,
    canary: { writer: writer(acks(50)), reader: reader(acks(21).map((a) => a.seq)) },
    resolution: {},
  });
  expect(m.lostWrites).toBe(9); // 2.1 s … 2.9 s: acked before the call was sent
  expect(m.inFlightAtPromotion).toEqual({ writes: 2, firstAt: T0 + 3_000, lastAt: T0 + 3_100 });
  expect(m.splitBrain).toEqual({ writes: 18, firstAt: T0 + 3_200, lastAt: T0 + 4_900 });
  expect(m.notes).toContainEqual(expect.stringMatching(/2 write\(s\) sent while the promote call was in flight .* counted in neither/));
  // AWS's own instant (writes-blocked) replaces the call's window: nothing is in flight.
  const fenced = measure({
    timeline: [started, ev('writes-blocked', 3.05)],
    targets,
    canary: { writer: writer(acks(50)), reader: reader(acks(21).map((a) => a.seq)) },
    resolution: {},
  });
  expect(fenced.inFlightAtPromotion).toBeUndefined();
  expect(fenced.lostWrites).toBe(10);
});

test('a managed failover replicates until AWS blocks writes on the old primary: that instant, not the call, splits RPO from split brain', () => {
  // The call at 3.0 s; Aurora fenced the old primary at 4.0 s (RDS-EVENT-0390); replication had delivered up to 2.0 s.
  const m = measure({
    timeline: [
      ev('promotion-started', 3),
      { ...ev('writes-blocked', 4), source: 'rds-event', detail: 'RDS-EVENT-0390/0391: Attempt to block writes …' },
    ],
    targets,
    canary: { writer: writer(acks(50)), reader: reader(acks(21).map((a) => a.seq)) },
    resolution: {},
  });
  expect(m.lostWrites).toBe(19); // acked at 2.1 s … 3.9 s: before the fence, never replicated
  expect(m.rpo).toMatchObject({ status: 'measured', valueMs: 3_900 - 2_000 });
  expect(m.splitBrain).toEqual({ writes: 10, firstAt: T0 + 4_000, lastAt: T0 + 4_900 });
  expect(m.notes).toContainEqual(
    expect.stringMatching(/RPO: the promotion began when AWS blocked writes on the old primary \(RDS-EVENT-0390/),
  );
});

test('the canary achieved rate is reported beside the configured rate', () => {
  const m = measure({
    timeline: [],
    targets,
    canary: { writer: writer(acks(10), { achievedRatePerSecond: 7.5 }), reader: reader(acks(10).map((a) => a.seq)) },
    resolution: {},
  });
  expect(m.resolution).toMatchObject({ canaryRatePerSecond: 10, canaryAchievedRatePerSecond: 7.5 });
});

describe('observation window of an RTO end seen by polling', () => {
  const restore = (notBeforeS?: number): TimelineEvent[] => [
    ev('restore-started', 0),
    { ...ev('restore-available', 42), ...(notBeforeS !== undefined ? { notBefore: T0 + notBeforeS * 1000 } : {}) },
  ];
  const run = (timeline: TimelineEvent[]) =>
    measure({
      timeline,
      targets,
      rtoStart: 'restore-started',
      rtoEnd: 'restore-available',
      canary: { notMeasured: 'test' },
      resolution: {},
    });

  test.each([
    [40, 40_000],
    [-5, 0], // the causing step before the start: the window starts at the start
    [50, 42_000], // a read stamped after the seen one: never above the figure
  ])('last read without it at %s s: the truth lies between %s ms and the figure', (notBeforeS, earliest) => {
    const m = run(restore(notBeforeS));
    expect(m.rto).toMatchObject({ status: 'measured', valueMs: 42_000, earliestMs: earliest });
    expect((m.notes ?? []).join('\n')).toContain(`between ${earliest} ms and 42000 ms after restore-started`);
  });

  test('an end stamped without a window has none', () => {
    const m = run(restore());
    expect(m.rto.status === 'measured' && m.rto.earliestMs).toBeUndefined();
  });
});
