/** `watchServiceHealth`: the app-healthy watch (the data path serving outside the AZ, health alarms OK). */
import type { ServiceWatchResult, WatchServiceInput } from '../../contracts/az-loss';
import type { ActivityDeps } from '../deps';
import { activityHooks } from '../promotion/activity-context';
import { SERVICE_WATCH, serviceReader } from './reads';
import { resumeCheckpoint, runWatch } from './watch-loop';

/**
 * Polls the service's data path (every given component — the Aurora writer and ElastiCache
 * primaries the fault impairs — serving outside the AZ) and the region's health alarms, until the
 * data path serves and every alarm is OK in the same poll. Continues from its baseline like
 * `watchComponentRecovery`, so `app-healthy` lies in (previous read, observed read]. Instance
 * capacity (Auto Scaling groups) is not part of it: the group's instances in the other AZs keep
 * serving, so capacity restoration is a component finding, not service downtime.
 */
export async function watchServiceHealth(deps: ActivityDeps, input: WatchServiceInput): Promise<ServiceWatchResult> {
  const hooks = activityHooks();
  return runWatch(deps, {
    watch: SERVICE_WATCH,
    what: `the service to serve outside ${input.az} with its health alarms OK`,
    input,
    hooks,
    resumed: resumeCheckpoint(SERVICE_WATCH),
    read: serviceReader(deps, input, input.components, input.alarms, hooks.signal),
    checkpointExtra: () => ({}),
  });
}
