/**
 * `startSnapshotRestore`: RestoreDBClusterFromSnapshot into the temporary cluster, read before
 * write like the point-in-time restore.
 */
import type { ActivityDeps } from '../deps';
import { withAwsErrors } from '../aws/errors';
import type { RestorePlan, RestoreStarted } from '../../contracts/restore-verification';
import { isAlreadyExists } from './aws-helpers';
import { alreadyStarted, existingCluster } from './ownership';

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
