/**
 * `createRestoredInstance`: CreateDBInstance in the restored cluster, the one mutation of the
 * step, read before write (a retry finds its own instance by id and ownership tag).
 */
import type { ActivityDeps } from '../deps';
import type { DbInstance } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { InstanceCreated, RestorePlan } from '../../contracts/restore-verification';
import { isAlreadyExists, readOrUndefined } from './aws-helpers';
import { ownedBy } from './identifiers';
import { notOurs } from './ownership';

/** CreateDBInstance in the restored cluster (read-before-write). */
export async function createRestoredInstance(deps: ActivityDeps, plan: RestorePlan): Promise<InstanceCreated> {
  const rds = deps.aws.rds(plan.target);
  const read = (): Promise<DbInstance | undefined> =>
    withAwsErrors(
      () => readOrUndefined(() => rds.describeDbInstance(plan.tempInstanceId)),
      `rds.describeDbInstance(${plan.tempInstanceId})`,
    );
  const check = (i: DbInstance): InstanceCreated => {
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
