/** `awaitHealthAlarmsOk`: app-healthy when the fault impairs no data-path component. */
import type { FisRef, HealthAlarmsOk } from '../../contracts/az-loss';
import { pollUntil } from '../aws/poll';
import type { ActivityDeps } from '../deps';
import { activityHooks } from '../promotion/activity-context';
import { readAlarms } from './reads';

/** Waits until every health alarm of the region is OK; returns when that was first seen. Started after the fault. */
export async function awaitHealthAlarmsOk(
  deps: ActivityDeps,
  input: FisRef & { readonly alarms: readonly string[]; readonly timeoutMs: number; readonly pollIntervalMs: number },
): Promise<HealthAlarmsOk> {
  const hooks = activityHooks();
  const res = await pollUntil({
    read: () => readAlarms(deps, input, input.alarms),
    done: (s) => s.length === input.alarms.length && s.every((a) => a.stateValue === 'OK'),
    clock: deps.clock,
    intervalMs: input.pollIntervalMs,
    fastIntervalMs: input.pollIntervalMs,
    timeoutMs: input.timeoutMs,
    heartbeat: hooks.heartbeat,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    what: `health alarms ${input.alarms.join(', ')} to be OK`,
  });
  return {
    observedAt: res.observedAt,
    ...(res.previousReadAt !== undefined ? { previousReadAt: res.previousReadAt } : {}),
    states: res.state.map((a) => `${a.alarmName}=${a.stateValue}`).join(', '),
  };
}
