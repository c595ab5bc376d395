/** `deleteBacktrackRows`: the undo of `writeBacktrackMarker` (removes the marker and the sentinel). */
import type { ActivityDeps } from '../deps';
import type { BacktrackPlan } from '../../contracts/backtrack-drill';
import { withStore } from '../restore/canary-session';

/** Removes the drill's marker rows (cleanup; idempotent). */
export async function deleteBacktrackRows(deps: ActivityDeps, plan: BacktrackPlan): Promise<number> {
  return withStore(deps, plan.canary, (store) => store.deleteRun(plan.markerRunId));
}
