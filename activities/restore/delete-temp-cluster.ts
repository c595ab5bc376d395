/**
 * `deleteTempCluster`: deletes the temporary cluster (the drill's undo and the orphan sweeper).
 * Reads first: "not found" and "already deleting" are success, and only an owned cluster is deleted.
 */
import type { ActivityDeps } from '../deps';
import type { DbCluster } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { DeleteOutcome, TempResourceRef } from '../../contracts/drill';
import { isNotFound, readOrUndefined } from './aws-helpers';
import { assertOwned, assertOwnerRunClosed } from './ownership';

/**
 * Deletes the temporary cluster (no final snapshot). Instances it still lists that are not yet
 * deleting make AWS answer `InvalidDBClusterStateFault`, which is retryable: the retry policy
 * keeps trying until the instances are deleting. Not found or deleting = done.
 */
export async function deleteTempCluster(deps: ActivityDeps, ref: TempResourceRef): Promise<DeleteOutcome> {
  const rds = deps.aws.rds(ref.target);
  const c = await withAwsErrors(
    () => readOrUndefined<DbCluster>(() => rds.describeDbCluster(ref.clusterId)),
    `rds.describeDbCluster(${ref.clusterId})`,
  );
  if (!c) return { resource: ref.clusterId, state: 'gone', at: deps.clock.now() };
  assertOwned('cluster', ref.clusterId, c.tags, ref);
  await assertOwnerRunClosed(deps, 'cluster', ref.clusterId, c.tags, ref);
  if (c.status === 'deleting') return { resource: ref.clusterId, state: 'deleting', at: deps.clock.now() };
  try {
    await rds.deleteDbCluster({ dbClusterIdentifier: ref.clusterId, skipFinalSnapshot: true });
  } catch (err) {
    if (isNotFound(err)) return { resource: ref.clusterId, state: 'gone', at: deps.clock.now() };
    return withAwsErrors(() => Promise.reject(err), `rds.deleteDbCluster(${ref.clusterId})`);
  }
  return { resource: ref.clusterId, state: 'deleted', at: deps.clock.now() };
}
