/** `awaitServiceAlarmOk`: the service alarm's course: fired, then OK again. */
import type { InstanceTerminationPlan, ServiceAlarmCourse } from '../../contracts/instance-termination';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { readServiceAlarm } from './reads';

/**
 * Watches the service alarm after the termination: first until it goes to ALARM (bounded by
 * `alarmFireTimeout`: an alarm that never fires is a finding, reported, not an error), then until
 * it is OK again (bounded by the recovery timeout). "OK" before it fired is not a recovery: the
 * alarm may simply not have evaluated the loss yet; an OK whose state changed after `since` (the
 * TerminateInstances call) is: the alarm fired and recovered between two reads.
 */
export async function awaitServiceAlarmOk(
  deps: ActivityDeps,
  input: { readonly plan: InstanceTerminationPlan; readonly since?: number },
): Promise<ServiceAlarmCourse> {
  const { plan, since } = input;
  // Fired and OK again between two reads: the alarm is OK but its state changed after the
  // termination (`since`), so it left OK (CloudWatch's StateUpdatedTimestamp moves only on a change).
  const leftOkSince = (a: Awaited<ReturnType<typeof readServiceAlarm>>): boolean =>
    since !== undefined && a?.stateValue === 'OK' && a.stateUpdatedAt !== undefined && a.stateUpdatedAt > since;
  const describe = (a: Awaited<ReturnType<typeof readServiceAlarm>>): string =>
    a
      ? `${a.alarmName}=${a.stateValue}${leftOkSince(a) ? ` (state changed at ${a.stateUpdatedAt}, after the termination: it fired and recovered between two reads)` : ''}`
      : `no alarm ${plan.serviceAlarm}`;
  const watch = { read: () => readServiceAlarm(deps, plan), describe, clock: deps.clock, intervalMs: plan.pollIntervalMs };
  const fired = await detect({
    ...watch,
    what: `service alarm ${plan.serviceAlarm} in ALARM`,
    done: (a) => a?.stateValue === 'ALARM' || leftOkSince(a),
    timeoutMs: plan.alarmFireTimeoutMs,
  });
  if (fired.observedAt === undefined) return { alarm: plan.serviceAlarm, fired };
  const ok = await detect({
    ...watch,
    what: `service alarm ${plan.serviceAlarm} OK again`,
    done: (a) => a?.stateValue === 'OK',
    timeoutMs: plan.recoveryTimeoutMs,
  });
  return { alarm: plan.serviceAlarm, fired, ok };
}
