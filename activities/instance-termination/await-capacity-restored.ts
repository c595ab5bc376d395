/** `awaitCapacityRestored`: the group is back at its desired healthy capacity. */
import type { InstanceTerminationPlan } from '../../contracts/instance-termination';
import type { Detection } from '../../contracts/region-cut';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { readGroup, serving } from './reads';

/**
 * Polls the group until it has its desired capacity of InService, Healthy instances other than the
 * terminated ones (the group may list a terminated instance as healthy until its health check
 * notices). Started right after the termination. `timedOut` when it did not recover in time.
 */
export function awaitCapacityRestored(
  deps: ActivityDeps,
  input: { readonly plan: InstanceTerminationPlan; readonly terminated: readonly string[] },
): Promise<Detection> {
  const { plan } = input;
  return detect({
    what: `group ${plan.autoScalingGroup} back at desired healthy capacity`,
    read: () => readGroup(deps, plan),
    done: (g) => serving(g, input.terminated).length >= g.desiredCapacity,
    describe: (g) =>
      `${serving(g, input.terminated).length}/${g.desiredCapacity} in service and healthy: ${g.instances.map((i) => `${i.instanceId}=${i.lifecycleState}/${i.healthStatus}`).join(', ')}`,
    clock: deps.clock,
    intervalMs: plan.pollIntervalMs,
    timeoutMs: plan.recoveryTimeoutMs,
  });
}
