/**
 * The restore itself: one AWS mutation per activity (restore the cluster, create its instance),
 * each reading first so a retry finds its own earlier effect (by the deterministic identifier and
 * the ownership tag) instead of repeating it; and the waits until each is available.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import type { DbCluster, DbInstance } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import { isAlreadyExists, observed, pollInActivity, readOrUndefined } from './aws-helpers';
import { ownedBy } from './identifiers';
import type { Observed, RestorePlan, RestoreStarted } from './types';

function notOurs(kind: string, id: string, tags: Readonly<Record<string, string>>, workflowId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'TemporaryResourceConflict',
    nonRetryable: true,
    message: `${kind} ${id} exists but is not owned by workflow ${workflowId} (tags: ${JSON.stringify(tags)}); refusing to use or delete it`,
  });
}

/** The restored cluster if this workflow already created it; fails if someone else owns the name. */
async function existingCluster(deps: ActivityDeps, plan: RestorePlan): Promise<DbCluster | undefined> {
  const rds = deps.aws.rds(plan.target);
  const c = await withAwsErrors(
    () => readOrUndefined(() => rds.describeDbCluster(plan.tempClusterId)),
    `rds.describeDbCluster(${plan.tempClusterId})`,
  );
  if (c && !ownedBy(c.tags, plan.workflowId)) throw notOurs('cluster', plan.tempClusterId, c.tags, plan.workflowId);
  return c;
}

function alreadyStarted(deps: ActivityDeps, c: DbCluster, restorePoint?: number): RestoreStarted {
  return {
    startedAt: c.clusterCreateTime ?? deps.clock.now(),
    ...(restorePoint !== undefined ? { restorePoint } : {}),
    alreadyExisted: true,
  };
}

/**
 * Waits until the source's latest restorable time reaches `after` (the marker rows are then inside
 * the restorable range), so a restore to the latest time must contain them.
 */
export async function awaitSourceRestorable(deps: ActivityDeps, plan: RestorePlan, after: number): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await withAwsErrors(
    () =>
      pollInActivity(deps, {
        read: () => rds.describeDbCluster(plan.clusterId),
        done: (c) => c.latestRestorableTime === undefined || c.latestRestorableTime >= after,
        intervalMs: plan.pollIntervalMs,
        fastIntervalMs: plan.pollIntervalMs,
        timeoutMs: 30 * 60_000,
        what: `latest restorable time of ${plan.clusterId} reaching the marker rows`,
      }),
    `await restorable ${plan.clusterId}`,
  );
  return observed(r, r.state.latestRestorableTime === undefined ? 'latest restorable time not reported' : undefined);
}

/** RestoreDBClusterToPointInTime into the temporary cluster (read-before-write). */
export async function startPointInTimeRestore(deps: ActivityDeps, plan: RestorePlan): Promise<RestoreStarted> {
  const rds = deps.aws.rds(plan.target);
  const existing = await existingCluster(deps, plan);
  if (existing) return alreadyStarted(deps, existing, plan.restoreToTime);
  let restorePoint = plan.restoreToTime;
  if (restorePoint === undefined) {
    const source = await withAwsErrors(() => rds.describeDbCluster(plan.clusterId), `rds.describeDbCluster(${plan.clusterId})`);
    restorePoint = source.latestRestorableTime;
  }
  const startedAt = deps.clock.now();
  try {
    await rds.restoreDbClusterToPointInTime({
      sourceDbClusterIdentifier: plan.clusterId,
      dbClusterIdentifier: plan.tempClusterId,
      ...(plan.restoreToTime !== undefined ? { restoreToTime: plan.restoreToTime } : { useLatestRestorableTime: true }),
      ...(plan.subnetGroup ? { dbSubnetGroupName: plan.subnetGroup } : {}),
      tags: plan.tags,
    });
  } catch (err) {
    if (isAlreadyExists(err)) {
      const c = await existingCluster(deps, plan);
      if (c) return alreadyStarted(deps, c, restorePoint);
    }
    return withAwsErrors(() => Promise.reject(err), `rds.restoreDbClusterToPointInTime(${plan.clusterId} → ${plan.tempClusterId})`);
  }
  return { startedAt, ...(restorePoint !== undefined ? { restorePoint } : {}), alreadyExisted: false };
}

/** RestoreDBClusterFromSnapshot into the temporary cluster (read-before-write). */
export async function startSnapshotRestore(deps: ActivityDeps, plan: RestorePlan): Promise<RestoreStarted> {
  const rds = deps.aws.rds(plan.target);
  const existing = await existingCluster(deps, plan);
  if (existing) return alreadyStarted(deps, existing);
  const startedAt = deps.clock.now();
  try {
    await rds.restoreDbClusterFromSnapshot({
      snapshotIdentifier: plan.snapshotId!,
      dbClusterIdentifier: plan.tempClusterId,
      engine: plan.engine,
      ...(plan.subnetGroup ? { dbSubnetGroupName: plan.subnetGroup } : {}),
      tags: plan.tags,
    });
  } catch (err) {
    if (isAlreadyExists(err)) {
      const c = await existingCluster(deps, plan);
      if (c) return alreadyStarted(deps, c);
    }
    return withAwsErrors(() => Promise.reject(err), `rds.restoreDbClusterFromSnapshot(${plan.snapshotId} → ${plan.tempClusterId})`);
  }
  return { startedAt, alreadyExisted: false };
}

const CLUSTER_FAILED = new Set([
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'deleting',
  'deleted',
  'inaccessible-encryption-credentials',
]);

/** Waits until the restored cluster is `available`; returns its writer endpoint in `detail`. */
export async function awaitRestoredClusterAvailable(deps: ActivityDeps, plan: RestorePlan): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await withAwsErrors(
    () =>
      pollInActivity<DbCluster>(deps, {
        read: () => rds.describeDbCluster(plan.tempClusterId),
        done: (c) => c.status === 'available',
        failed: (c) => (CLUSTER_FAILED.has(c.status) ? `cluster is ${c.status}` : undefined),
        intervalMs: plan.pollIntervalMs,
        fastIntervalMs: plan.pollIntervalMs,
        timeoutMs: plan.waitTimeoutMs,
        what: `restored cluster ${plan.tempClusterId} available`,
      }),
    `await ${plan.tempClusterId} available`,
  );
  return observed(r, r.state.endpoint);
}

/** CreateDBInstance in the restored cluster (read-before-write). */
export async function createRestoredInstance(
  deps: ActivityDeps,
  plan: RestorePlan,
): Promise<{ createdAt: number; alreadyExisted: boolean }> {
  const rds = deps.aws.rds(plan.target);
  const read = (): Promise<DbInstance | undefined> =>
    withAwsErrors(
      () => readOrUndefined(() => rds.describeDbInstance(plan.tempInstanceId)),
      `rds.describeDbInstance(${plan.tempInstanceId})`,
    );
  const check = (i: DbInstance): { createdAt: number; alreadyExisted: boolean } => {
    if (!ownedBy(i.tags, plan.workflowId)) throw notOurs('instance', plan.tempInstanceId, i.tags, plan.workflowId);
    return { createdAt: deps.clock.now(), alreadyExisted: true };
  };
  const existing = await read();
  if (existing) return check(existing);
  const createdAt = deps.clock.now();
  try {
    await rds.createDbInstance({
      dbInstanceIdentifier: plan.tempInstanceId,
      dbClusterIdentifier: plan.tempClusterId,
      engine: plan.engine,
      dbInstanceClass: plan.instanceClass,
      tags: plan.tags,
    });
  } catch (err) {
    if (isAlreadyExists(err)) {
      const i = await read();
      if (i) return check(i);
    }
    return withAwsErrors(() => Promise.reject(err), `rds.createDbInstance(${plan.tempInstanceId})`);
  }
  return { createdAt, alreadyExisted: false };
}

const INSTANCE_FAILED = new Set([
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'deleting',
  'deleted',
  'storage-full',
]);

/** Waits until the restored instance is `available` (the restore is then usable: restore-available). */
export async function awaitRestoredInstanceAvailable(deps: ActivityDeps, plan: RestorePlan): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await withAwsErrors(
    () =>
      pollInActivity<DbInstance>(deps, {
        read: () => rds.describeDbInstance(plan.tempInstanceId),
        done: (i) => i.status === 'available',
        failed: (i) => (INSTANCE_FAILED.has(i.status) ? `instance is ${i.status}` : undefined),
        intervalMs: plan.pollIntervalMs,
        fastIntervalMs: plan.pollIntervalMs,
        timeoutMs: plan.waitTimeoutMs,
        what: `restored instance ${plan.tempInstanceId} available`,
      }),
    `await ${plan.tempInstanceId} available`,
  );
  return observed(r);
}
