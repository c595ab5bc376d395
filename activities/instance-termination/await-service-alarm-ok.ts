/** `awaitServiceAlarmOk`: the service alarm's course: fired, then OK again. */
import type { InstanceTerminationPlan, ServiceAlarmCourse } from '../../contracts/instance-termination';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { readServiceAlarm } from './reads';

/**
 * Watches the service alarm after the termination: first until it goes to ALARM (bounded by
 * `alarmFireTimeout`: an alarm that never fires is a finding, reported, not an error), then until
 * it is OK again (bounded by the recovery timeout). "OK" before it fired is not a recovery: the
 * alarm may simply not have evaluated the loss yet.
 */
export async function awaitServiceAlarmOk(
  deps: ActivityDeps,
  input: { readonly plan: InstanceTerminationPlan },
): Promise<ServiceAlarmCourse> {
  const { plan } = input;
  const describe = (a: Awaited<ReturnType<typeof readServiceAlarm>>): string =>
    a ? `${a.alarmName}=${a.stateValue}` : `no alarm ${plan.serviceAlarm}`;
  const watch = { read: () => readServiceAlarm(deps, plan), describe, clock: deps.clock, intervalMs: plan.pollIntervalMs };
  const fired = await detect({
    ...watch,
    what: `service alarm ${plan.serviceAlarm} in ALARM`,
    done: (a) => a?.stateValue === 'ALARM',
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
