/** `checkTerminationSteadyState`: the steady state before the termination. Read only. */
import type { InstanceTerminationPlan, TerminationSteadyState } from '../../contracts/instance-termination';
import type { ActivityDeps } from '../deps';
import { healthyTargets, readGroup, readServiceAlarm, readTargets, serving } from './reads';

/**
 * Reads, before any fault: the group has its desired capacity in service and healthy, the target
 * group as many healthy targets, and the service alarm is OK. The workflow refuses to terminate
 * when a check fails (recovery from a degraded start cannot be measured).
 */
export async function checkTerminationSteadyState(deps: ActivityDeps, plan: InstanceTerminationPlan): Promise<TerminationSteadyState> {
  const g = await readGroup(deps, plan);
  const targets = await readTargets(deps, plan);
  const alarm = await readServiceAlarm(deps, plan);
  const inService = serving(g);
  const healthy = healthyTargets(targets);
  const checks = [
    {
      name: `group ${g.name} at desired capacity`,
      ok: g.desiredCapacity > 0 && inService.length >= g.desiredCapacity,
      found: `${inService.length} in service and healthy of ${g.desiredCapacity} desired`,
    },
    {
      name: 'target group healthy',
      ok: healthy.length >= g.desiredCapacity,
      found: `${healthy.length} healthy target(s): ${targets.map((t) => `${t.targetId}=${t.state}`).join(', ') || 'none'}`,
    },
    {
      name: `service alarm ${plan.serviceAlarm} OK`,
      ok: alarm?.stateValue === 'OK',
      found: alarm?.stateValue ?? `no alarm ${plan.serviceAlarm} in ${plan.region}`,
    },
  ];
  return { ok: checks.every((c) => c.ok), checks, desiredCapacity: g.desiredCapacity, at: deps.clock.now() };
}
