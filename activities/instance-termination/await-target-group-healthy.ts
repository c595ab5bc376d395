/** `awaitTargetGroupHealthy`: the target group has the group's desired capacity of healthy targets. */
import type { InstanceTerminationPlan } from '../../contracts/instance-termination';
import type { Detection } from '../../contracts/region-cut';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { healthyTargets, readTargets } from './reads';

/**
 * Polls the target group until `desiredCapacity` targets other than the terminated instances are
 * `healthy` (the replacements registered and passed their health checks). Started right after the
 * termination. `timedOut` when it did not recover in time.
 */
export function awaitTargetGroupHealthy(
  deps: ActivityDeps,
  input: { readonly plan: InstanceTerminationPlan; readonly terminated: readonly string[]; readonly desiredCapacity: number },
): Promise<Detection> {
  const { plan } = input;
  return detect({
    what: `target group ${plan.targetGroupArn.split('/').slice(-2, -1)[0] ?? plan.targetGroupArn} healthy`,
    read: () => readTargets(deps, plan),
    done: (t) => healthyTargets(t, input.terminated).length >= input.desiredCapacity,
    describe: (t) => t.map((x) => `${x.targetId}=${x.state}`).join(', ') || 'no targets',
    clock: deps.clock,
    intervalMs: plan.pollIntervalMs,
    timeoutMs: plan.recoveryTimeoutMs,
  });
}
