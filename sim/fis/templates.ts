/** The FIS action and resource-type catalogue of the sim (aws-dr-api.md §7) and experiment-template validation. */
import type { FisExperimentTemplateInput } from '../../activities/aws/ports';
import { SimAwsError } from '../world';

/** What an action targets (target key, resource type) and its parameters. */
export interface ActionSpec {
  readonly targetKey?: string;
  readonly resourceType?: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/** Supported actions: target key, target resource type, parameters. */
export const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  'aws:fis:wait': { required: ['duration'], optional: [] },
  'aws:ec2:stop-instances': {
    targetKey: 'Instances',
    resourceType: 'aws:ec2:instance',
    required: [],
    optional: ['startInstancesAfterDuration', 'completeIfInstancesTerminated'],
  },
  'aws:ec2:api-insufficient-instance-capacity-error': {
    targetKey: 'Roles',
    resourceType: 'aws:iam:role',
    required: ['duration', 'availabilityZoneIdentifiers'],
    optional: ['percentage'],
  },
  'aws:ec2:asg-insufficient-instance-capacity-error': {
    targetKey: 'AutoScalingGroups',
    resourceType: 'aws:ec2:autoscaling-group',
    required: ['duration', 'availabilityZoneIdentifiers'],
    optional: ['percentage'],
  },
  'aws:network:disrupt-connectivity': {
    targetKey: 'Subnets',
    resourceType: 'aws:ec2:subnet',
    required: ['duration'],
    optional: ['scope', 'prefixListIdentifier'],
  },
  'aws:rds:failover-db-cluster': { targetKey: 'Clusters', resourceType: 'aws:rds:cluster', required: [], optional: [] },
  'aws:rds:reboot-db-instances': { targetKey: 'DBInstances', resourceType: 'aws:rds:db', required: [], optional: ['forceFailover'] },
  'aws:elasticache:replicationgroup-interrupt-az-power': {
    targetKey: 'ReplicationGroups',
    resourceType: 'aws:elasticache:replicationgroup',
    required: ['duration'],
    optional: [],
  },
  'aws:elasticache:interrupt-cluster-az-power': {
    targetKey: 'ReplicationGroups',
    resourceType: 'aws:elasticache:replicationgroup',
    required: ['duration'],
    optional: [],
  },
  'aws:ebs:pause-volume-io': { targetKey: 'Volumes', resourceType: 'aws:ec2:ebs-volume', required: ['duration'], optional: [] },
  'aws:arc:start-zonal-autoshift': {
    targetKey: 'ManagedResources',
    resourceType: 'aws:arc:zonal-shift-managed-resource',
    required: ['duration', 'availabilityZoneIdentifier'],
    optional: ['managedResourceTypes', 'zonalAutoshiftStatus'],
  },
  'aws:network:route-table-disrupt-cross-region-connectivity': {
    targetKey: 'Subnets',
    resourceType: 'aws:ec2:subnet',
    required: ['region', 'duration'],
    optional: [],
  },
  'aws:network:transit-gateway-disrupt-cross-region-connectivity': {
    targetKey: 'TransitGateways',
    resourceType: 'aws:ec2:transit-gateway',
    required: ['region', 'duration'],
    optional: [],
  },
  'aws:ssm:start-automation-execution': { required: ['documentArn'], optional: ['documentVersion', 'documentParameters', 'maxDuration'] },
  'aws:cloudwatch:assert-alarm-state': { required: ['alarmArns', 'alarmStates'], optional: [] },
};

/** Parameters that are ISO-8601 durations. */
const DURATION_PARAMS = new Set(['duration', 'startInstancesAfterDuration', 'maxDuration']);

/** Target resource types FIS knows (aws-dr-api.md §7.1). */
const RESOURCE_TYPES = new Set([
  'aws:arc:zonal-shift-managed-resource',
  'aws:dsql:cluster',
  'aws:dynamodb:global-table',
  'aws:ec2:autoscaling-group',
  'aws:ec2:ebs-volume',
  'aws:ec2:instance',
  'aws:ec2:spot-instance',
  'aws:ec2:subnet',
  'aws:ec2:transit-gateway',
  'aws:ec2:vpc-endpoint',
  'aws:ecs:cluster',
  'aws:ecs:task',
  'aws:eks:cluster',
  'aws:eks:nodegroup',
  'aws:eks:pod',
  'aws:elasticache:replicationgroup',
  'aws:iam:role',
  'aws:kinesis:stream',
  'aws:lambda:function',
  'aws:memorydb:multi-region-cluster',
  'aws:rds:cluster',
  'aws:rds:db',
  'aws:s3:bucket',
]);

/** Parses an ISO-8601 duration (`PT30M`, `PT1H30M`, `PT90S`, `P1D`) into ms; undefined if malformed. */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

/** Name of the alarm in a stop-condition value (an alarm ARN, or a bare name). */
export function alarmNameOf(value: string): { name: string; region?: string } {
  const m = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):\d{12}:alarm:(.+)$/.exec(value);
  return m ? { name: m[2]!, region: m[1]! } : { name: value };
}

export const invalid = (message: string): never => {
  throw new SimAwsError('ValidationException', message, 400);
};

/** Validates a template; throws `ValidationException` naming the field and the problem. */
export function validateTemplate(t: FisExperimentTemplateInput): void {
  if (typeof t.description !== 'string' || t.description.length > 512) invalid('description: required, at most 512 characters');
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(t.roleArn ?? ''))
    invalid(`roleArn: ${t.roleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  const actions = Object.entries(t.actions ?? {});
  if (actions.length === 0) invalid('actions: at least one action is required');
  if (!Array.isArray(t.stopConditions) || t.stopConditions.length === 0)
    invalid('stopConditions: at least one is required (use {source: "none"} for none)');
  for (const [i, sc] of t.stopConditions.entries()) {
    if (sc.source === 'none') continue;
    if (sc.source !== 'aws:cloudwatch:alarm')
      invalid(`stopConditions[${i}].source: ${sc.source} is invalid: expected aws:cloudwatch:alarm or none`);
    if (!/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/.test(sc.value ?? ''))
      invalid(`stopConditions[${i}].value: ${sc.value} is not a CloudWatch alarm ARN`);
  }
  for (const [name, target] of Object.entries(t.targets ?? {})) {
    if (!RESOURCE_TYPES.has(target.resourceType))
      invalid(`targets.${name}.resourceType: ${target.resourceType} is not a supported resource type`);
    if (!/^(ALL|COUNT\(\d+\)|PERCENT\(\d+\))$/.test(target.selectionMode ?? ''))
      invalid(`targets.${name}.selectionMode: ${target.selectionMode} is invalid: expected ALL, COUNT(n) or PERCENT(n)`);
    const arns = target.resourceArns ?? [];
    const hasTags = Object.keys(target.resourceTags ?? {}).length > 0;
    if (arns.length > 0 && (hasTags || (target.filters ?? []).length > 0))
      invalid(`targets.${name}: resourceArns cannot be combined with resourceTags or filters`);
    if (arns.length > 5) invalid(`targets.${name}.resourceArns: at most 5 ARNs`);
    if (arns.length === 0 && !hasTags && Object.keys(target.parameters ?? {}).length === 0)
      invalid(`targets.${name}: give resourceArns, resourceTags or parameters`);
    if (target.resourceType === 'aws:elasticache:replicationgroup' && !target.parameters?.['availabilityZoneIdentifier']) {
      invalid(`targets.${name}.parameters.availabilityZoneIdentifier: required for aws:elasticache:replicationgroup`);
    }
  }
  const names = new Set(actions.map(([n]) => n));
  for (const [name, a] of actions) {
    const spec = ACTIONS[a.actionId];
    if (!spec) invalid(`actions.${name}.actionId: ${a.actionId} is not a supported action`);
    const params = a.parameters ?? {};
    for (const p of spec!.required) if (params[p] === undefined) invalid(`actions.${name}.parameters.${p}: required by ${a.actionId}`);
    for (const [p, v] of Object.entries(params)) {
      if (!spec!.required.includes(p) && !spec!.optional.includes(p))
        invalid(`actions.${name}.parameters.${p}: not a parameter of ${a.actionId}`);
      if (DURATION_PARAMS.has(p) && parseIsoDuration(v) === undefined)
        invalid(`actions.${name}.parameters.${p}: ${v} is not an ISO-8601 duration such as PT30M`);
    }
    const keys = Object.keys(a.targets ?? {});
    if (spec!.targetKey) {
      if (keys.length !== 1 || keys[0] !== spec!.targetKey)
        invalid(`actions.${name}.targets: ${a.actionId} takes exactly the target key ${spec!.targetKey}`);
      const targetName = a.targets![spec!.targetKey!]!;
      const target = t.targets?.[targetName];
      if (!target) invalid(`actions.${name}.targets.${spec!.targetKey}: no target named ${targetName}`);
      if (target!.resourceType !== spec!.resourceType)
        invalid(
          `targets.${targetName}.resourceType: ${target!.resourceType} does not match ${a.actionId}, which needs ${spec!.resourceType}`,
        );
    } else if (keys.length > 0) {
      invalid(`actions.${name}.targets: ${a.actionId} takes no targets`);
    }
    for (const after of a.startAfter ?? []) {
      if (after === name || !names.has(after)) invalid(`actions.${name}.startAfter: ${after} is not another action of this template`);
    }
  }
  // startAfter must not form a cycle.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') invalid(`actions.${n}.startAfter: forms a cycle`);
    state.set(n, 'visiting');
    for (const after of t.actions[n]?.startAfter ?? []) visit(after);
    state.set(n, 'done');
  };
  for (const n of names) visit(n);
}
