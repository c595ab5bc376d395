/**
 * The undos of a restore verification's temporary resources, and the orphan sweeper's delete of a
 * leaked one: instances first, then the cluster, then the wait until it is gone. Each activity
 * reads first, so running an undo twice (or on a resource never created) is harmless.
 * Deterministic; not a workflow module.
 */
import type { RestoreVerificationActivities } from '../activities';
import type { DeleteOutcome, Observed, TempResourceRef } from '../contracts/drill';

/** The proxies the deletes run on (`drillProxies(...).undo` / `.undoWait`). */
export interface UndoProxies {
  readonly undo: Pick<RestoreVerificationActivities, 'listTempInstances' | 'deleteTempInstance' | 'deleteTempCluster'>;
  readonly undoWait: Pick<RestoreVerificationActivities, 'awaitTempClusterGone'>;
}

/** Deletes one instance; returns its outcome. */
export function deleteInstance(acts: UndoProxies, ref: TempResourceRef, instanceId: string): Promise<DeleteOutcome> {
  return acts.undo.deleteTempInstance(ref, instanceId);
}

/**
 * Deletes every instance the cluster lists (also any it did not create), then the cluster, and
 * waits until it is gone. Calls `onDelete` with each outcome; returns the wait's observation.
 */
export async function deleteCluster(
  acts: UndoProxies,
  ref: TempResourceRef,
  wait: { readonly pollIntervalMs: number; readonly timeoutMs: number },
  onDelete: (o: DeleteOutcome) => void,
): Promise<Observed> {
  for (const id of await acts.undo.listTempInstances(ref)) onDelete(await acts.undo.deleteTempInstance(ref, id));
  onDelete(await acts.undo.deleteTempCluster(ref));
  return acts.undoWait.awaitTempClusterGone(ref, wait.pollIntervalMs, wait.timeoutMs);
}
