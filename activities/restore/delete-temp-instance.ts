/**
 * `deleteTempInstance`: deletes one temporary instance (the drill's undo and the orphan sweeper).
 * Reads first: "not found" and "already deleting" are success, and only an owned instance (or one
 * in an owned cluster) is deleted.
 */
import type { ActivityDeps } from '../deps';
import type { DbCluster, DbInstance } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { DeleteOutcome, TempResourceRef } from '../../contracts/drill';
import { isNotFound, readOrUndefined } from './aws-helpers';
import { WORKFLOW_ID_TAG } from './identifiers';
import { assertOwned, assertOwnerRunClosed, isOwned } from './ownership';

/** Deletes one temporary instance (no final snapshot). Not found or deleting = done. */
export async function deleteTempInstance(deps: ActivityDeps, ref: TempResourceRef, instanceId: string): Promise<DeleteOutcome> {
  const rds = deps.aws.rds(ref.target);
  const i = await withAwsErrors(
    () => readOrUndefined<DbInstance>(() => rds.describeDbInstance(instanceId)),
    `rds.describeDbInstance(${instanceId})`,
  );
  if (!i) return { resource: instanceId, state: 'gone', at: deps.clock.now() };
  let ownerTags = i.tags;
  if (!isOwned(i.tags, ref) || (ref.ownerWorkflowId === undefined && !i.tags[WORKFLOW_ID_TAG])) {
    // An instance someone added to our temporary cluster carries no tag of ours; it may go with the
    // cluster only when it really is in that cluster and the cluster is ours (and, for the sweeper,
    // the cluster's owning run is closed).
    const c =
      i.dbClusterIdentifier === ref.clusterId
        ? await withAwsErrors(
            () => readOrUndefined<DbCluster>(() => rds.describeDbCluster(ref.clusterId)),
            `rds.describeDbCluster(${ref.clusterId})`,
          )
        : undefined;
    if (c && i.dbClusterIdentifier === ref.clusterId && !isOwned(i.tags, ref)) ownerTags = c.tags;
    else if (c && i.dbClusterIdentifier === ref.clusterId) ownerTags = { ...c.tags, ...i.tags };
    assertOwned('instance', instanceId, ownerTags, ref);
  }
  await assertOwnerRunClosed(deps, 'instance', instanceId, ownerTags, ref);
  if (i.status === 'deleting') return { resource: instanceId, state: 'deleting', at: deps.clock.now() };
  try {
    await rds.deleteDbInstance({ dbInstanceIdentifier: instanceId, skipFinalSnapshot: true });
  } catch (err) {
    if (isNotFound(err)) return { resource: instanceId, state: 'gone', at: deps.clock.now() };
    return withAwsErrors(() => Promise.reject(err), `rds.deleteDbInstance(${instanceId})`);
  }
  return { resource: instanceId, state: 'deleted', at: deps.clock.now() };
}
