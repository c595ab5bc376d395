/**
 * Ownership of the temporary resources: a drill uses or deletes only what carries its own tags
 * (`gameday:owner` and, for a drill's own undo, its workflow id). Anything else is a
 * non-retryable `TemporaryResourceConflict`.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import type { DbCluster } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { TempResourceRef } from '../../contracts/drill';
import type { RestorePlan, RestoreStarted } from '../../contracts/restore-verification';
import { readOrUndefined } from './aws-helpers';
import { OWNER_TAG, OWNER_VALUE, ownedBy, RUN_ID_TAG, WORKFLOW_ID_TAG } from './identifiers';

/** The failure of a resource with our name that is not ours. */
export function notOurs(kind: string, id: string, tags: Readonly<Record<string, string>>, workflowId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'TemporaryResourceConflict',
    nonRetryable: true,
    message: `${kind} ${id} exists but is not owned by workflow ${workflowId} (tags: ${JSON.stringify(tags)}); refusing to use or delete it`,
  });
}

/** True when `tags` make the resource deletable under `ref` (its workflow's, or any gameday-owned one). */
export function isOwned(tags: Readonly<Record<string, string>>, ref: TempResourceRef): boolean {
  return ref.ownerWorkflowId !== undefined ? ownedBy(tags, ref.ownerWorkflowId) : tags[OWNER_TAG] === OWNER_VALUE;
}

/** Throws `TemporaryResourceConflict` unless the resource is deletable under `ref`. */
export function assertOwned(kind: string, id: string, tags: Readonly<Record<string, string>>, ref: TempResourceRef): void {
  if (!isOwned(tags, ref)) {
    throw ApplicationFailure.create({
      type: 'TemporaryResourceConflict',
      nonRetryable: true,
      message: `refusing to delete ${kind} ${id}: it is not tagged ${OWNER_TAG}=${OWNER_VALUE}${ref.ownerWorkflowId ? ` by workflow ${ref.ownerWorkflowId}` : ''} (tags: ${JSON.stringify(tags)})`,
    });
  }
}

/** The failure type of a delete refused because the resource's owning run is still open. */
export const OWNER_RUN_OPEN = 'OwnerRunOpen';

/**
 * The sweeper's liveness rule, asked before each delete of a resource it did not create (`ref`
 * without `ownerWorkflowId`): if the resource's tags name a workflow run that Temporal says is
 * still open, the delete is refused (non-retryable `OwnerRunOpen`). A drill's own undo
 * (`ownerWorkflowId` set) deletes what its run created and asks nothing. Without a Temporal client
 * the sweeper cannot know, so it refuses too.
 */
export async function assertOwnerRunClosed(
  deps: ActivityDeps,
  kind: string,
  id: string,
  tags: Readonly<Record<string, string>>,
  ref: TempResourceRef,
): Promise<void> {
  if (ref.ownerWorkflowId !== undefined) return;
  const workflowId = tags[WORKFLOW_ID_TAG];
  if (!workflowId) return; // gameday-owned, no owner recorded: age alone decides
  if (!deps.workflows) {
    throw ApplicationFailure.create({
      type: OWNER_RUN_OPEN,
      nonRetryable: true,
      message: `refusing to delete ${kind} ${id}: this worker has no Temporal client to ask whether its owner ${workflowId} is still open (build the worker with lib/composition-root)`,
    });
  }
  const state = await deps.workflows.state(workflowId, tags[RUN_ID_TAG]);
  if (state === 'open') {
    throw ApplicationFailure.create({
      type: OWNER_RUN_OPEN,
      nonRetryable: true,
      message: `refusing to delete ${kind} ${id}: its owning run ${workflowId}${tags[RUN_ID_TAG] ? ` (run ${tags[RUN_ID_TAG]})` : ''} is still open; that drill deletes it itself when it ends`,
    });
  }
}

/** The restored cluster if this workflow already created it; fails if someone else owns the name. */
export async function existingCluster(deps: ActivityDeps, plan: RestorePlan): Promise<DbCluster | undefined> {
  const rds = deps.aws.rds(plan.target);
  const c = await withAwsErrors(
    () => readOrUndefined(() => rds.describeDbCluster(plan.tempClusterId)),
    `rds.describeDbCluster(${plan.tempClusterId})`,
  );
  if (c && !ownedBy(c.tags, plan.workflowId)) throw notOurs('cluster', plan.tempClusterId, c.tags, plan.workflowId);
  return c;
}

/** The `RestoreStarted` of a restore a retry found already accepted. */
export function alreadyStarted(deps: ActivityDeps, c: DbCluster, restorePoint?: number): RestoreStarted {
  return {
    startedAt: c.clusterCreateTime ?? deps.clock.now(),
    ...(restorePoint !== undefined ? { restorePoint } : {}),
    alreadyExisted: true,
  };
}
