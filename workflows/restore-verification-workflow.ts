/**
 * `restoreVerificationWorkflow`: proves a backup restores, and how fast. Point-in-time restore (to a
 * chosen time or the latest restorable time) or snapshot restore into a temporary, gameday-tagged
 * cluster in the runbook's isolated subnet group; one instance; wait until available; verify the
 * data (marker rows written to the source just before, the runbook's SQL checks); measure the
 * restore against the tier RTO; and ALWAYS delete the instance and the cluster, in a
 * non-cancellable scope with retries until they are gone — on success, on a failed verification,
 * on cancellation, and after a worker crash (the workflow resumes on another worker and the same
 * deterministic identifiers lead cleanup to the same resources).
 *
 * Input (also from the Temporal UI): `{"runbook":"analytics-prod"}`, optionally `"to"` (ISO 8601
 * or epoch ms) or `"snapshotId"`; validated in the first activity with field-named errors.
 */
import { ApplicationFailure, CancellationScope, isCancellation, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RestoreActivities } from '../activities/restore-activities';
import type {
  CheckResult,
  DeleteOutcome,
  MarkerWrite,
  RestorePlan,
  RestoreStarted,
  RestoreVerificationInput,
  TempResourceRef,
  VerificationResult,
} from '../activities/restore/types';
import type { Figure, RunReport, TimelineEvent } from '../lib/measurement-types';
import { judge, measure, notMeasured, overallVerdict } from '../lib/timeline';
import { drillActivities, failureMessage, failureType } from './drill-common';
import { recordEvidence } from './evidence';
import { reportQuery, statusQuery, type RunStatus } from './messages';

const prepare = proxyActivities<RestoreActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '20 seconds' },
});

/** Result of the non-cancellable cleanup. */
interface CleanupResult {
  readonly outcomes: DeleteOutcome[];
  readonly errors: string[];
  readonly finishedAt?: number;
}

/**
 * Deletes every instance of the temporary cluster, then the cluster, waits until it is gone and
 * removes the marker rows from the source. Each step is attempted even if an earlier one failed.
 */
async function cleanupRestore(
  plan: RestorePlan,
  acts: ReturnType<typeof drillActivities>,
  onPhase: (p: string) => void,
): Promise<CleanupResult> {
  const ref: TempResourceRef = {
    target: plan.target,
    clusterId: plan.tempClusterId,
    instanceIds: [plan.tempInstanceId],
    ownerWorkflowId: plan.workflowId,
  };
  const outcomes: DeleteOutcome[] = [];
  const errors: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      errors.push(`${what}: ${failureMessage(err)}`);
      return undefined;
    }
  };
  onPhase('cleanup: deleting instances');
  const instanceIds = (await attempt('list instances', () => acts.cleanup.listTempInstances(ref))) ?? ref.instanceIds;
  for (const id of instanceIds) {
    const o = await attempt(`delete instance ${id}`, () => acts.cleanup.deleteTempInstance(ref, id));
    if (o) outcomes.push(o);
  }
  onPhase('cleanup: deleting cluster');
  const c = await attempt(`delete cluster ${plan.tempClusterId}`, () => acts.cleanup.deleteTempCluster(ref));
  if (c) outcomes.push(c);
  let finishedAt: number | undefined;
  if (c) {
    onPhase('cleanup: awaiting deletion');
    const gone = await attempt(`await ${plan.tempClusterId} deleted`, () =>
      acts.cleanupWait.awaitTempClusterGone(ref, plan.pollIntervalMs, plan.waitTimeoutMs),
    );
    finishedAt = gone?.observedAt;
  }
  await attempt('delete marker rows from the source', () => acts.cleanup.deleteRestoreMarkers(plan));
  return { outcomes, errors, ...(finishedAt !== undefined ? { finishedAt } : {}) };
}

/** RPO figure of a restore: how far behind "now" the restorable data was (latest mode only). */
function restoreRpo(plan: RestorePlan, started: RestoreStarted | undefined): Figure {
  if (plan.mode !== 'pitr-latest')
    return notMeasured(
      `restore to a ${plan.mode === 'snapshot' ? 'snapshot' : 'chosen time'}: the data-loss window of a recovery is not what this run restores`,
      plan.targets.rpoMs,
    );
  if (!started?.restorePoint) return notMeasured('the latest restorable time was not read before the restore', plan.targets.rpoMs);
  return judge(Math.max(0, started.startedAt - started.restorePoint), plan.targets.rpoMs);
}

/** Runs one restore verification (see the module doc). Returns the run's report. */
export async function restoreVerificationWorkflow(input: RestoreVerificationInput): Promise<RunReport> {
  let status: RunStatus = { workflow: 'restoreVerificationWorkflow', runbook: input?.runbook, phase: 'validating' };
  const data: Record<string, unknown> = {};
  const setPhase = (phase: string, detail?: string): void => {
    status = { ...status, phase, ...(detail !== undefined ? { detail } : { detail: undefined }), data: { ...data } };
  };
  setHandler(statusQuery, () => status);
  /** The report once built; `reportQuery` answers it (undefined while the run is going). */
  const final: { report?: RunReport } = {};
  setHandler(reportQuery, () => final.report);

  const plan = await prepare.prepareRestoreVerification(input);
  Object.assign(data, {
    tempClusterId: plan.tempClusterId,
    tempInstanceId: plan.tempInstanceId,
    markerRunId: plan.markerRunId,
    mode: plan.mode,
    region: plan.target.region,
  });
  status = { ...status, runbook: plan.runbook };
  const acts = drillActivities(plan);
  const timeline: TimelineEvent[] = [];
  let markers: MarkerWrite | undefined;
  let started: RestoreStarted | undefined;
  let verification: VerificationResult | undefined;
  let failure: unknown;

  try {
    setPhase('writing-markers', `marker rows on ${plan.clusterId}`);
    markers = await acts.mutate.writeRestoreMarkers(plan);
    if (plan.mode === 'pitr-latest' && !markers.unavailableReason) {
      setPhase('awaiting-restorable', 'latest restorable time to pass the marker rows');
      await acts.observe.awaitSourceRestorable(plan, markers.writtenAt);
    }
    setPhase('restoring', `${plan.mode} of ${plan.clusterId} into ${plan.tempClusterId}`);
    started = plan.mode === 'snapshot' ? await acts.mutate.startSnapshotRestore(plan) : await acts.mutate.startPointInTimeRestore(plan);
    timeline.push({
      name: 'restore-started',
      at: started.startedAt,
      source: plan.mode === 'snapshot' ? 'startSnapshotRestore' : 'startPointInTimeRestore',
      detail: plan.tempClusterId,
    });
    if (started.restorePoint !== undefined) data.restorePoint = started.restorePoint;
    const cluster = await acts.observe.awaitRestoredClusterAvailable(plan);
    data.clusterAvailableAt = cluster.observedAt;
    setPhase('creating-instance', plan.tempInstanceId);
    await acts.mutate.createRestoredInstance(plan);
    setPhase('awaiting-instance', plan.tempInstanceId);
    const instance = await acts.observe.awaitRestoredInstanceAvailable(plan);
    timeline.push({
      name: 'restore-available',
      at: instance.observedAt,
      source: 'awaitRestoredInstanceAvailable',
      detail: plan.tempInstanceId,
    });
    setPhase('verifying', 'marker rows and SQL checks on the restored cluster');
    // A retried restore that found its cluster already created did not read the restore point;
    // in latest mode it is still at least the marker write time (awaited before the request).
    const restorePoint =
      started.restorePoint ?? (plan.mode === 'pitr-latest' && !markers.unavailableReason ? markers.writtenAt : undefined);
    verification = await acts.mutate.verifyRestoredData(plan, markers, restorePoint);
    timeline.push({
      name: 'verification-finished',
      at: verification.verifiedAt,
      source: 'verifyRestoredData',
      detail: verification.passed ? 'passed' : 'failed',
    });
  } catch (err) {
    failure = err;
  }

  const cleanup = await CancellationScope.nonCancellable(() => cleanupRestore(plan, acts, (p) => setPhase(p)));
  if (cleanup.finishedAt !== undefined)
    timeline.push({ name: 'cleanup-finished', at: cleanup.finishedAt, source: 'awaitTempClusterGone', detail: plan.tempClusterId });
  setPhase('done');

  if (failure !== undefined && isCancellation(failure)) throw failure;

  const built = buildReport(plan, timeline, started, verification, cleanup, failure);
  // Evidence (search attributes + run metrics) for every finished run, passed or failed.
  const evidence = await CancellationScope.nonCancellable(() =>
    recordEvidence(built, { runbook: plan.runbook, region: plan.target.region }),
  );
  const report: RunReport = evidence.published
    ? built
    : { ...built, notes: [...built.notes, `run metrics not published: ${evidence.reason ?? 'unknown reason'}`] };
  final.report = report;
  if (cleanup.errors.length > 0) {
    throw ApplicationFailure.create({
      type: 'RestoreCleanupFailed',
      nonRetryable: true,
      message: `temporary resources of ${plan.tempClusterId} may remain: ${cleanup.errors.join('; ')}`,
      details: [report],
    });
  }
  if (failure !== undefined) {
    throw ApplicationFailure.create({
      type: failureType(failure) ?? 'RestoreFailed',
      nonRetryable: true,
      message: `restore verification of ${plan.runbook} failed: ${failureMessage(failure)} (temporary resources deleted)`,
      details: [report],
      cause: failure as Error,
    });
  }
  if (!verification!.passed) {
    const failed = verification!.checks.filter((c) => c.status === 'fail');
    throw ApplicationFailure.create({
      type: 'RestoreVerificationFailed',
      nonRetryable: true,
      message: `restore verification of ${plan.runbook} FAILED: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')} (temporary resources deleted)`,
      details: [report],
    });
  }
  return report;
}

function buildReport(
  plan: RestorePlan,
  timeline: TimelineEvent[],
  started: RestoreStarted | undefined,
  verification: VerificationResult | undefined,
  cleanup: CleanupResult,
  failure: unknown,
): RunReport {
  const base = measure({
    timeline,
    targets: plan.targets,
    canary: { notMeasured: 'restore drill: RPO is the restore point lag, computed separately' },
    resolution: { pollIntervalMs: plan.pollIntervalMs },
    rtoStart: 'restore-started',
    rtoEnd: 'restore-available',
  });
  const rpo = restoreRpo(plan, started);
  const measurement = {
    ...base,
    rpo,
    verdict: verification && !verification.passed ? ('fail' as const) : overallVerdict(base.rto, rpo, base.components),
  };
  const checks: readonly CheckResult[] = verification?.checks ?? [];
  const info = workflowInfo();
  return {
    schemaVersion: 1,
    workflowId: info.workflowId,
    runId: info.runId,
    scenario: 'restore-verification',
    service: plan.service,
    environment: plan.environment,
    tier: plan.tier,
    awsMode: plan.awsMode,
    outcome: failure !== undefined || (verification && !verification.passed) ? 'failed' : 'completed',
    ...(failure !== undefined
      ? { outcomeReason: failureMessage(failure) }
      : verification && !verification.passed
        ? { outcomeReason: 'verification failed' }
        : {}),
    timeline,
    measurement,
    details: {
      runbook: plan.runbook,
      mode: plan.mode,
      sourceCluster: plan.clusterId,
      restoredCluster: plan.tempClusterId,
      restoredInstance: plan.tempInstanceId,
      region: plan.target.region,
      subnetGroup: plan.subnetGroup ?? null,
      restorePoint: started?.restorePoint ?? null,
      ...(plan.snapshotId ? { snapshotId: plan.snapshotId } : {}),
      checks,
      cleanup: cleanup.outcomes,
      cleanupErrors: cleanup.errors,
    },
    notes: [
      ...checks.map((c) => `check ${c.status.toUpperCase()}: ${c.name} — ${c.detail}`),
      ...cleanup.outcomes.map((o) => `cleanup: ${o.resource} ${o.state}`),
      'RTO here is the restore duration: restore request accepted → instance available (the restore is usable).',
      `Resolution: state polled every ${plan.pollIntervalMs / 1000} s.`,
      ...(plan.mode === 'pitr-latest'
        ? ['RPO here is the restore point lag: restore request time − latest restorable time (the data a restore from backup would lose).']
        : []),
    ],
  };
}
