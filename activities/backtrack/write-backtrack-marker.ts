/**
 * `writeBacktrackMarker`: the marker row written before T, and T itself (the clock time after its
 * ack). Its undo is `deleteBacktrackRows`.
 */
import type { ActivityDeps } from '../deps';
import type { CanaryAck } from '../../lib/measurement-types';
import type { BacktrackPlan, BacktrackPoint } from '../../contracts/backtrack-drill';
import { withStore } from '../restore/canary-session';
import { MARKER_SEQ } from './drill-rows';

/** Writes the marker row (idempotent) and returns T: the clock time after its ack. */
export async function writeBacktrackMarker(deps: ActivityDeps, plan: BacktrackPlan): Promise<BacktrackPoint> {
  return withStore(deps, plan.canary, async (store) => {
    await store.ensureTable();
    const present = await store.presentSeqs(plan.markerRunId, MARKER_SEQ, MARKER_SEQ);
    const marker: CanaryAck =
      present.length > 0
        ? ((await store.newest(plan.markerRunId)) ?? { seq: MARKER_SEQ, at: deps.clock.now() })
        : await store.write(plan.markerRunId, MARKER_SEQ, deps.clock.now());
    const backtrackTo = Math.max(deps.clock.now(), marker.at + 1);
    return { marker: { seq: MARKER_SEQ, at: marker.at }, backtrackTo };
  });
}
