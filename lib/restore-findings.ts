/**
 * The restore verification's findings, pure: the restore point a verification checks against,
 * the timeline of a run, its RPO figure (the restore point lag) and its report. Unit-tested in
 * `test/restore-findings.test.ts`; the workflow only collects the facts.
 */
import type { DeleteOutcome, Observed, VerificationResult } from '../contracts/drill';
import type { MarkerWrite, RestorePlan, RestoreStarted } from '../contracts/restore-verification';
import { checkNotes, drillOutcome, type DrillEnd } from './drill-findings';
import type { Figure, RunReport, TimelineEvent } from './measurement-types';
import { judge, measure, notMeasured, overallVerdict } from './timeline';
import { reportHead } from './report-head';

/** What a restore verification observed, step by step (each absent until its step ran). */
export interface RestoreFacts {
  readonly markers?: MarkerWrite;
  readonly started?: RestoreStarted;
  readonly instanceAvailable?: Observed;
  readonly verification?: VerificationResult;
  /** Outcomes of the deletes of the temporary resources (the undo), first per resource. */
  readonly deletes: readonly DeleteOutcome[];
  /** Clock ms the temporary cluster was seen gone. */
  readonly cleanupFinishedAt?: number;
  /** Undo steps that failed, with why. */
  readonly cleanupErrors: readonly string[];
  /** AWS calls of the run's budget-queue steps (absent: the steps ran on the main queue, not counted). */
  readonly awsCalls?: number;
}

/**
 * The resolution of a run: its AWS calls, and the poll interval, which for waits on a budget queue
 * (adaptive, one read per attempt) is the measured width of the restore-available bracket.
 */
function restoreResolution(plan: RestorePlan, f: RestoreFacts): { pollIntervalMs: number; awsCalls?: number } {
  if (f.awsCalls === undefined) return { pollIntervalMs: plan.pollIntervalMs };
  const a = f.instanceAvailable;
  const width = a?.previousReadAt !== undefined ? a.observedAt - a.previousReadAt : undefined;
  return { pollIntervalMs: width ?? plan.pollIntervalMs, awsCalls: f.awsCalls };
}

/**
 * The restore point to check the restored data against: the one the restore read, else (a retry
 * that found its cluster already created) in latest mode the marker write time, which the source
 * was awaited to pass before the request.
 */
export function restorePointOf(plan: RestorePlan, started: RestoreStarted, markers: MarkerWrite | undefined): number | undefined {
  if (started.restorePoint !== undefined) return started.restorePoint;
  return plan.mode === 'pitr-latest' && markers && !markers.unavailableReason ? markers.writtenAt : undefined;
}

/** True when the latest-restorable-time wait applies (latest mode with marker rows written). */
export function awaitsRestorable(plan: RestorePlan, markers: MarkerWrite): boolean {
  return plan.mode === 'pitr-latest' && !markers.unavailableReason;
}

/** The timeline of a run: restore-started → restore-available → verification-finished → cleanup-finished. */
export function restoreTimeline(plan: RestorePlan, f: RestoreFacts): TimelineEvent[] {
  const source = plan.mode === 'snapshot' ? 'startSnapshotRestore' : 'startPointInTimeRestore';
  return [
    ...(f.started ? [{ name: 'restore-started' as const, at: f.started.startedAt, source, detail: plan.tempClusterId }] : []),
    ...(f.instanceAvailable
      ? [
          {
            name: 'restore-available' as const,
            at: f.instanceAvailable.observedAt,
            notBefore: f.instanceAvailable.previousReadAt ?? f.started?.startedAt ?? f.instanceAvailable.observedAt,
            source: 'awaitRestoredInstanceAvailable',
            detail: plan.tempInstanceId,
          },
        ]
      : []),
    ...(f.verification
      ? [
          {
            name: 'verification-finished' as const,
            at: f.verification.verifiedAt,
            source: 'verifyRestoredData',
            detail: f.verification.passed ? 'passed' : 'failed',
          },
        ]
      : []),
    ...(f.cleanupFinishedAt !== undefined
      ? [{ name: 'cleanup-finished' as const, at: f.cleanupFinishedAt, source: 'awaitTempClusterGone', detail: plan.tempClusterId }]
      : []),
  ];
}

/** RPO figure of a restore: how far behind "now" the restorable data was (latest mode only). */
export function restoreRpo(plan: RestorePlan, started: RestoreStarted | undefined): Figure {
  if (plan.mode !== 'pitr-latest')
    return notMeasured(
      `restore to a ${plan.mode === 'snapshot' ? 'snapshot' : 'chosen time'}: the data-loss window of a recovery is not what this run restores`,
      plan.targets.rpoMs,
    );
  if (!started?.restorePoint) return notMeasured('the latest restorable time was not read before the restore', plan.targets.rpoMs);
  return judge(Math.max(0, started.startedAt - started.restorePoint), plan.targets.rpoMs);
}

/** The report of a restore verification from its plan, its facts and how it ended. */
export function restoreReport(plan: RestorePlan, f: RestoreFacts, end: DrillEnd): RunReport {
  const timeline = restoreTimeline(plan, f);
  const base = measure({
    timeline,
    targets: plan.targets,
    canary: { notMeasured: 'restore drill: RPO is the restore point lag, computed separately' },
    resolution: restoreResolution(plan, f),
    rtoStart: 'restore-started',
    rtoEnd: 'restore-available',
  });
  const rpo = restoreRpo(plan, f.started);
  const failedVerification = f.verification !== undefined && !f.verification.passed;
  const checks = f.verification?.checks ?? [];
  return {
    ...reportHead({ ...plan, scenario: 'restore-verification' }),
    ...drillOutcome(end),
    timeline,
    measurement: { ...base, rpo, verdict: failedVerification ? 'fail' : overallVerdict(base.rto, rpo, base.components) },
    details: {
      runbook: plan.runbook,
      mode: plan.mode,
      sourceCluster: plan.clusterId,
      restoredCluster: plan.tempClusterId,
      restoredInstance: plan.tempInstanceId,
      region: plan.target.region,
      subnetGroup: plan.subnetGroup ?? null,
      restorePoint: f.started?.restorePoint ?? null,
      ...(plan.snapshotId ? { snapshotId: plan.snapshotId } : {}),
      checks,
      cleanup: f.deletes,
      cleanupErrors: f.cleanupErrors,
    },
    notes: [
      ...checkNotes(checks),
      ...f.deletes.map((o) => `cleanup: ${o.resource} ${o.state}`),
      'RTO here is the restore duration: restore request accepted → instance available (the restore is usable).',
      `Resolution: state polled every ${plan.pollIntervalMs / 1000} s.`,
      ...(plan.mode === 'pitr-latest'
        ? ['RPO here is the restore point lag: restore request time − latest restorable time (the data a restore from backup would lose).']
        : []),
    ],
  };
}
