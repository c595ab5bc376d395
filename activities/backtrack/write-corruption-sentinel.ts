/** `writeCorruptionSentinel`: the "corruption" written after T that the backtrack must rewind. */
import type { ActivityDeps } from '../deps';
import type { CanaryAck } from '../../lib/measurement-types';
import type { BacktrackPlan, BacktrackPoint } from '../../contracts/backtrack-drill';
import { withStore } from '../restore/canary-session';
import { SENTINEL_SEQ } from './drill-rows';

/** Writes the sentinel row strictly after T (idempotent). */
export async function writeCorruptionSentinel(deps: ActivityDeps, plan: BacktrackPlan, point: BacktrackPoint): Promise<CanaryAck> {
  while (deps.clock.now() <= point.backtrackTo) await deps.clock.sleep(1);
  return withStore(deps, plan.canary, async (store) => {
    const present = await store.presentSeqs(plan.markerRunId, SENTINEL_SEQ, SENTINEL_SEQ);
    if (present.length > 0) return (await store.newest(plan.markerRunId)) ?? { seq: SENTINEL_SEQ, at: deps.clock.now() };
    return store.write(plan.markerRunId, SENTINEL_SEQ, deps.clock.now());
  });
}
