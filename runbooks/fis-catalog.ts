/**
 * What gameday knows about AWS FIS (aws-dr-api.md §7): the actions the template library may use,
 * their target keys, resource types and parameters, and the parameters of each target resource
 * type. Validation rejects anything not listed here, so a typo never reaches `CreateExperimentTemplate`.
 * Target keys marked "unconfirmed" in the reference are the names AWS samples use; check them
 * with `GetAction` when adding an action.
 */

/** How a parameter value is checked. */
export type FisParameterKind =
  | { readonly kind: 'duration'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'region' }
  | { readonly kind: 'az-list' }
  | { readonly kind: 'string' };

/** One parameter of an action or of a target. */
export interface FisParameterSpec {
  readonly required: boolean;
  readonly check: FisParameterKind;
}

/** One FIS action: target key → resource type, and its parameters. */
export interface FisActionSpec {
  readonly targets: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, FisParameterSpec>>;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const dur = (required: boolean, minMs: number, maxMs: number): FisParameterSpec => ({
  required,
  check: { kind: 'duration', minMs, maxMs },
});
const bool: FisParameterSpec = { required: false, check: { kind: 'boolean' } };
const str = (required: boolean): FisParameterSpec => ({ required, check: { kind: 'string' } });

/** The FIS actions the template library may use (aws-dr-api.md §7.3). */
export const FIS_ACTIONS: Readonly<Record<string, FisActionSpec>> = {
  'aws:rds:failover-db-cluster': { targets: { Clusters: 'aws:rds:cluster' }, parameters: {} },
  'aws:rds:reboot-db-instances': { targets: { DBInstances: 'aws:rds:db' }, parameters: { forceFailover: bool } },
  'aws:elasticache:replicationgroup-interrupt-az-power': {
    targets: { ReplicationGroups: 'aws:elasticache:replicationgroup' },
    parameters: { duration: dur(true, MINUTE, 12 * HOUR) },
  },
  'aws:network:disrupt-connectivity': {
    targets: { Subnets: 'aws:ec2:subnet' },
    parameters: {
      duration: dur(true, MINUTE, 12 * HOUR),
      scope: {
        required: false,
        check: { kind: 'enum', values: ['all', 'availability-zone', 'dynamodb', 'prefix-list', 's3', 's3express', 'vpc'] },
      },
      prefixListIdentifier: str(false),
    },
  },
  'aws:network:route-table-disrupt-cross-region-connectivity': {
    targets: { Subnets: 'aws:ec2:subnet' },
    parameters: { region: { required: true, check: { kind: 'region' } }, duration: dur(true, MINUTE, 12 * HOUR) },
  },
  'aws:network:transit-gateway-disrupt-cross-region-connectivity': {
    targets: { TransitGateways: 'aws:ec2:transit-gateway' },
    parameters: { region: { required: true, check: { kind: 'region' } }, duration: dur(true, MINUTE, 12 * HOUR) },
  },
  'aws:ec2:stop-instances': {
    targets: { Instances: 'aws:ec2:instance' },
    parameters: { startInstancesAfterDuration: dur(false, MINUTE, 12 * HOUR), completeIfInstancesTerminated: bool },
  },
  'aws:ec2:asg-insufficient-instance-capacity-error': {
    targets: { AutoScalingGroups: 'aws:ec2:autoscaling-group' },
    parameters: {
      duration: dur(true, MINUTE, 12 * HOUR),
      availabilityZoneIdentifiers: { required: true, check: { kind: 'az-list' } },
      percentage: { required: false, check: { kind: 'integer', min: 1, max: 100 } },
    },
  },
  'aws:ec2:api-insufficient-instance-capacity-error': {
    targets: { Roles: 'aws:iam:role' },
    parameters: {
      duration: dur(true, MINUTE, 12 * HOUR),
      availabilityZoneIdentifiers: { required: true, check: { kind: 'az-list' } },
      percentage: { required: false, check: { kind: 'integer', min: 1, max: 100 } },
    },
  },
  'aws:ebs:pause-volume-io': { targets: { Volumes: 'aws:ec2:ebs-volume' }, parameters: { duration: dur(true, SECOND, 12 * HOUR) } },
  'aws:fis:wait': { targets: {}, parameters: { duration: dur(true, MINUTE, 12 * HOUR) } },
  'aws:ssm:start-automation-execution': {
    targets: {},
    parameters: {
      documentArn: str(true),
      documentVersion: str(false),
      documentParameters: str(false),
      maxDuration: dur(true, MINUTE, 12 * HOUR),
    },
  },
  'aws:cloudwatch:assert-alarm-state': { targets: {}, parameters: { alarmArns: str(true), alarmStates: str(true) } },
};

/** Resource types FIS targets accept (aws-dr-api.md §7.1). */
export const FIS_RESOURCE_TYPES: readonly string[] = [
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
];

/** Target parameters per resource type (aws-dr-api.md §7.1); types not listed take none. */
export const FIS_TARGET_PARAMETERS: Readonly<Record<string, Readonly<Record<string, FisParameterSpec>>>> = {
  'aws:ec2:subnet': { availabilityZoneIdentifier: { required: false, check: { kind: 'az-list' } }, vpc: str(false) },
  'aws:ec2:ebs-volume': { availabilityZoneIdentifier: { required: false, check: { kind: 'az-list' } } },
  'aws:rds:cluster': { writerAvailabilityZoneIdentifiers: { required: false, check: { kind: 'az-list' } } },
  'aws:rds:db': { availabilityZoneIdentifiers: { required: false, check: { kind: 'az-list' } } },
  'aws:elasticache:replicationgroup': { availabilityZoneIdentifier: { required: true, check: { kind: 'az-list' } } },
  'aws:ecs:task': { cluster: str(false), service: str(false) },
  'aws:lambda:function': { functionQualifier: str(false) },
};

/** The ARN service a resource type's ARNs carry (`aws:rds:cluster` → `rds`). */
export function arnServiceOf(resourceType: string): string {
  const service = resourceType.split(':')[1] ?? '';
  return service === 'ec2' && resourceType === 'aws:ec2:autoscaling-group' ? 'autoscaling' : service;
}

/**
 * Parses an ISO-8601 duration of the form FIS uses (`PT10M`, `PT1H30M`, `PT90S`, `P1D`) into ms;
 * undefined when the text is not such a duration (years and months are rejected: not fixed lengths).
 */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  if (d === undefined && h === undefined && min === undefined && s === undefined) return undefined;
  return Number(d ?? 0) * 24 * HOUR + Number(h ?? 0) * HOUR + Number(min ?? 0) * MINUTE + Math.round(Number(s ?? 0) * SECOND);
}

/** Formats ms as an ISO-8601 duration (`PT30M`), the inverse of `parseIsoDuration` for whole seconds. */
export function toIsoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || total === 0 ? `${s}S` : ''}`;
}
