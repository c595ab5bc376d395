/**
 * `prepareInstanceTermination`: the plan of an instance termination from its input (no AWS call):
 * the runbook, the group, the share, the target group and service alarm watched, the required
 * tags (the blast radius), the targets, timeouts and poll interval.
 */
import type { InstanceTerminationInput, InstanceTerminationPlan } from '../../contracts/instance-termination';
import { parseDuration } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { invalidInput, type InputIssue } from '../region-cut/input';
import { loadRunbookForInput } from '../region-cut/prepare-region-cut';
import { INVALID_INSTANCE_TERMINATION_INPUT, checkInstanceTerminationInput } from './input';

/**
 * First activity of `instanceTerminationWorkflow`: validates the input field by field, loads the
 * runbook from the worker's folder (the worker, not the input, decides what may be touched: the
 * group must be one of the runbook's `fis.autoScalingGroups`, the instances must carry its
 * required tags). Fails non-retryably with `InvalidInstanceTerminationInput`.
 */
export async function prepareInstanceTermination(deps: ActivityDeps, input: unknown): Promise<InstanceTerminationPlan> {
  return planInstanceTermination(input, deps.runbookDir, deps.aws.mode, deps.clock.scale);
}

/** The plan of `input` (see `prepareInstanceTermination`); pure apart from reading the runbook file. */
export function planInstanceTermination(
  input: unknown,
  runbookDir: string,
  awsMode: 'real' | 'sim' = 'real',
  clockScale = 1,
): InstanceTerminationPlan {
  const type = INVALID_INSTANCE_TERMINATION_INPUT;
  const shape = checkInstanceTerminationInput(input);
  if (shape.length > 0) throw invalidInput(shape, type);
  const o = input as InstanceTerminationInput;
  const rb = loadRunbookForInput(o.runbook, runbookDir, type);
  const it = rb.instanceTermination;
  const issues: InputIssue[] = [];
  if (!it)
    issues.push({
      field: 'runbook',
      message: `runbook ${o.runbook} has no instanceTermination section; add instanceTermination.autoScalingGroup, targetGroupArn and serviceAlarm`,
    });
  if (!rb.fis)
    issues.push({ field: 'runbook', message: `runbook ${o.runbook} has no fis section; add fis.targetTag and fis.autoScalingGroups` });
  const group = o.autoScalingGroup ?? it?.autoScalingGroup;
  if (rb.fis && group && !rb.fis.autoScalingGroups.includes(group))
    issues.push({
      field: 'autoScalingGroup',
      message: `${group} is not one of the runbook's fis.autoScalingGroups (${rb.fis.autoScalingGroups.join(', ') || 'none'}); only those may be touched`,
    });
  const share =
    o.percent !== undefined
      ? { percent: o.percent }
      : o.count !== undefined
        ? { count: o.count }
        : it?.count !== undefined
          ? { count: it.count }
          : it?.percent !== undefined
            ? { percent: it.percent }
            : undefined;
  if (!share && it)
    issues.push({ field: 'percent', message: 'required: percent or count (input, or runbook instanceTermination.percent / count)' });
  if (issues.length > 0) throw invalidInput(issues, type);
  const region = it!.targetGroupArn.split(':')[3]!;
  return {
    runbookName: o.runbook,
    runbook: rb,
    service: rb.service,
    region,
    account: rb.account,
    autoScalingGroup: group!,
    share: share!,
    targetGroupArn: it!.targetGroupArn,
    serviceAlarm: it!.serviceAlarm,
    requiredTags: { ...rb.blastRadius.requiredTags, [rb.fis!.targetTag.key]: rb.fis!.targetTag.value },
    targets: {
      capacityRestoredMs: parseDuration(it!.targets.capacityRestored),
      targetGroupHealthyMs: parseDuration(it!.targets.targetGroupHealthy),
      serviceAlarmOkMs: parseDuration(it!.targets.serviceAlarmOk),
    },
    recoveryTimeoutMs: parseDuration(o.recoveryTimeout ?? '15m'),
    alarmFireTimeoutMs: parseDuration(it!.alarmFireTimeout),
    pollIntervalMs: o.pollIntervalMs ?? 1000,
    ...(o.requestedBy ? { requestedBy: o.requestedBy } : {}),
    awsMode,
    clockScale,
    preparedAtWall: Date.now(),
  };
}
