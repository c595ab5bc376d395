/**
 * Preflight of a promotion: reads the actual global topology (from the target's region, which is
 * the one expected to be reachable during a region loss), the target cluster's health and its
 * replication lag against the tier RPO. Read-only.
 */
import { ApplicationFailure } from '@temporalio/common';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { REPLICATION_LAG_METRIC } from '../preflight/check-replication-lag';
import { activityHooks, clusterIdOfArn, regionOfArn } from './activity-context';
import type { PromotionPlan, PromotionPreflight } from '../../contracts/promotion';

/** Failure type of a preflight that found the promotion unsafe or impossible (non-retryable). */
export const PROMOTION_PREFLIGHT_FAILED = 'PromotionPreflightFailed';

const LAG_WINDOW_MS = 5 * 60_000;

/** Reads topology, health and lag; throws `PromotionPreflightFailed` naming every failed check. */
export async function preflightPromotion(deps: ActivityDeps, plan: PromotionPlan): Promise<PromotionPreflight> {
  const { heartbeat } = activityHooks();
  heartbeat({ step: 'preflight' });
  const aws = { region: plan.target.region, accountId: plan.account };
  const rds = deps.aws.rds(aws);
  const checks: { name: string; ok: boolean; detail: string; advisory?: boolean }[] = [];

  const gc = await withAwsErrors(
    () => rds.describeGlobalCluster(plan.globalClusterId),
    `rds.describeGlobalCluster(${plan.globalClusterId})`,
  );
  const writer = gc.members.find((m) => m.isWriter);
  const targetMember = gc.members.find(
    (m) => clusterIdOfArn(m.dbClusterArn) === plan.target.clusterId || (regionOfArn(m.dbClusterArn) === plan.target.region && !m.isWriter),
  );
  checks.push({
    name: 'global cluster has a writer',
    ok: writer !== undefined,
    detail: writer ? writer.dbClusterArn : `no writer member in ${plan.globalClusterId}`,
  });
  checks.push({
    name: `target ${plan.target.clusterId} is a member`,
    ok: targetMember !== undefined,
    detail: targetMember ? targetMember.dbClusterArn : `members: ${gc.members.map((m) => m.dbClusterArn).join(', ') || 'none'}`,
  });
  if (targetMember?.isWriter) {
    checks.push({
      name: 'target is a secondary',
      ok: false,
      detail: `${plan.target.clusterId} is already the writer of ${plan.globalClusterId}: nothing to promote`,
    });
  }
  checks.push({
    name: 'no switchover/failover in progress',
    ok: gc.failoverState === undefined,
    detail: gc.failoverState ? `failoverState ${gc.failoverState.status} to ${gc.failoverState.toDbClusterArn ?? '?'}` : 'none',
  });
  if (plan.mode === 'switchover') {
    checks.push({ name: 'global cluster available', ok: gc.status === 'available', detail: `status ${gc.status}` });
    if (targetMember?.synchronizationStatus !== undefined) {
      checks.push({
        name: 'target replication connected',
        ok: targetMember.synchronizationStatus === 'connected',
        detail: `synchronizationStatus ${targetMember.synchronizationStatus}`,
      });
    }
  }

  heartbeat({ step: 'preflight', read: 'target cluster' });
  const cluster = await withAwsErrors(
    () => rds.describeDbCluster(plan.target.clusterId),
    `rds.describeDbCluster(${plan.target.clusterId})`,
  );
  checks.push({ name: 'target cluster available', ok: cluster.status === 'available', detail: `status ${cluster.status}` });
  checks.push({
    name: 'target cluster has an instance',
    ok: cluster.members.length > 0,
    detail:
      cluster.members.length > 0
        ? `${cluster.members.length} instance(s)`
        : 'headless secondary: add an instance before promoting (aws-dr-api §1.1)',
  });

  // Replication lag of the target against the tier RPO (advisory for an unplanned promotion,
  // where the lag of a lost primary only grows; blocking for a planned switchover).
  let replicationLagMs: number | undefined;
  let lagNote: string | undefined;
  try {
    const now = deps.clock.now();
    const data = await deps.aws.cloudwatch(aws).getMetricData({
      namespace: 'AWS/RDS',
      metricName: REPLICATION_LAG_METRIC,
      dimensions: { DBClusterIdentifier: plan.target.clusterId },
      stat: 'Maximum',
      periodSeconds: 60,
      startTime: now - LAG_WINDOW_MS,
      endTime: now,
    });
    if (data.values.length > 0) replicationLagMs = data.values[data.values.length - 1];
    else lagNote = `no ${REPLICATION_LAG_METRIC} datapoints in the last 5 min: lag not measured`;
  } catch (err) {
    lagNote = `${REPLICATION_LAG_METRIC} not read: ${(err as Error).name}: ${(err as Error).message}`;
  }
  if (replicationLagMs !== undefined) {
    checks.push({
      name: `replication lag within ${plan.tier} RPO`,
      ok: replicationLagMs <= plan.targets.rpoMs,
      detail: `${Math.round(replicationLagMs)} ms (RPO ${plan.targets.rpoMs} ms)`,
      advisory: plan.mode !== 'switchover',
    });
  }

  const blocking = checks.filter((c) => !c.ok && !c.advisory);
  if (blocking.length > 0 || !writer || !targetMember) {
    throw ApplicationFailure.create({
      type: PROMOTION_PREFLIGHT_FAILED,
      message: `preflight of ${plan.mode} to ${plan.target.region} failed: ${blocking.map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
      nonRetryable: true,
      details: [checks],
    });
  }
  const sourceRegion = regionOfArn(writer.dbClusterArn) ?? plan.runbookPrimaryRegion;
  const sourceId = plan.members.find((m) => m.region === sourceRegion)?.clusterId ?? clusterIdOfArn(writer.dbClusterArn);
  return {
    globalClusterArn: gc.globalClusterArn,
    source: { region: sourceRegion, clusterId: sourceId, arn: writer.dbClusterArn },
    target: { ...plan.target, arn: targetMember.dbClusterArn },
    ...(replicationLagMs !== undefined ? { replicationLagMs } : {}),
    ...(lagNote !== undefined ? { lagNote } : {}),
    checks: checks.map(({ name, ok, detail, advisory }) => ({
      name,
      ok,
      detail: advisory && !ok ? `${detail} (advisory for ${plan.mode})` : detail,
    })),
    checkedAt: deps.clock.now(),
  };
}
