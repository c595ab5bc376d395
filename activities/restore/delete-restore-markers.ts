/** `deleteRestoreMarkers`: the undo of `writeRestoreMarkers`. */
import type { ActivityDeps } from '../deps';
import type { RestorePlan } from '../../contracts/restore-verification';
import { withStore } from './canary-session';

/** Removes the marker rows from the source (cleanup; idempotent). */
export async function deleteRestoreMarkers(deps: ActivityDeps, plan: RestorePlan): Promise<number> {
  if (!plan.canary) return 0;
  return withStore(deps, plan.canary, (store) => store.deleteRun(plan.markerRunId));
}
