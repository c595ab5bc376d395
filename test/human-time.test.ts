/**
 * The time model: a person's wait counts at its wall duration inside every span that contains
 * it, and phases plus named gaps account for every millisecond of the RTO.
 */
import type { TimelineEvent } from '../lib/measurement-types';
import { humanWaitsOf, spanWithHumanTime } from '../lib/human-time';
import { gapsOf, measure } from '../lib/timeline';

const SCALE = 60;
const ev = (name: TimelineEvent['name'], at: number, wallAt?: number): TimelineEvent => ({
  name,
  at,
  source: 'test',
  ...(wallAt !== undefined ? { wallAt } : {}),
});

describe('human time', () => {
  // A 5-minute approval at 60×: 300 wall s read as 18,000 simulated s.
  const t0 = 1_000_000;
  const wall0 = 5_000_000;
  const timeline = [
    ev('promotion-requested', t0),
    ev('approval-requested', t0 + 10_000, wall0),
    ev('decision-made', t0 + 10_000 + 300_000 * SCALE, wall0 + 300_000),
    ev('promotion-started', t0 + 20_000 + 300_000 * SCALE),
    ev('promotion-finished', t0 + 80_000 + 300_000 * SCALE),
    ev('app-healthy', t0 + 100_000 + 300_000 * SCALE),
  ];

  it('finds the approval wait and its wall duration', () => {
    expect(humanWaitsOf(timeline)).toEqual([
      { what: 'approval', fromAt: t0 + 10_000, toAt: t0 + 10_000 + 300_000 * SCALE, wallMs: 300_000 },
    ]);
  });

  it('counts the wait at 1× inside a span that contains it, and not outside', () => {
    const waits = humanWaitsOf(timeline);
    expect(spanWithHumanTime(t0, t0 + 100_000 + 300_000 * SCALE, waits)).toBe(100_000 + 300_000);
    expect(spanWithHumanTime(t0 + 20_000 + 300_000 * SCALE, t0 + 80_000 + 300_000 * SCALE, waits)).toBe(60_000);
  });

  it('reports a 5-minute approval as a 5-minute wait, in the RTO and the decide phase', () => {
    const m = measure({ timeline, targets: { rpoMs: 5000, rtoMs: 15 * 60_000 }, resolution: {} });
    expect(m.rto).toMatchObject({ status: 'measured', valueMs: 400_000, verdict: 'pass' });
    expect(m.phases.find((p) => p.phase === 'decide')?.durationMs).toBe(310_000);
    expect(m.humanWaits).toEqual([{ what: 'approval', wallMs: 300_000, clockMs: 300_000 * SCALE }]);
  });

  it('names every gap so phases and gaps add up to the RTO window', () => {
    const m = measure({ timeline, targets: { rpoMs: 5000, rtoMs: 15 * 60_000 }, resolution: {} });
    expect(m.gaps?.map((g) => g.between)).toEqual(['decide → promote']);
    const covered = m.phases.reduce((a, p) => a + (p.endAt - p.startAt), 0) + m.gaps!.reduce((a, g) => a + g.durationMs, 0);
    expect(covered).toBe(timeline[5]!.at - timeline[0]!.at);
  });

  it('gapsOf: uncovered stretches at the start, between and at the end', () => {
    const phase = (p: string, a: number, b: number) => ({ phase: p, startAt: a, endAt: b, durationMs: b - a });
    expect(gapsOf([phase('x', 10, 20), phase('y', 25, 30)], 0, 40).map((g) => [g.between, g.durationMs])).toEqual([
      ['start → x', 10],
      ['x → y', 5],
      ['y → end', 10],
    ]);
  });
});
