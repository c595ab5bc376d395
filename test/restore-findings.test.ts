/**
 * The restore verification's and the Backtrack drill's findings (pure): outcomes of each ending,
 * the restore point checked against, the timelines, the restore-point-lag RPO and the reports.
 */
import type { DrillContext, VerificationResult } from '../contracts/drill';
import type { BacktrackPlan } from '../contracts/backtrack-drill';
import type { RestorePlan } from '../contracts/restore-verification';
import { backtrackReport, backtrackTimeline } from '../lib/backtrack-findings';
import { checkNotes, drillOutcome, failedChecks } from '../lib/drill-findings';
import { awaitsRestorable, restorePointOf, restoreReport, restoreRpo, restoreTimeline } from '../lib/restore-findings';
import { targetsFor } from '../lib/tiers';

const MIN = 60_000;
const ctx: DrillContext = {
  workflowId: 'rv-1',
  runId: 'run-1',
  runbook: 'analytics-prod',
  service: 'analytics',
  environment: 'prod',
  tier: 'tier2',
  targets: targetsFor('tier2'),
  awsMode: 'sim',
  target: { region: 'us-east-2', accountId: '444455556666' },
  engine: 'aurora-mysql',
  clusterId: 'analytics-use2',
  clockScale: 1,
  pollIntervalMs: 10_000,
};
const plan: RestorePlan = {
  ...ctx,
  mode: 'pitr-latest',
  tempClusterId: 'gameday-rv-abc',
  tempInstanceId: 'gameday-rv-abc-1',
  instanceClass: 'db.r6g.large',
  tags: {},
  markerRunId: 'restore-rv-1',
  markerCount: 3,
  checks: [],
  waitTimeoutMs: 2 * 3_600_000,
  preparedAt: 0,
};
const markers = { acked: [{ seq: 1, at: 1000 }], writtenAt: 1500 };
const passed: VerificationResult = {
  passed: true,
  checks: [{ name: 'canary markers', status: 'pass', detail: 'ok' }],
  verifiedAt: 30 * MIN,
};
const failed: VerificationResult = {
  passed: false,
  checks: [
    { name: 'canary markers', status: 'fail', detail: 'missing seq 1' },
    { name: 'rows', status: 'pass', detail: '3 ≥ 1' },
    { name: 'fresh', status: 'fail', detail: 'stale' },
  ],
  verifiedAt: 30 * MIN,
};

test('each ending maps to an outcome and a reason; a cancellation is reported aborted', () => {
  expect(drillOutcome({ kind: 'completed' })).toEqual({ outcome: 'completed' });
  expect(drillOutcome({ kind: 'aborted', reason: 'aborted by x: y' })).toEqual({ outcome: 'aborted', outcomeReason: 'aborted by x: y' });
  expect(drillOutcome({ kind: 'cancelled', reason: 'workflow cancelled' })).toEqual({
    outcome: 'aborted',
    outcomeReason: 'workflow cancelled',
  });
  expect(drillOutcome({ kind: 'failed', reason: 'boom' })).toEqual({ outcome: 'failed', outcomeReason: 'boom' });
  expect(drillOutcome({ kind: 'running', step: 'verify' })).toEqual({
    outcome: 'running',
    outcomeReason: 'running (step verify): the report so far',
  });
});

test('failed checks are named with their detail; notes list every check', () => {
  expect(failedChecks(passed)).toBeUndefined();
  expect(failedChecks(failed)).toBe('canary markers: missing seq 1; fresh: stale');
  expect(checkNotes(failed.checks)[1]).toBe('check PASS: rows — 3 ≥ 1');
});

test('restore point: the one read before the restore, else the marker write time in latest mode only', () => {
  expect(restorePointOf(plan, { startedAt: 5 * MIN, restorePoint: 4 * MIN, alreadyExisted: false }, markers)).toBe(4 * MIN);
  expect(restorePointOf(plan, { startedAt: 5 * MIN, alreadyExisted: true }, markers)).toBe(1500);
  expect(restorePointOf({ ...plan, mode: 'snapshot' }, { startedAt: 5 * MIN, alreadyExisted: true }, markers)).toBeUndefined();
  expect(awaitsRestorable(plan, markers)).toBe(true);
  expect(awaitsRestorable(plan, { ...markers, unavailableReason: 'no canary' })).toBe(false);
  expect(awaitsRestorable({ ...plan, mode: 'pitr-time' }, markers)).toBe(false);
});

test('RPO is the restore point lag in latest mode, not measured otherwise', () => {
  const started = { startedAt: 10 * MIN, restorePoint: 5 * MIN, alreadyExisted: false };
  expect(restoreRpo(plan, started)).toMatchObject({ status: 'measured', valueMs: 5 * MIN });
  expect(restoreRpo(plan, { ...started, restorePoint: undefined })).toMatchObject({ status: 'not-measured' });
  expect(restoreRpo({ ...plan, mode: 'snapshot' }, started)).toMatchObject({
    status: 'not-measured',
    reason: expect.stringMatching(/snapshot/),
  });
});

test('the timeline holds only what was observed, in order', () => {
  expect(restoreTimeline(plan, { deletes: [], cleanupErrors: [] })).toEqual([]);
  const facts = {
    started: { startedAt: 1 * MIN, restorePoint: 0, alreadyExisted: false },
    instanceAvailable: { observedAt: 21 * MIN, polls: 3 },
    verification: passed,
    deletes: [],
    cleanupFinishedAt: 40 * MIN,
    cleanupErrors: [],
  };
  expect(restoreTimeline(plan, facts).map((e) => [e.name, e.at])).toEqual([
    ['restore-started', 1 * MIN],
    ['restore-available', 21 * MIN],
    ['verification-finished', 30 * MIN],
    ['cleanup-finished', 40 * MIN],
  ]);
  expect(restoreTimeline({ ...plan, mode: 'snapshot' }, facts)[0]!.source).toBe('startSnapshotRestore');
});

test('a restore report: RTO restore-started → restore-available; a failed verification fails the verdict', () => {
  const facts = {
    started: { startedAt: 1 * MIN, restorePoint: 0, alreadyExisted: false },
    instanceAvailable: { observedAt: 21 * MIN, polls: 3 },
    verification: passed,
    deletes: [{ resource: 'gameday-rv-abc', state: 'deleted' as const, at: 35 * MIN }],
    cleanupErrors: [],
  };
  const ok = restoreReport(plan, facts, { kind: 'completed' });
  expect(ok).toMatchObject({ workflowId: 'rv-1', runId: 'run-1', scenario: 'restore-verification', outcome: 'completed' });
  expect(ok.measurement.rto).toMatchObject({ status: 'measured', valueMs: 20 * MIN });
  expect(ok.notes).toContain('cleanup: gameday-rv-abc deleted');
  const bad = restoreReport(plan, { ...facts, verification: failed }, { kind: 'failed', reason: 'FAILED' });
  expect(bad).toMatchObject({ outcome: 'failed', outcomeReason: 'FAILED' });
  expect(bad.measurement.verdict).toBe('fail');
  const early = restoreReport(plan, { deletes: [], cleanupErrors: [] }, { kind: 'aborted', reason: 'aborted: x' });
  expect(early.measurement.rto.status).toBe('not-measured');
  expect(early.details).toMatchObject({ restorePoint: null, checks: [] });
});

test('a Backtrack report: RTO backtrack accepted → completed; failed checks fail the verdict', () => {
  const bt: BacktrackPlan = {
    ...ctx,
    canary: { engine: 'mysql', endpoint: 'e', database: 'd', secretArn: 's', region: 'us-east-2', table: 't' },
    markerRunId: 'backtrack-1',
    backtrackWindowMs: 86_400_000,
    waitTimeoutMs: 3_600_000,
  };
  const facts = {
    started: { backtrackIdentifier: 'b-1', startedAt: 10_000, backtrackTo: 9_000, alreadyExisted: false },
    completed: { observedAt: 25_000, polls: 15 },
    verification: passed,
    cleanupErrors: [],
  };
  expect(backtrackTimeline(bt, facts).map((e) => e.name)).toEqual(['restore-started', 'restore-available', 'verification-finished']);
  const ok = backtrackReport(bt, facts, { kind: 'completed' });
  expect(ok.measurement.rto).toMatchObject({ status: 'measured', valueMs: 15_000 });
  expect(ok.details).toMatchObject({ backtrackIdentifier: 'b-1', backtrackTo: 9_000 });
  expect(backtrackReport(bt, { ...facts, verification: failed }, { kind: 'failed', reason: 'x' }).measurement.verdict).toBe('fail');
});
