/** The reads of an instance termination: the group, its target group, the service alarm. Read only. */
import type { InstanceTerminationPlan } from '../../contracts/instance-termination';
import { withAwsErrors } from '../aws/errors';
import type { AlarmState, AutoScalingGroup, TargetHealth } from '../aws/ports';
import type { ActivityDeps } from '../deps';

/** The plan's Auto Scaling group. */
export function readGroup(deps: ActivityDeps, p: InstanceTerminationPlan): Promise<AutoScalingGroup> {
  return withAwsErrors(
    () => deps.aws.autoscaling({ region: p.region, accountId: p.account }).describeAutoScalingGroup(p.autoScalingGroup),
    `autoscaling.describeAutoScalingGroups(${p.autoScalingGroup})`,
  );
}

/** Health of every target of the plan's target group. */
export function readTargets(deps: ActivityDeps, p: InstanceTerminationPlan): Promise<TargetHealth[]> {
  return withAwsErrors(
    () => deps.aws.elbv2({ region: p.region, accountId: p.account }).describeTargetHealth(p.targetGroupArn),
    `elbv2.describeTargetHealth(${p.targetGroupArn})`,
  );
}

/** The service alarm (undefined when the region has no alarm of that name). */
export async function readServiceAlarm(deps: ActivityDeps, p: InstanceTerminationPlan): Promise<AlarmState | undefined> {
  const r = await withAwsErrors(
    () => deps.aws.cloudwatch({ region: p.region, accountId: p.account }).describeAlarms([p.serviceAlarm]),
    `cloudwatch.describeAlarms(${p.serviceAlarm})`,
  );
  return r.find((a) => a.alarmName === p.serviceAlarm);
}

/** In-service, healthy instances of the group, except `excluded` (the terminated ones). */
export function serving(g: AutoScalingGroup, excluded: readonly string[] = []): string[] {
  return g.instances
    .filter((i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy' && !excluded.includes(i.instanceId))
    .map((i) => i.instanceId);
}

/** Healthy targets, except `excluded`. */
export function healthyTargets(t: readonly TargetHealth[], excluded: readonly string[] = []): string[] {
  return t.filter((x) => x.state === 'healthy' && !excluded.includes(x.targetId)).map((x) => x.targetId);
}
