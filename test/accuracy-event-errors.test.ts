/**
 * The accuracy bench's per-event and per-phase judgement (bench/accuracy/event-errors.ts) and its
 * phase table: errors are reported − true, a window holds its truth only inside (notBefore, at].
 */
import { eventErrors, eventWindows, phaseErrors } from '../bench/accuracy/event-errors';
import { formatPhaseTable, type AccuracyRun } from '../bench/accuracy/summary';
import type { PhaseFigure, TimelineEvent } from '../lib/measurement-types';

const timeline: TimelineEvent[] = [
  { name: 'promotion-started', at: 1_000, source: 'rds-event' },
  { name: 'promotion-finished', at: 20_000, source: 'rds-event' },
  { name: 'traffic-shift-started', at: 21_000, source: 'route53 SubmittedAt' },
  { name: 'traffic-converged', at: 34_000, source: 'awaitChangeInsync', notBefore: 32_000 },
  { name: 'app-healthy', at: 35_000, source: 'verifyServiceWrite' },
];
const truth = {
  'promotion-started': 1_010,
  'promotion-finished': 20_000,
  'traffic-shift-started': 21_000,
  'traffic-converged': 32_500,
  'app-healthy': 35_000,
  'app-reconfigured': 34_900,
} as const;
const phases: PhaseFigure[] = [
  { phase: 'promote', startAt: 1_000, endAt: 20_000, durationMs: 19_000 },
  { phase: 'traffic', startAt: 21_000, endAt: 34_000, durationMs: 13_000 },
  { phase: 'app', startAt: 34_000, endAt: 35_000, durationMs: 1_000 },
  { phase: 'decide', startAt: 0, endAt: 1_000, durationMs: 1_000 },
];

test('event errors are reported − true for the events both have', () => {
  expect(eventErrors(timeline, truth)).toEqual({
    'promotion-started': -10,
    'promotion-finished': 0,
    'traffic-shift-started': 0,
    'traffic-converged': 1_500,
    'app-healthy': 0,
  });
});

test('phase errors: duration − true duration, for the phases the truth can time', () => {
  expect(phaseErrors(phases, truth)).toEqual({ promote: 10, traffic: 1_500, app: -1_500 });
});

test('a window holds its truth only inside (notBefore, at]', () => {
  expect(eventWindows(timeline, truth)).toEqual({ 'traffic-converged': { holds: true, widthMs: 2_000 } });
  expect(eventWindows(timeline, { ...truth, 'traffic-converged': 31_000 })).toEqual({
    'traffic-converged': { holds: false, widthMs: 2_000 },
  });
});

test('the phase table counts errors within 1 s and windows that hold, per mode', () => {
  const run = (over: Partial<AccuracyRun>): AccuracyRun => ({
    mode: 'failover',
    rtoErrorMs: 0,
    rtoStartErrorMs: 0,
    rtoEndErrorMs: 0,
    promoteEndErrorMs: 0,
    promoteEndSource: 'rds-event',
    lostMeasured: 0,
    lostInFlight: 0,
    lostTrue: 0,
    rpoErrorMs: 0,
    gapNamed: false,
    load1: 1,
    ...over,
  });
  const table = formatPhaseTable([
    run({ phaseErrorsMs: { traffic: 1_500 }, eventWindows: { 'traffic-converged': { holds: true, widthMs: 2_000 } } }),
    run({ phaseErrorsMs: { traffic: -200 }, eventWindows: { 'traffic-converged': { holds: true, widthMs: 1_000 } } }),
  ]);
  expect(table).toMatch(/^failover: .*phase traffic 850\/1500\/1500 ms \(1\/2 ≤ 1 s\)/);
  expect(table).toMatch(/traffic-converged window holds the truth 2\/2 \(width median 1500 ms\)/);
  expect(table).toMatch(/RTO carries no observation window in any run/);
});
