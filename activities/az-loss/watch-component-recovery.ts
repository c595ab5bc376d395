/** `watchComponentRecovery`: one component watched from its baseline until it serves outside the lost AZ. */
import type { ComponentWatchResult, WatchComponentInput } from '../../contracts/az-loss';
import type { ActivityDeps } from '../deps';
import { activityHooks } from '../promotion/activity-context';
import { componentReader, takesAzAway } from './reads';
import { resumeCheckpoint, runWatch, startState } from './watch-loop';

/**
 * Watches one component until it serves again outside the AZ: Aurora — cluster available with an
 * available writer in another AZ; ElastiCache — group available with every primary outside the
 * AZ; Auto Scaling group — desired capacity InService and Healthy again, the instances seen
 * stopped/unhealthy in the AZ not among them, and none in the AZ when the template also takes the
 * AZ away (launches refused or network cut).
 *
 * Continues from `input.baseline` (read before the fault by `armRecoveryWatch`), so there is
 * always a read before the recovery. Resumable: a retried attempt continues from the heartbeat
 * checkpoint (lost instances, last read). Returns observations only; the workflow's findings turn
 * them into timeline events with the FIS action start times.
 */
export async function watchComponentRecovery(deps: ActivityDeps, input: WatchComponentInput): Promise<ComponentWatchResult> {
  const c = input.component;
  const hooks = activityHooks();
  const cp = resumeCheckpoint(c.id);
  const state = startState(input.baseline, cp);
  const read = componentReader(deps, input, c, takesAzAway(input.templateActions), state, hooks.signal);
  const r = await runWatch(deps, {
    watch: c.id,
    what: `${c.id} to serve outside ${input.az}`,
    input,
    hooks,
    resumed: cp,
    read,
    checkpointExtra: () => ({ lost: [...state.lost], ...(state.firstInAz ? { firstInAz: state.firstInAz } : {}) }),
  });
  return { component: c.id, ...r };
}
