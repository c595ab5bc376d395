/**
 * The AZ-loss findings (pure): which components are watched and why the others are not, how the
 * wait after the fault ends the run, how an ending reads in the report, and the report itself —
 * the service verdict is RTO and RPO; a component's figure has its own verdict outside it.
 */
import { planAzLoss } from '../activities/az-loss/prepare-az-loss';
import type { AzLossPlan, ComponentWatchResult, ExperimentEnd, StartedExperiment, SteadyState } from '../contracts/az-loss';
import {
  azLossReport,
  faultEvent,
  canarySkipReason,
  planWatches,
  recoveryEnding,
  reportEnding,
  steadyStateFailure,
  type AzLossObserved,
} from '../lib/az-loss-findings';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';

const plan: AzLossPlan = planAzLoss({ runbook: 'payments-prod', az: 'us-east-1a' }, DEFAULT_RUNBOOK_DIR, 'sim');
const ALL = ['aurora:payments-use1', 'elasticache:payments-sessions', 'ec2:payments-api'];
const steady = (inAz: string[], ok = true): SteadyState => ({
  ok,
  checks: [{ name: 'aurora:payments-use1: status', ok, expected: 'available', found: ok ? 'available' : 'modifying' }],
  inAz,
  at: 1000,
});
const exp: StartedExperiment = { experimentId: 'EXP1', status: 'running', startedAt: 10_000, actionStarts: {} };
const watch = (component: string, recoveredAt?: number): ComponentWatchResult => ({
  component,
  polls: 5,
  firstReadAt: 9_000,
  baseline: 'before',
  last: 'after',
  attempts: 1,
  ...(recoveredAt !== undefined ? { recoveredWindow: { previousReadAt: recoveredAt - 1000, observedAt: recoveredAt } } : {}),
});
const end = (over: Partial<ExperimentEnd>): ExperimentEnd => ({
  experimentId: 'EXP1',
  status: 'stopped',
  endedAt: 20_000,
  firedAlarms: [],
  haltedByStopCondition: false,
  actionStarts: {},
  ...over,
});

describe('planWatches', () => {
  it('watches what is in the AZ and impaired; the service watch covers the data path, not instance capacity', () => {
    const w = planWatches(plan, steady(ALL));
    expect(w.watched.map((c) => c.id)).toEqual(ALL);
    expect(w.dataPath.map((c) => c.id)).toEqual(['aurora:payments-use1', 'elasticache:payments-sessions']);
    expect(w.specs.map((s) => (s.kind === 'component' ? s.component.id : 'service'))).toEqual([...ALL, 'service']);
    expect(w.notes).toEqual([]);
  });

  it('says why a component outside the AZ is not watched', () => {
    const w = planWatches(plan, steady(['ec2:payments-api']));
    expect(w.watched.map((c) => c.id)).toEqual(['ec2:payments-api']);
    expect(w.specs).toHaveLength(1); // no data path: no service watch
    expect(w.notes).toEqual([
      'aurora:payments-use1: not impaired, its writer/primary was outside us-east-1a before the fault',
      'elasticache:payments-sessions: not impaired, its writer/primary was outside us-east-1a before the fault',
    ]);
  });
});

describe('endings', () => {
  it('steady state not met names the failed checks', () => {
    expect(steadyStateFailure(steady(ALL))).toBeUndefined();
    expect(steadyStateFailure(steady(ALL, false))).toBe(
      'steady state not met, no fault injected: aurora:payments-use1: status: expected available, found modifying',
    );
  });

  it('a stop condition halts; a stop without one halts; a failed experiment fails; a missing recovery fails', () => {
    expect(recoveryEnding({ kind: 'ended', end: end({ haltedByStopCondition: true, firedAlarms: ['errs'] }) }, plan)).toEqual({
      outcome: 'halted',
      reason: 'stop condition fired: errs',
    });
    expect(recoveryEnding({ kind: 'ended', end: end({}) }, plan)).toMatchObject({ outcome: 'halted' });
    expect(recoveryEnding({ kind: 'ended', end: end({ status: 'failed', reason: 'boom' }) }, plan)).toEqual({
      failure: 'FIS experiment ended failed before recovery was verified: boom',
      type: 'FisExperimentFailed',
    });
    const r = { kind: 'recovered' as const, watches: [watch('aurora:payments-use1', 40_000), watch('ec2:payments-api')], actionStarts: {} };
    expect(recoveryEnding(r, plan)).toEqual({
      failure: 'did not recover within the recovery timeout (900 s): ec2:payments-api',
      type: 'NotRecovered',
    });
    expect(recoveryEnding({ ...r, watches: [watch('aurora:payments-use1', 40_000)] }, plan)).toEqual({ outcome: 'completed' });
  });

  it('a failed undo fails the report first (the stop failure named); a cancellation reads as an abort', () => {
    const done = { kind: 'completed' as const, value: { outcome: 'completed' as const } };
    expect(reportEnding(done, [])).toEqual({ outcome: 'completed' });
    expect(reportEnding(done, ['stop experiment: x'], 'FIS experiment EXP1 could not be stopped')).toEqual({
      outcome: 'failed',
      reason: 'FIS experiment EXP1 could not be stopped',
    });
    expect(reportEnding({ kind: 'cancelled', reason: 'workflow cancelled' }, [])).toEqual({
      outcome: 'aborted',
      reason: 'workflow cancelled',
    });
    expect(reportEnding({ kind: 'failed', reason: 'no' }, [])).toEqual({ outcome: 'failed', reason: 'no' });
  });

  it('the canary needs a canary section and a runbook loaded by name', () => {
    expect(canarySkipReason(plan)).toBeUndefined();
    expect(canarySkipReason({ ...plan, runbookByName: false })).toMatch(/loads the runbook by name/);
  });
});

describe('azLossReport', () => {
  const ids = { workflowId: 'az-1', runId: 'r-1' };

  it('has no report before the plan', () => {
    expect(azLossReport(ids, {}, { outcome: 'failed', reason: 'bad input' })).toBeUndefined();
  });

  it('the service verdict is RTO and RPO; the group capacity restore fails its own figure only', () => {
    const o: AzLossObserved = {
      plan,
      steady: steady(ALL),
      baselines: [{ watch: 'aurora:payments-use1', at: 9_000, seen: 'writer in us-east-1a', ok: false }],
      experiment: exp,
      recovery: {
        kind: 'recovered',
        watches: [
          watch('aurora:payments-use1', 40_000),
          watch('elasticache:payments-sessions', 45_000),
          watch('ec2:payments-api', 200_000),
        ],
        service: {
          polls: 9,
          firstReadAt: 9_000,
          baseline: 'b',
          last: 'ok',
          attempts: 1,
          recoveredWindow: { previousReadAt: 49_000, observedAt: 50_000 },
        },
        actionStarts: {},
      },
      canary: {
        writer: { runId: 'az-1', ratePerSecond: 10, acked: [{ seq: 1, at: 5_000 }], failedAttempts: 0 },
        reader: { presentSeqs: [1], readAt: 60_000 },
      },
      stopped: { status: 'stopped', stoppedByUs: true, endedAt: 60_000 },
    };
    const r = azLossReport(ids, o, { outcome: 'completed' })!;
    expect(r.measurement.rto).toMatchObject({ status: 'measured', valueMs: 40_000, verdict: 'pass' });
    expect(r.measurement.rpo).toMatchObject({ status: 'measured', valueMs: 0, verdict: 'pass' });
    const ec2 = r.measurement.components.find((c) => c.component === 'ec2:payments-api')!;
    expect(ec2).toMatchObject({
      label: 'capacity restored, not service downtime',
      rto: { status: 'measured', valueMs: 190_000, verdict: 'fail' },
    });
    expect(r.measurement.verdict).toBe('pass');
    expect(r.details).toMatchObject({
      experimentId: 'EXP1',
      experimentState: 'stopped',
      watchesArmed: { 'aurora:payments-use1': { at: 9_000 } },
    });
    expect(r.timeline.map((e) => e.name)).toEqual([
      'fault-injected',
      'component-impaired',
      'component-impaired',
      'component-impaired',
      'component-recovered',
      'component-recovered',
      'app-healthy',
      'component-recovered',
    ]);
    expect(r.notes.join('\n')).toMatch(/widest window 1000 ms at a poll interval of 1000 ms/);
  });

  it('an aborted run before the fault: no fault-injected event, RTO and RPO not measured, the abort reason kept', () => {
    const r = azLossReport(ids, { plan, steady: steady(ALL) }, { outcome: 'aborted', reason: 'aborted by jest: stop' })!;
    expect(r).toMatchObject({ outcome: 'aborted', outcomeReason: 'aborted by jest: stop', timeline: [] });
    expect(r.measurement.rto.status).toBe('not-measured');
    expect(r.measurement.rpo).toMatchObject({ status: 'not-measured', reason: 'no fault was injected' });
    expect(r.measurement.verdict).toBe('not-measured');
  });

  it('a watch already recovered at its baseline is noted as not measured', () => {
    const o: AzLossObserved = { plan, steady: steady(ALL), baselines: [{ watch: 'service', at: 1, seen: 'all fine', ok: true }] };
    expect(azLossReport(ids, o, { outcome: 'aborted', reason: 'x' })!.notes).toContain(
      'service: not measured: already serving outside us-east-1a at the baseline read before the fault (all fine)',
    );
  });
});

describe('faultEvent (issue 15 item 4)', () => {
  const plan = { az: 'us-east-1a', template: { name: 'az-power' } } as unknown as Parameters<typeof faultEvent>[0];
  it('the fault starts at the first FIS action’s own startTime, not the experiment’s', () => {
    const e = faultEvent(plan, exp, { 'Stop-Instances': 14_000, 'Failover-RDS': 12_500 });
    expect(e).toMatchObject({ name: 'fault-injected', at: 12_500, source: 'getFisExperiment' });
    expect(e.detail).toMatch(/first action Failover-RDS started 2500 ms after the experiment/);
  });
  it('without action start times (or only bogus ones before the experiment) it is the experiment’s startTime', () => {
    expect(faultEvent(plan, exp, {})).toMatchObject({ at: 10_000, source: 'startFisExperiment' });
    expect(faultEvent(plan, exp, { early: 9_000 })).toMatchObject({ at: 10_000 });
  });
});
