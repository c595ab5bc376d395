/**
 * The evidence of a finished run, recorded from workflow code: typed search attributes
 * (`GamedayService`, `GamedayScenario`, `GamedayTier`, `GamedayVerdict`, and `GamedayRtoSeconds` /
 * `GamedayRpoSeconds` only when measured) so `gameday history` and the Temporal UI can filter and
 * trend runs, plus the `publishRunMetrics` activity (CloudWatch namespace `Gameday`).
 * Deterministic: SDK workflow APIs, pure lib modules and types only.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PublishRunMetricsResult } from '../activities/measurement-activities';
import type { RunReport } from '../lib/measurement-types';
import { SEARCH_ATTRIBUTES } from '../lib/search-attributes';

/** Typed keys of the project's search attributes (names from `lib/search-attributes.ts`). */
export const EVIDENCE_KEYS = {
  service: defineSearchAttributeKey(SEARCH_ATTRIBUTES.service.name, SearchAttributeType.KEYWORD),
  scenario: defineSearchAttributeKey(SEARCH_ATTRIBUTES.scenario.name, SearchAttributeType.KEYWORD),
  tier: defineSearchAttributeKey(SEARCH_ATTRIBUTES.tier.name, SearchAttributeType.KEYWORD),
  verdict: defineSearchAttributeKey(SEARCH_ATTRIBUTES.verdict.name, SearchAttributeType.KEYWORD),
  rtoSeconds: defineSearchAttributeKey(SEARCH_ATTRIBUTES.rtoSeconds.name, SearchAttributeType.DOUBLE),
  rpoSeconds: defineSearchAttributeKey(SEARCH_ATTRIBUTES.rpoSeconds.name, SearchAttributeType.DOUBLE),
} as const;

/** The search attribute updates of a report; RTO/RPO only when measured. */
export function evidenceSearchAttributes(report: RunReport): SearchAttributeUpdatePair[] {
  const m = report.measurement;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: EVIDENCE_KEYS.service, value: report.service },
    { key: EVIDENCE_KEYS.scenario, value: report.scenario },
    { key: EVIDENCE_KEYS.tier, value: report.tier },
    { key: EVIDENCE_KEYS.verdict, value: m.verdict },
  ];
  if (m.rto.status === 'measured') pairs.push({ key: EVIDENCE_KEYS.rtoSeconds, value: m.rto.valueMs / 1000 });
  if (m.rpo.status === 'measured') pairs.push({ key: EVIDENCE_KEYS.rpoSeconds, value: m.rpo.valueMs / 1000 });
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
    return await publishRunMetrics({ report, ...(runbook !== undefined ? { runbook } : {}), ...(opts.region !== undefined ? { region: opts.region } : {}) });
  } catch (err) {
    const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return { published: false, metrics: [], reason: `publishing the run metrics failed: ${why}` };
  }
}
