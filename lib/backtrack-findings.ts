/**
 * The Backtrack drill's findings, pure: the timeline of a run and its report. Unit-tested in
 * `test/backtrack-findings.test.ts`; the workflow only collects the facts.
 */
import type { Observed, VerificationResult } from '../contracts/drill';
import type { BacktrackPlan, BacktrackStarted } from '../contracts/backtrack-drill';
import { checkNotes, drillOutcome, type DrillEnd } from './drill-findings';
import type { RunReport, TimelineEvent } from './measurement-types';
import { measure } from './timeline';
import { reportHead } from './report-head';

/** Poll interval of the backtrack wait, clock ms (the measurement's resolution). */
export const BACKTRACK_POLL_MS = 1000;

/** What a Backtrack drill observed (each absent until its step ran). */
export interface BacktrackFacts {
  readonly started?: BacktrackStarted;
  readonly completed?: Observed;
  readonly verification?: VerificationResult;
  /** Undo steps that failed, with why. */
  readonly cleanupErrors: readonly string[];
  /** AWS calls of the run's budget-queue steps (absent: the steps ran on the main queue, not counted). */
  readonly awsCalls?: number;
}

/**
 * The resolution of a run: every 1 s in one polling activity; on a budget queue (adaptive, one
 * call per attempt) the measured width of the restore-available bracket, and the run's AWS calls.
 */
function backtrackResolution(f: BacktrackFacts): { pollIntervalMs: number; awsCalls?: number } {
  if (f.awsCalls === undefined) return { pollIntervalMs: BACKTRACK_POLL_MS };
  const c = f.completed;
  const width = c?.previousReadAt !== undefined ? c.observedAt - c.previousReadAt : undefined;
  return { pollIntervalMs: width ?? BACKTRACK_POLL_MS, awsCalls: f.awsCalls };
}

/** The timeline of a run: restore-started (backtrack accepted) → restore-available → verification-finished. */
export function backtrackTimeline(plan: BacktrackPlan, f: BacktrackFacts): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (f.started)
    events.push({
      name: 'restore-started',
      at: f.started.startedAt,
      source: 'startBacktrack',
      detail: `backtrack ${f.started.backtrackIdentifier}`,
    });
  if (f.completed)
    events.push({
      name: 'restore-available',
      at: f.completed.observedAt,
      notBefore: f.completed.previousReadAt ?? f.started?.startedAt ?? f.completed.observedAt,
      source: 'awaitBacktrackComplete',
      detail: plan.clusterId,
    });
  if (f.verification)
    events.push({
      name: 'verification-finished',
      at: f.verification.verifiedAt,
      source: 'verifyBacktrack',
      detail: f.verification.passed ? 'passed' : 'failed',
    });
  return events;
}

/** The report of a Backtrack drill from its plan, its facts and how it ended. */
export function backtrackReport(plan: BacktrackPlan, f: BacktrackFacts, end: DrillEnd): RunReport {
  const timeline = backtrackTimeline(plan, f);
  const base = measure({
    timeline,
    targets: plan.targets,
    canary: { notMeasured: 'Backtrack drill: the writes after T are the injected corruption and are meant to be undone' },
    resolution: backtrackResolution(f),
    rtoStart: 'restore-started',
    rtoEnd: 'restore-available',
  });
  const failed = end.kind === 'failed' || (f.verification !== undefined && !f.verification.passed);
  const checks = f.verification?.checks ?? [];
  return {
    ...reportHead({ ...plan, scenario: 'backtrack-drill' }),
    ...drillOutcome(end),
    timeline,
    measurement: { ...base, verdict: failed ? 'fail' : base.verdict },
    details: {
      runbook: plan.runbook,
      cluster: plan.clusterId,
      region: plan.target.region,
      backtrackWindowMs: plan.backtrackWindowMs,
      backtrackIdentifier: f.started?.backtrackIdentifier ?? null,
      backtrackTo: f.started?.backtrackTo ?? null,
      checks,
      cleanupErrors: f.cleanupErrors,
    },
    notes: [
      ...checkNotes(checks),
      'RTO here is the time to recover: backtrack request accepted → backtrack completed and cluster available.',
      f.awsCalls === undefined
        ? `Resolution: state polled every ${BACKTRACK_POLL_MS / 1000} s.`
        : `Resolution: state read on the adaptive schedule of a backtrack (every ${BACKTRACK_POLL_MS / 1000} s while due), one AWS call per attempt on the account's budget queue; ${f.awsCalls} AWS calls there.`,
    ],
  };
}
