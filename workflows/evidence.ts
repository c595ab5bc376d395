/**
 * The evidence of a finished run, recorded from workflow code: typed search attributes
 * (`GamedayService`, `GamedayScenario`, `GamedayTier`, `GamedayVerdict`, and `GamedayRtoSeconds` /
 * `GamedayRpoSeconds` only when measured) so `gameday history` and the Temporal UI can filter and
 * trend runs, plus the `publishRunMetrics` activity (CloudWatch namespace `Gameday`).
 * Deterministic: SDK workflow APIs, pure lib modules and types only.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PublishRunMetricsResult } from '../activities/measurement-activities';
import type { RunReport } from '../lib/measurement-types';
import { SEARCH_KEYS } from '../lib/search-attributes';

/** The search attribute updates of a report; RTO/RPO only when measured. */
export function evidenceSearchAttributes(report: RunReport): SearchAttributeUpdatePair[] {
  const m = report.measurement;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: SEARCH_KEYS.service, value: report.service },
    { key: SEARCH_KEYS.scenario, value: report.scenario },
    { key: SEARCH_KEYS.tier, value: report.tier },
    { key: SEARCH_KEYS.verdict, value: m.verdict },
  ];
  if (m.rto.status === 'measured') pairs.push({ key: SEARCH_KEYS.rtoSeconds, value: m.rto.valueMs / 1000 });
  if (m.rpo.status === 'measured') pairs.push({ key: SEARCH_KEYS.rpoSeconds, value: m.rpo.valueMs / 1000 });
  return pairs;
}

/** Options of `recordEvidence`. */
export interface RecordEvidenceOptions {
  /** Runbook name (its primary region receives the metrics). @default report.details.runbook */
  readonly runbook?: string;
  /** Explicit metrics region (wins over the runbook). */
  readonly region?: string;
  /** Skip the CloudWatch metrics (search attributes only). @default false */
  readonly skipMetrics?: boolean;
}

/**
 * Records the evidence of `report`: upserts the search attributes, then publishes the run
 * metrics once (the activity is guarded against duplicate samples on retry). A metrics failure
 * does not fail the run: the result says why, for the caller to add to the report's notes.
 */
export async function recordEvidence(report: RunReport, opts: RecordEvidenceOptions = {}): Promise<PublishRunMetricsResult> {
  upsertSearchAttributes(evidenceSearchAttributes(report));
  if (opts.skipMetrics) return { published: false, metrics: [], reason: 'metrics skipped by the caller' };
  const runbook = opts.runbook ?? (typeof report.details.runbook === 'string' ? report.details.runbook : undefined);
  const { publishRunMetrics } = proxyActivities<Activities>({
    startToCloseTimeout: '1m',
    heartbeatTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
  });
  try {
    return await publishRunMetrics({
      report,
      ...(runbook !== undefined ? { runbook } : {}),
      ...(opts.region !== undefined ? { region: opts.region } : {}),
    });
  } catch (err) {
    const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return { published: false, metrics: [], reason: `publishing the run metrics failed: ${why}` };
  }
}
