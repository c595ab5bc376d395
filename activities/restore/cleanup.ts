/**
 * Deleting temporary resources: the drill's own cleanup and the orphan sweeper share these.
 * Each activity reads first: "not found" and "already deleting" are success (a retry after a crash
 * finds its own effect), and only a gameday-owned resource is ever deleted.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import type { DbCluster, DbInstance } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import { isNotFound, observed, pollInActivity, readOrUndefined } from './aws-helpers';
import { OWNER_TAG, OWNER_VALUE, ownedBy } from './identifiers';
import type { DeleteOutcome, Observed, TempResourceRef } from './types';

function isOwned(tags: Readonly<Record<string, string>>, ref: TempResourceRef): boolean {
  return ref.ownerWorkflowId !== undefined ? ownedBy(tags, ref.ownerWorkflowId) : tags[OWNER_TAG] === OWNER_VALUE;
}

function assertOwned(kind: string, id: string, tags: Readonly<Record<string, string>>, ref: TempResourceRef): void {
  if (!isOwned(tags, ref)) {
    throw ApplicationFailure.create({
      type: 'TemporaryResourceConflict',
      nonRetryable: true,
      message: `refusing to delete ${kind} ${id}: it is not tagged ${OWNER_TAG}=${OWNER_VALUE}${ref.ownerWorkflowId ? ` by workflow ${ref.ownerWorkflowId}` : ''} (tags: ${JSON.stringify(tags)})`,
    });
  }
}

/** Deletes one temporary instance (no final snapshot). Not found or deleting = done. */
export async function deleteTempInstance(deps: ActivityDeps, ref: TempResourceRef, instanceId: string): Promise<DeleteOutcome> {
  const rds = deps.aws.rds(ref.target);
  const i = await withAwsErrors(
    () => readOrUndefined<DbInstance>(() => rds.describeDbInstance(instanceId)),
    `rds.describeDbInstance(${instanceId})`,
  );
  if (!i) return { resource: instanceId, state: 'gone', at: deps.clock.now() };
  if (!isOwned(i.tags, ref)) {
    // An instance someone added to our temporary cluster carries no tag of ours; it may go with the
    // cluster only when it really is in that cluster and the cluster is ours.
    const c =
      i.dbClusterIdentifier === ref.clusterId
        ? await withAwsErrors(
            () => readOrUndefined<DbCluster>(() => rds.describeDbCluster(ref.clusterId)),
            `rds.describeDbCluster(${ref.clusterId})`,
          )
        : undefined;
    assertOwned('instance', instanceId, c && i.dbClusterIdentifier === ref.clusterId ? c.tags : i.tags, ref);
  }
  if (i.status === 'deleting') return { resource: instanceId, state: 'deleting', at: deps.clock.now() };
  try {
    await rds.deleteDbInstance({ dbInstanceIdentifier: instanceId, skipFinalSnapshot: true });
  } catch (err) {
    if (isNotFound(err)) return { resource: instanceId, state: 'gone', at: deps.clock.now() };
    return withAwsErrors(() => Promise.reject(err), `rds.deleteDbInstance(${instanceId})`);
  }
  return { resource: instanceId, state: 'deleted', at: deps.clock.now() };
}

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
  if (c.status === 'deleting') return { resource: ref.clusterId, state: 'deleting', at: deps.clock.now() };
  try {
    await rds.deleteDbCluster({ dbClusterIdentifier: ref.clusterId, skipFinalSnapshot: true });
  } catch (err) {
    if (isNotFound(err)) return { resource: ref.clusterId, state: 'gone', at: deps.clock.now() };
    return withAwsErrors(() => Promise.reject(err), `rds.deleteDbCluster(${ref.clusterId})`);
  }
  return { resource: ref.clusterId, state: 'deleted', at: deps.clock.now() };
}

/** Lists the instances of the temporary cluster (so cleanup also deletes any it did not create). */
export async function listTempInstances(deps: ActivityDeps, ref: TempResourceRef): Promise<string[]> {
  const rds = deps.aws.rds(ref.target);
  const found = await withAwsErrors(
    () => rds.listDbInstances({ dbClusterIdentifier: ref.clusterId }),
    `rds.listDbInstances(${ref.clusterId})`,
  );
  return [...new Set([...ref.instanceIds, ...found.map((i) => i.dbInstanceIdentifier)])];
}

/** Waits until the temporary cluster no longer exists (cleanup-finished). */
export async function awaitTempClusterGone(
  deps: ActivityDeps,
  ref: TempResourceRef,
  pollIntervalMs: number,
  timeoutMs: number,
): Promise<Observed> {
  const rds = deps.aws.rds(ref.target);
  const r = await withAwsErrors(
    () =>
      pollInActivity<DbCluster | undefined>(deps, {
        read: () => readOrUndefined(() => rds.describeDbCluster(ref.clusterId)),
        done: (c) => c === undefined,
        intervalMs: pollIntervalMs,
        fastIntervalMs: pollIntervalMs,
        timeoutMs,
        what: `temporary cluster ${ref.clusterId} deleted`,
      }),
    `await ${ref.clusterId} deleted`,
  );
  return observed(r);
}
