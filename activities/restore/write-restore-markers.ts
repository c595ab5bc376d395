/**
 * `writeRestoreMarkers`: the marker rows written to the source just before a restore (the
 * restored data is then checked for them). Its undo is `deleteRestoreMarkers`.
 */
import type { ActivityDeps } from '../deps';
import type { CanaryAck } from '../../lib/measurement-types';
import type { MarkerWrite, RestorePlan } from '../../contracts/restore-verification';
import { withStore } from './canary-session';

/**
 * Writes the marker rows (seq 1..markerCount of `markerRunId`) to the source cluster. Idempotent:
 * rows already present are not written again (their ack time is bounded by the newest row's).
 */
export async function writeRestoreMarkers(deps: ActivityDeps, plan: RestorePlan): Promise<MarkerWrite> {
  if (!plan.canary) return { acked: [], writtenAt: deps.clock.now(), unavailableReason: 'the runbook has no canary section' };
  return withStore(deps, plan.canary, async (store) => {
    await store.ensureTable();
    const present = new Set(await store.presentSeqs(plan.markerRunId, 1, plan.markerCount));
    const newest = present.size > 0 ? await store.newest(plan.markerRunId) : undefined;
    const acked: CanaryAck[] = [];
    for (let seq = 1; seq <= plan.markerCount; seq++) {
      if (present.has(seq)) acked.push({ seq, at: newest?.at ?? deps.clock.now() });
      else acked.push(await store.write(plan.markerRunId, seq, deps.clock.now()));
    }
    return { acked, writtenAt: deps.clock.now() };
  });
}
