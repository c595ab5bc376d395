/**
 * Preflight check of the secondaries' replication lag against the RPO target.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { check, read } from './check-helpers';

/** The AWS CloudWatch metric read as the replication-lag prediction (namespace AWS/RDS). */
export const REPLICATION_LAG_METRIC = 'AuroraGlobalDBReplicationLag';

/** Window of lag datapoints judged against the RPO target, ms. */
const LAG_WINDOW_MS = 5 * 60_000;

/**
 * Replication lag of every secondary of the global cluster, read from CloudWatch
 * (`AWS/RDS` `AuroraGlobalDBReplicationLag`, dimension `DBClusterIdentifier`, in the
 * secondary's region): the maximum over the last 5 minutes must be within the RPO target.
 */
export async function checkReplicationLag(deps: ActivityDeps, input: { runbook: Runbook; rpoMs: number }): Promise<PreflightCheck[]> {
  const { runbook: rb, rpoMs } = input;
  const aurora = rb.aurora;
  if (!aurora?.globalClusterId) return [];
  const checks: PreflightCheck[] = [];
  const now = deps.clock.now();
  for (const m of aurora.members.filter((x) => x.region !== aurora.primaryRegion)) {
    const name = `aurora: replication lag of ${m.clusterId}`;
    const expected = `max ${REPLICATION_LAG_METRIC} over 5 min <= ${rpoMs} ms (${rb.tier} RPO)`;
    const r = await read(() =>
      deps.aws.cloudwatch({ region: m.region, accountId: rb.account }).getMetricData({
        namespace: 'AWS/RDS',
        metricName: REPLICATION_LAG_METRIC,
        dimensions: { DBClusterIdentifier: m.clusterId },
        stat: 'Maximum',
        periodSeconds: 60,
        startTime: now - LAG_WINDOW_MS,
        endTime: now,
      }),
    );
    if (r.missing !== undefined) {
      checks.push(check(name, false, expected, r.missing));
      continue;
    }
    if (r.value.values.length === 0) {
      checks.push(check(name, false, expected, 'no datapoints in the last 5 min (metric missing: lag not measured)'));
      continue;
    }
    const max = Math.max(...r.value.values);
    checks.push(check(name, max <= rpoMs, expected, `max ${Math.round(max)} ms over ${r.value.values.length} datapoints`));
  }
  return checks;
}
