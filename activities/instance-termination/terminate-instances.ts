/** `terminateInstances`: the fault (EC2 TerminateInstances). */
import { ApplicationFailure } from '@temporalio/common';
import type { InstanceTerminationPlan, TerminationDone } from '../../contracts/instance-termination';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';

/**
 * Terminates the chosen instances in one call. Reads first: an instance already shutting down or
 * terminated (a retry after the call went through) is not terminated again, and every instance is
 * checked again against the required tags right before the call. Returns the clock when the call
 * was issued (the fault) and when it returned.
 */
export async function terminateInstances(
  deps: ActivityDeps,
  input: { readonly plan: InstanceTerminationPlan; readonly instanceIds: readonly string[] },
): Promise<TerminationDone> {
  const { plan } = input;
  const ec2 = deps.aws.ec2({ region: plan.region, accountId: plan.account });
  const now = await withAwsErrors(() => ec2.describeInstances(input.instanceIds), 'ec2.describeInstances');
  const outside = now.filter((i) => !Object.entries(plan.requiredTags).every(([k, v]) => i.tags[k] === v));
  if (outside.length > 0)
    throw ApplicationFailure.create({
      type: 'OutsideBlastRadius',
      nonRetryable: true,
      message: `refused: ${outside.map((i) => i.instanceId).join(', ')} lack the required tags ${JSON.stringify(plan.requiredTags)}`,
    });
  const gone = now.filter((i) => i.state === 'shutting-down' || i.state === 'terminated').map((i) => i.instanceId);
  const live = input.instanceIds.filter((id) => !gone.includes(id));
  const at = deps.clock.now();
  if (live.length > 0) await withAwsErrors(() => ec2.terminateInstances(live), `ec2.terminateInstances(${live.join(',')})`);
  const returnedAt = deps.clock.now();
  deps.logger.info({ instances: live, alreadyGone: gone, group: plan.autoScalingGroup }, 'instances terminated');
  return { instanceIds: input.instanceIds, at, returnedAt, alreadyGone: gone };
}
