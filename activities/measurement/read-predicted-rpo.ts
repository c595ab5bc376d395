/**
 * The RPO predicted from CloudWatch before a fault.
 */
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { loadRunbookOrFail } from './load-runbook-or-fail';
import type { PredictedRpo } from './inputs';

/**
 * Predicted RPO before the fault: the maximum of `AuroraGlobalDBRPOLag` (or, when absent,
 * `AuroraGlobalDBReplicationLag`) over the last 5 minutes on the secondary cluster, in its
 * region (namespace AWS/RDS, dimension DBClusterIdentifier). Undefined with a reason otherwise.
 */
export async function readPredictedRpo(deps: ActivityDeps, input: { runbook: string }): Promise<PredictedRpo> {
  const rb = loadRunbookOrFail(deps, input.runbook);
  if (!rb.aurora?.globalClusterId)
    return { reason: 'no Aurora global database in the runbook: there is no replication lag to predict from' };
  const secondary = rb.aurora.members.find((m) => m.region !== rb.aurora!.primaryRegion);
  if (!secondary) return { reason: 'the global database has no secondary member in the runbook' };
  const cw = deps.aws.cloudwatch({ region: secondary.region, accountId: rb.account });
  const now = deps.clock.now();
  // EndTime is exclusive: reach a minute ahead so the newest datapoint is included.
  const endTime = now + 60_000;
  for (const metricName of ['AuroraGlobalDBRPOLag', 'AuroraGlobalDBReplicationLag']) {
    const data = await withAwsErrors(
      () =>
        cw.getMetricData({
          namespace: 'AWS/RDS',
          metricName,
          dimensions: { DBClusterIdentifier: secondary.clusterId },
          stat: 'Maximum',
          periodSeconds: 60,
          startTime: now - 5 * 60_000,
          endTime,
        }),
      `cloudwatch.getMetricData(${metricName}, ${secondary.clusterId})`,
    );
    if (data.values.length > 0) {
      return { predictedRpoMs: Math.max(...data.values), metric: metricName, secondaryClusterId: secondary.clusterId };
    }
  }
  return {
    secondaryClusterId: secondary.clusterId,
    reason: `no AuroraGlobalDBRPOLag or AuroraGlobalDBReplicationLag datapoints for ${secondary.clusterId} in ${secondary.region} in the last 5 minutes`,
  };
}
