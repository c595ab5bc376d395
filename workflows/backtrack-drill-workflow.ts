/**
 * `backtrackDrillWorkflow`: rehearses recovery from logical corruption with Aurora Backtrack.
 * Writes a marker row, takes T, writes a "corruption" sentinel, backtracks the cluster to T, waits
 * until the backtrack completes, and checks the sentinel is gone and the marker is present; the
 * time to recover (backtrack requested → completed) is measured against the tier RTO.
 *
 * Only for Aurora MySQL clusters with a backtrack window that are not global-database members:
 * anything else is refused with the reason before any mutation. Backtrack rewinds the WHOLE
 * cluster: every write after T (the few seconds of the drill) is undone, by design.
 * The drill's rows are removed afterwards in a non-cancellable scope.
 */
import { ApplicationFailure, CancellationScope, isCancellation, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RestoreActivities } from '../activities/restore-activities';
import type { BacktrackDrillInput, BacktrackPlan, BacktrackStarted, VerificationResult } from '../activities/restore/types';
import type { RunReport, TimelineEvent } from '../lib/measurement-types';
import { measure } from '../lib/timeline';
import { drillActivities, failureMessage, failureType } from './drill-common';
import { recordEvidence } from './evidence';
import { reportQuery, statusQuery, type RunStatus } from './messages';

const prepare = proxyActivities<RestoreActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '20 seconds' },
});

/** Runs one Backtrack drill (see the module doc). Returns the run's report. */
export async function backtrackDrillWorkflow(input: BacktrackDrillInput): Promise<RunReport> {
  let status: RunStatus = { workflow: 'backtrackDrillWorkflow', runbook: input?.runbook, phase: 'validating' };
  const data: Record<string, unknown> = {};
  const setPhase = (phase: string, detail?: string): void => {
    status = { ...status, phase, detail, data: { ...data } };
  };
  setHandler(statusQuery, () => status);
  /** The report once built; `reportQuery` answers it (undefined while the run is going). */
  const final: { report?: RunReport } = {};
  setHandler(reportQuery, () => final.report);

  const plan = await prepare.prepareBacktrackDrill(input);
  Object.assign(data, { cluster: plan.clusterId, region: plan.target.region, markerRunId: plan.markerRunId });
  status = { ...status, runbook: plan.runbook };
  const acts = drillActivities({ pollIntervalMs: 1000, clockScale: plan.clockScale, waitTimeoutMs: plan.waitTimeoutMs });
  const timeline: TimelineEvent[] = [];
  let started: BacktrackStarted | undefined;
  let verification: VerificationResult | undefined;
  let failure: unknown;

  try {
    setPhase('writing-marker', `marker row on ${plan.clusterId}`);
    const point = await acts.mutate.writeBacktrackMarker(plan);
    data.backtrackTo = point.backtrackTo;
    setPhase('writing-sentinel', 'the "corruption" written after T');
    await acts.mutate.writeCorruptionSentinel(plan, point);
    setPhase('backtracking', `${plan.clusterId} to ${point.backtrackTo}`);
    started = await acts.mutate.startBacktrack(plan, point);
    data.backtrackIdentifier = started.backtrackIdentifier;
    timeline.push({
      name: 'restore-started',
      at: started.startedAt,
      source: 'startBacktrack',
      detail: `backtrack ${started.backtrackIdentifier}`,
    });
    const done = await acts.observe.awaitBacktrackComplete(plan, started);
    timeline.push({ name: 'restore-available', at: done.observedAt, source: 'awaitBacktrackComplete', detail: plan.clusterId });
    setPhase('verifying', 'sentinel gone, marker present');
    verification = await acts.mutate.verifyBacktrack(plan);
    timeline.push({
      name: 'verification-finished',
      at: verification.verifiedAt,
      source: 'verifyBacktrack',
      detail: verification.passed ? 'passed' : 'failed',
    });
  } catch (err) {
    failure = err;
  }

  const cleanupErrors: string[] = [];
  await CancellationScope.nonCancellable(async () => {
    setPhase('cleanup', 'removing the drill rows');
    try {
      await acts.cleanup.deleteBacktrackRows(plan);
    } catch (err) {
      cleanupErrors.push(`delete drill rows: ${failureMessage(err)}`);
    }
  });
  setPhase('done');
  if (failure !== undefined && isCancellation(failure)) throw failure;

  const built = buildReport(plan, timeline, started, verification, failure, cleanupErrors);
  const evidence = await CancellationScope.nonCancellable(() =>
    recordEvidence(built, { runbook: plan.runbook, region: plan.target.region }),
  );
  const report: RunReport = evidence.published
    ? built
    : { ...built, notes: [...built.notes, `run metrics not published: ${evidence.reason ?? 'unknown reason'}`] };
  final.report = report;
  if (failure !== undefined) {
    throw ApplicationFailure.create({
      type: failureType(failure) ?? 'BacktrackDrillFailed',
      nonRetryable: true,
      message: `Backtrack drill of ${plan.runbook} failed: ${failureMessage(failure)}`,
      details: [report],
    });
  }
  if (!verification!.passed) {
    const failed = verification!.checks.filter((c) => c.status === 'fail');
    throw ApplicationFailure.create({
      type: 'BacktrackVerificationFailed',
      nonRetryable: true,
      message: `Backtrack drill of ${plan.runbook} FAILED: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
      details: [report],
    });
  }
  if (cleanupErrors.length > 0) {
    throw ApplicationFailure.create({
      type: 'BacktrackCleanupFailed',
      nonRetryable: true,
      message: cleanupErrors.join('; '),
      details: [report],
    });
  }
  return report;
}

function buildReport(
  plan: BacktrackPlan,
  timeline: TimelineEvent[],
  started: BacktrackStarted | undefined,
  verification: VerificationResult | undefined,
  failure: unknown,
  cleanupErrors: string[],
): RunReport {
  const base = measure({
    timeline,
    targets: plan.targets,
    canary: { notMeasured: 'Backtrack drill: the writes after T are the injected corruption and are meant to be undone' },
    resolution: { pollIntervalMs: 1000 },
    rtoStart: 'restore-started',
    rtoEnd: 'restore-available',
  });
  const info = workflowInfo();
  const failed = failure !== undefined || (verification !== undefined && !verification.passed);
  return {
    schemaVersion: 1,
    workflowId: info.workflowId,
    runId: info.runId,
    scenario: 'backtrack-drill',
    service: plan.service,
    environment: plan.environment,
    tier: plan.tier,
    awsMode: plan.awsMode,
    outcome: failed ? 'failed' : 'completed',
    ...(failure !== undefined ? { outcomeReason: failureMessage(failure) } : failed ? { outcomeReason: 'verification failed' } : {}),
    timeline,
    measurement: { ...base, verdict: failed ? 'fail' : base.verdict },
    details: {
      runbook: plan.runbook,
      cluster: plan.clusterId,
      region: plan.target.region,
      backtrackWindowMs: plan.backtrackWindowMs,
      backtrackIdentifier: started?.backtrackIdentifier ?? null,
      backtrackTo: started?.backtrackTo ?? null,
      checks: verification?.checks ?? [],
      cleanupErrors,
    },
    notes: [
      ...(verification?.checks ?? []).map((c) => `check ${c.status.toUpperCase()}: ${c.name} — ${c.detail}`),
      'RTO here is the time to recover: backtrack request accepted → backtrack completed and cluster available.',
      'Resolution: state polled every 1 s.',
    ],
  };
}
