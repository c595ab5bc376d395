/**
 * `startPointInTimeRestore`: RestoreDBClusterToPointInTime into the temporary cluster, the one
 * mutation of the step, reading first so a retry finds its own earlier effect (by the
 * deterministic identifier and the ownership tag) instead of repeating it.
 */
import type { ActivityDeps } from '../deps';
import { withAwsErrors } from '../aws/errors';
import type { RestorePlan, RestoreStarted } from '../../contracts/restore-verification';
import { isAlreadyExists } from './aws-helpers';
import { alreadyStarted, existingCluster } from './ownership';

/**
 * RestoreDBClusterToPointInTime into the temporary cluster (read-before-write). In latest mode the
 * latest restorable time is read first and the restore names that time: `UseLatestRestorableTime`
 * would restore to whatever is latest when the call lands (a later attempt on the budget queue), so
 * the report's restore point and RPO would not be the ones AWS used.
 */
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
      ...(restorePoint !== undefined ? { restoreToTime: restorePoint } : { useLatestRestorableTime: true }),
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
