/**
 * The one report and evidence path of every playbook that measures: the verdict a run is filed
 * under, the search attributes on every run (completed, failed, aborted or rejected alike, so
 * `GamedayService = "payments"` finds every attempt), and the run metrics published once for a
 * run that measured something. Deterministic.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { EvidenceActivities } from '../../activities/evidence';
import type { RunReport } from '../../lib/measurement-types';
import { boundText, MAX_FAILURE_MESSAGE } from '../../lib/failure-bounds';
import { SEARCH_KEYS } from '../../lib/search-attributes';
import { failureMessage } from './failure';
import { awsCallsFields } from '../../lib/aws-call-count';
import { awsCallTally } from './aws-call-tally';

/** What a run is filed under: the measured verdict of a finished run, else how it ended. */
export function verdictOf(report: RunReport): string {
  switch (report.outcome) {
    case 'failed':
      // A measured failure (e.g. a restore whose data check failed) is a finding, not an error.
      return report.measurement.verdict === 'fail' ? 'fail' : 'error';
    case 'aborted':
    case 'rejected':
      return report.outcome;
    default:
      return report.measurement.verdict;
  }
}

/** The search attribute updates of a report; RTO/RPO only when measured. */
export function evidenceSearchAttributes(report: RunReport): SearchAttributeUpdatePair[] {
  const m = report.measurement;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: SEARCH_KEYS.service, value: report.service },
    { key: SEARCH_KEYS.scenario, value: report.scenario },
    { key: SEARCH_KEYS.tier, value: report.tier },
    { key: SEARCH_KEYS.verdict, value: verdictOf(report) },
  ];
  if (m.rto.status === 'measured') pairs.push({ key: SEARCH_KEYS.rtoSeconds, value: m.rto.valueMs / 1000 });
  if (m.rpo.status === 'measured') pairs.push({ key: SEARCH_KEYS.rpoSeconds, value: m.rpo.valueMs / 1000 });
  return pairs;
}

/** Most notes a report keeps; each note and the outcome reason are cut to `MAX_FAILURE_MESSAGE` (lib/failure-bounds). */
const MAX_NOTES = 100;

/** `report` with its free text bounded, so a result never nears gRPC's 4 MB whatever a failure quoted. */
function boundReport(report: RunReport): RunReport {
  return {
    ...report,
    ...(report.outcomeReason !== undefined ? { outcomeReason: boundText(report.outcomeReason, MAX_FAILURE_MESSAGE) } : {}),
    notes: report.notes.slice(0, MAX_NOTES).map((n) => boundText(n, MAX_FAILURE_MESSAGE)),
  };
}

/** Options of `finishRun`. */
export interface FinishRunOptions {
  /** Runbook name (its primary region receives the metrics). */
  readonly runbook?: string;
  /** Metrics region (wins over the runbook's), e.g. the promoted region. */
  readonly region?: string;
}

const evidence = proxyActivities<EvidenceActivities>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
});

/**
 * Files `report`: search attributes always; the run metrics when the run completed, halted or
 * failed with something measured (aborted and rejected runs measured nothing). A metrics failure does not fail the run; the returned report says why.
 */
export async function finishRun(unbounded: RunReport, opts: FinishRunOptions = {}): Promise<RunReport> {
  const report = boundReport(unbounded);
  upsertSearchAttributes(evidenceSearchAttributes(report));
  if (!['completed', 'halted', 'failed'].includes(report.outcome)) return withAwsCalls(report);
  try {
    const r = await evidence.publishRunMetrics({
      report,
      ...(opts.runbook !== undefined ? { runbook: opts.runbook } : {}),
      ...(opts.region !== undefined ? { region: opts.region } : {}),
    });
    return withAwsCalls(
      r.published || r.reason === 'nothing measured to publish'
        ? report
        : { ...report, notes: [...report.notes, `run metrics not published: ${r.reason ?? 'unknown reason'}`] },
    );
  } catch (err) {
    return withAwsCalls({ ...report, notes: [...report.notes, `run metrics not published: ${failureMessage(err)}`] });
  }
}

/**
 * `report` with the run's AWS calls in its resolution, the metrics publication included
 * (`aws-call-tally.ts`); unchanged when the run counted nothing (a history from before counting).
 */
export function withAwsCalls(report: RunReport): RunReport {
  const fields = awsCallsFields(awsCallTally());
  if (fields.awsCalls === undefined) return report;
  const m = report.measurement;
  return { ...report, measurement: { ...m, resolution: { ...m.resolution, ...fields } } };
}
