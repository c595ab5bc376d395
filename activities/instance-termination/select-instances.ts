/** `selectInstancesToTerminate`: which instances the run terminates. Read only. */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { InstanceTerminationPlan, TerminationSelection } from '../../contracts/instance-termination';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { readGroup, serving } from './reads';

/**
 * Chooses the share of the group's in-service, healthy instances that carry every required tag
 * (blastRadius.requiredTags and fis.targetTag: the worker's blast radius), in an order drawn from
 * the workflow id (a different victim each run, the same one on a retry). Percent is rounded up to
 * at least one instance; the whole group is never taken unless asked (100 percent or the count).
 * Fails non-retryably (`BlastRadiusTooSmall`) when fewer instances are eligible than asked.
 */
export async function selectInstancesToTerminate(
  deps: ActivityDeps,
  input: { readonly plan: InstanceTerminationPlan; readonly seed: string },
): Promise<TerminationSelection> {
  const { plan } = input;
  const g = await readGroup(deps, plan);
  const candidates = serving(g);
  const described = candidates.length
    ? await withAwsErrors(
        () => deps.aws.ec2({ region: plan.region, accountId: plan.account }).describeInstances(candidates),
        'ec2.describeInstances',
      )
    : [];
  const inRadius = (tags: Readonly<Record<string, string>>): boolean => Object.entries(plan.requiredTags).every(([k, v]) => tags[k] === v);
  const eligible = described.filter((i) => i.state === 'running' && inRadius(i.tags)).map((i) => i.instanceId);
  const wanted = 'count' in plan.share ? plan.share.count : Math.max(1, Math.ceil((candidates.length * plan.share.percent) / 100));
  if (eligible.length < wanted) {
    const outside = candidates.filter((id) => !eligible.includes(id));
    throw ApplicationFailure.create({
      type: 'BlastRadiusTooSmall',
      nonRetryable: true,
      message: `asked to terminate ${wanted} instance(s) of ${plan.autoScalingGroup}, but only ${eligible.length} in-service instance(s) carry the required tags ${JSON.stringify(plan.requiredTags)}${outside.length ? ` (outside the blast radius: ${outside.join(', ')})` : ''}; lower percent/count or tag the instances`,
    });
  }
  const rank = (id: string): string => createHash('sha256').update(`${input.seed}|${id}`).digest('hex');
  const chosen = [...eligible].sort((a, b) => rank(a).localeCompare(rank(b))).slice(0, wanted);
  return { instanceIds: chosen, eligible, desiredCapacity: g.desiredCapacity };
}
