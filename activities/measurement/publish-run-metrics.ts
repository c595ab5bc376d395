/**
 * A finished run's evidence published to CloudWatch.
 */
import { Context } from '@temporalio/activity';
import type { RunReport } from '../../lib/measurement-types';
import type { Runbook } from '../../runbooks/schema';
import { withAwsErrors } from '../aws/errors';
import type { MetricDatum } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { loadRunbookOrFail } from './load-runbook-or-fail';
import type { PublishRunMetricsInput, PublishRunMetricsResult } from './inputs';

/** CloudWatch namespace of the evidence metrics. */
export const GAMEDAY_METRIC_NAMESPACE = 'Gameday';

/**
 * Publishes the run's evidence to CloudWatch (namespace `Gameday`, dimensions
 * Service/Scenario/Tier): MeasuredRtoSeconds and MeasuredRpoSeconds (measured figures only)
 * and Verdict (1 pass, 0 fail; not sent when not measured). Timestamped at the run's first
 * event, and guarded by a heartbeat marker so a retried attempt does not add a second sample.
 */
export async function publishRunMetrics(deps: ActivityDeps, input: PublishRunMetricsInput): Promise<PublishRunMetricsResult> {
  const ctx = Context.current();
  const { report } = input;
  const region = input.region ?? (input.runbook ? primaryRegion(loadRunbookOrFail(deps, input.runbook)) : undefined);
  if (!region) return { published: false, metrics: [], reason: 'no region: pass the runbook or a region' };
  const previous = ctx.info.heartbeatDetails as { published?: boolean; metrics?: string[] } | undefined;
  if (previous?.published) return { published: true, alreadyPublished: true, region, metrics: previous.metrics ?? [] };
  const data = runMetricData(report);
  if (data.length === 0) return { published: false, region, metrics: [], reason: 'nothing measured to publish' };
  const cw = deps.aws.cloudwatch({ region });
  await withAwsErrors(() => cw.putMetricData(GAMEDAY_METRIC_NAMESPACE, data), `cloudwatch.putMetricData(${GAMEDAY_METRIC_NAMESPACE})`);
  const metrics = data.map((d) => d.metricName);
  ctx.heartbeat({ published: true, metrics });
  return { published: true, region, metrics };
}

function primaryRegion(rb: Runbook): string {
  return rb.aurora?.primaryRegion ?? rb.blastRadius.regions[0]!;
}

/** The CloudWatch datums of a report (measured figures only). */
export function runMetricData(report: RunReport): MetricDatum[] {
  const dimensions = { Service: report.service, Scenario: report.scenario, Tier: report.tier };
  const timestamp = report.timeline.length > 0 ? Math.min(...report.timeline.map((e) => e.at)) : undefined;
  const base = { dimensions, ...(timestamp !== undefined ? { timestamp } : {}) };
  const out: MetricDatum[] = [];
  const m = report.measurement;
  if (m.rto.status === 'measured') out.push({ ...base, metricName: 'MeasuredRtoSeconds', value: m.rto.valueMs / 1000, unit: 'Seconds' });
  if (m.rpo.status === 'measured') out.push({ ...base, metricName: 'MeasuredRpoSeconds', value: m.rpo.valueMs / 1000, unit: 'Seconds' });
  if (m.verdict !== 'not-measured') out.push({ ...base, metricName: 'Verdict', value: m.verdict === 'pass' ? 1 : 0, unit: 'None' });
  return out;
}
