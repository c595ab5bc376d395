/**
 * The temporary-resource activities shared by the restore verification's undo and the orphan
 * sweeper, bound to their dependencies.
 */
import type { ActivityDeps } from '../deps';
import type { TempResourceRef } from '../../contracts/drill';
import { awaitTempClusterGone } from './await-temp-cluster-gone';
import { deleteTempCluster } from './delete-temp-cluster';
import { deleteTempInstance } from './delete-temp-instance';
import { listTempInstances } from './list-temp-instances';

/** Binds the list / delete / await-gone activities of temporary clusters to `deps`. */
export function createTempResourceActivities(deps: ActivityDeps) {
  return {
    /** The instances of a temporary cluster (the known ones and any found in it). */
    listTempInstances: (ref: TempResourceRef) => listTempInstances(deps, ref),
    /** Deletes one owned temporary instance; not found or deleting is done. */
    deleteTempInstance: (ref: TempResourceRef, instanceId: string) => deleteTempInstance(deps, ref, instanceId),
    /** Deletes an owned temporary cluster; not found or deleting is done. */
    deleteTempCluster: (ref: TempResourceRef) => deleteTempCluster(deps, ref),
    /** Waits until the temporary cluster no longer exists. */
    awaitTempClusterGone: (ref: TempResourceRef, pollIntervalMs: number, timeoutMs: number) =>
      awaitTempClusterGone(deps, ref, pollIntervalMs, timeoutMs),
  };
}
