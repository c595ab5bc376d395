/**
 * `armRecoveryWatch`: the baseline read of one recovery watch, made BEFORE the fault. The workflow
 * arms every watch, then starts each one with its baseline, then starts the experiment: so every
 * watch has a read before the fault (and before the recovery), and its recovery lies in
 * (previous read, observed read] — one poll interval.
 *
 * This replaces the earlier design in which the watch activity made its own baseline read and
 * signalled its workflow (`watchArmed`): an activity talking back to its workflow is a layering
 * violation (activities import workflow messages, need a client and the workflow's ids), and the
 * workflow needed a timed wait for the signals. Here the baseline is an ordinary activity result
 * in the history, and a retried watch never starts blind: it always has the baseline.
 */
import type { ArmWatchInput, WatchBaseline } from '../../contracts/az-loss';
import type { ActivityDeps } from '../deps';
import { componentReader, serviceReader, takesAzAway, watchIdOf, type ReadState } from './reads';

/** Reads the watched thing once and returns the baseline the watch continues from. Read only. */
export async function armRecoveryWatch(deps: ActivityDeps, input: ArmWatchInput): Promise<WatchBaseline> {
  const spec = input.spec;
  const st: ReadState = { lost: new Set() };
  const read =
    spec.kind === 'component'
      ? componentReader(deps, input, spec.component, takesAzAway(spec.templateActions), st)
      : serviceReader(deps, input, spec.components, spec.alarms);
  const at = deps.clock.now(); // issue time: the answer may date from any instant after it
  const r = await read();
  return {
    watch: watchIdOf(spec),
    at,
    seen: r.what,
    ok: r.ok,
    ...(st.firstInAz ? { firstInAz: st.firstInAz } : {}),
    ...(st.lost.size > 0 ? { lost: [...st.lost] } : {}),
  };
}
