/**
 * Every action of the AWS FIS actions reference (see `FIS_CATALOG_SOURCE`): its target key →
 * resource type, its parameters with their formats, how its targets may be selected, and former
 * names of renamed actions.
 */
import { HOUR, MINUTE, SECOND } from './durations';
import { anyDur, arn, azs, bool, dur, int, json, listOf, oneOf, pct, region, str, type FisParameterSpec } from './parameter-specs';

/** One FIS action: target key → resource type, its parameters, and target-selection limits. */
export interface FisActionSpec {
  /** Target key → resource type (`{ Instances: 'aws:ec2:instance' }`); empty for actions without targets. */
  readonly targets: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, FisParameterSpec>>;
  /**
   * How the reference restricts the selection of this action's targets: `arns` = ARNs only (no
   * tags, filters or parameters), `tags` = resource tags only.
   * @default any selection the resource type allows
   */
  readonly selection?: 'arns' | 'tags';
  /** True when the target key is not confirmed by an AWS sample (see `FIS_CATALOG_SOURCE.targetKeys`). */
  readonly targetKeyUnconfirmed?: boolean;
  /** The section of the reference the action is in. */
  readonly section: string;
}

const injectApi = (): FisActionSpec => ({
  section: 'Fault injection actions',
  targets: { Roles: 'aws:iam:role' },
  targetKeyUnconfirmed: true,
  parameters: {
    duration: dur(true),
    service: oneOf(true, ['ec2', 'kinesis']),
    percentage: pct(true),
    operations: str(true),
  },
});

/** Parameters every `aws:eks:pod-*` action takes besides its own. */
const eksPod = (withSecurityPolicy: boolean): Record<string, FisParameterSpec> => ({
  kubernetesServiceAccount: str(true),
  fisPodContainerImage: str(false),
  maxErrorsPercent: int(false, 0, 100),
  fisPodLabels: str(false),
  fisPodAnnotations: str(false),
  ...(withSecurityPolicy ? { fisPodSecurityPolicy: oneOf(false, ['privileged', 'baseline', 'restricted']) } : {}),
});

const SOURCES = str(false);
const ecsTask = (parameters: Record<string, FisParameterSpec>): FisActionSpec => ({
  section: 'Amazon ECS actions',
  targets: { Tasks: 'aws:ecs:task' },
  targetKeyUnconfirmed: true,
  parameters: { ...parameters, installDependencies: bool() },
});
const eksPodAction = (parameters: Record<string, FisParameterSpec>, withSecurityPolicy: boolean): FisActionSpec => ({
  section: 'Amazon EKS actions',
  targets: { Pods: 'aws:eks:pod' },
  targetKeyUnconfirmed: true,
  parameters: { ...parameters, ...eksPod(withSecurityPolicy) },
});
const lambda = (parameters: Record<string, FisParameterSpec>): FisActionSpec => ({
  section: 'AWS Lambda actions',
  targets: { Functions: 'aws:lambda:function' },
  targetKeyUnconfirmed: true,
  parameters: { duration: dur(true), invocationPercentage: pct(false), ...parameters },
});
const kinesis = (): FisActionSpec => ({
  section: 'Amazon Kinesis Data Streams actions',
  targets: { KinesisStreams: 'aws:kinesis:stream' },
  targetKeyUnconfirmed: true,
  parameters: { duration: dur(true), percentage: pct(true) },
});
const LATENCY = { delayMilliseconds: int(false, 0, 3_600_000), jitterMilliseconds: int(false, 0, 3_600_000) };

/** The FIS actions of the reference, by action id (50 actions). */
export const FIS_ACTIONS: Readonly<Record<string, FisActionSpec>> = {
  // Fault injection actions
  'aws:fis:inject-api-internal-error': injectApi(),
  'aws:fis:inject-api-throttle-error': injectApi(),
  'aws:fis:inject-api-unavailable-error': injectApi(),
  // Recovery action
  'aws:arc:start-zonal-autoshift': {
    section: 'Recovery action',
    targets: { ManagedResources: 'aws:arc:zonal-shift-managed-resource' },
    targetKeyUnconfirmed: true,
    parameters: {
      duration: dur(true),
      availabilityZoneIdentifier: azs(true),
      managedResourceTypes: listOf(false, ['ASG', 'ALB', 'NLB', 'EKS']),
      zonalAutoshiftStatus: oneOf(false, ['ENABLED', 'DISABLED', 'ANY']),
    },
  },
  // Wait action
  'aws:fis:wait': { section: 'Wait action', targets: {}, parameters: { duration: dur(true) } },
  // CloudWatch
  'aws:cloudwatch:assert-alarm-state': {
    section: 'Amazon CloudWatch actions',
    targets: {},
    parameters: {
      alarmArns: { required: true, check: { kind: 'arn-list', service: 'cloudwatch', max: 5 } },
      alarmStates: listOf(true, ['OK', 'ALARM', 'INSUFFICIENT_DATA']),
    },
  },
  // DynamoDB
  'aws:dynamodb:global-table-pause-replication': {
    section: 'Amazon DynamoDB actions',
    targets: { Tables: 'aws:dynamodb:global-table' },
    targetKeyUnconfirmed: true,
    parameters: { duration: dur(true) },
  },
  // Aurora DSQL
  'aws:dsql:cluster-connection-failure': {
    section: 'Amazon Aurora DSQL actions',
    targets: { Clusters: 'aws:dsql:cluster' },
    targetKeyUnconfirmed: true,
    parameters: { duration: dur(true), percentage: pct(true) },
  },
  // EBS
  'aws:ebs:pause-volume-io': {
    section: 'Amazon EBS actions',
    targets: { Volumes: 'aws:ec2:ebs-volume' },
    parameters: { duration: dur(true, SECOND, 12 * HOUR) },
  },
  'aws:ebs:volume-io-latency': {
    section: 'Amazon EBS actions',
    targets: { Volumes: 'aws:ec2:ebs-volume' },
    parameters: {
      readIOPercentage: { required: false, check: { kind: 'number', min: 0.1, max: 100 } },
      readIOLatencyMilliseconds: int(false, 1, 60_000),
      writeIOPercentage: { required: false, check: { kind: 'number', min: 0.1, max: 100 } },
      writeIOLatencyMilliseconds: int(false, 1, 60_000),
      duration: dur(true, SECOND, 12 * HOUR),
    },
  },
  // EC2
  'aws:ec2:api-insufficient-instance-capacity-error': {
    section: 'Amazon EC2 actions',
    targets: { Roles: 'aws:iam:role' },
    selection: 'arns',
    targetKeyUnconfirmed: true,
    parameters: { duration: dur(true), availabilityZoneIdentifiers: azs(true), percentage: pct(false) },
  },
  'aws:ec2:asg-insufficient-instance-capacity-error': {
    section: 'Amazon EC2 actions',
    targets: { AutoScalingGroups: 'aws:ec2:autoscaling-group' },
    parameters: { duration: dur(true), availabilityZoneIdentifiers: azs(true), percentage: pct(false) },
  },
  'aws:ec2:reboot-instances': { section: 'Amazon EC2 actions', targets: { Instances: 'aws:ec2:instance' }, parameters: {} },
  'aws:ec2:send-spot-instance-interruptions': {
    section: 'Amazon EC2 actions',
    targets: { SpotInstances: 'aws:ec2:spot-instance' },
    parameters: { durationBeforeInterruption: dur(true, 2 * MINUTE, 15 * MINUTE) },
  },
  'aws:ec2:stop-instances': {
    section: 'Amazon EC2 actions',
    targets: { Instances: 'aws:ec2:instance' },
    parameters: { startInstancesAfterDuration: dur(false), completeIfInstancesTerminated: bool() },
  },
  'aws:ec2:terminate-instances': { section: 'Amazon EC2 actions', targets: { Instances: 'aws:ec2:instance' }, parameters: {} },
  // ECS
  'aws:ecs:drain-container-instances': {
    section: 'Amazon ECS actions',
    targets: { Clusters: 'aws:ecs:cluster' },
    targetKeyUnconfirmed: true,
    parameters: { drainagePercentage: pct(true), duration: dur(true) },
  },
  'aws:ecs:stop-task': { section: 'Amazon ECS actions', targets: { Tasks: 'aws:ecs:task' }, targetKeyUnconfirmed: true, parameters: {} },
  'aws:ecs:task-cpu-stress': ecsTask({ duration: anyDur(true), percent: int(false, 0, 100), workers: int(false, 0, 1024) }),
  'aws:ecs:task-io-stress': ecsTask({ duration: anyDur(true), percent: int(false, 1, 100), workers: int(false, 1, 1024) }),
  'aws:ecs:task-kill-process': ecsTask({ processName: str(true), signal: oneOf(false, ['SIGTERM', 'SIGKILL']) }),
  'aws:ecs:task-network-blackhole-port': ecsTask({
    duration: anyDur(true),
    port: int(true, 1, 65535),
    trafficType: oneOf(true, ['ingress', 'egress']),
    protocol: oneOf(false, ['tcp', 'udp']),
    useEcsFaultInjectionEndpoints: bool(),
  }),
  'aws:ecs:task-network-latency': ecsTask({
    duration: anyDur(true),
    ...LATENCY,
    flowsPercent: pct(false),
    sources: SOURCES,
    useEcsFaultInjectionEndpoints: bool(),
  }),
  'aws:ecs:task-network-packet-loss': ecsTask({
    duration: anyDur(true),
    lossPercent: int(false, 0, 100),
    flowsPercent: pct(false),
    sources: SOURCES,
    useEcsFaultInjectionEndpoints: bool(),
  }),
  // EKS
  'aws:eks:inject-kubernetes-custom-resource': {
    section: 'Amazon EKS actions',
    targets: { Cluster: 'aws:eks:cluster' },
    selection: 'arns',
    targetKeyUnconfirmed: true,
    parameters: {
      kubernetesApiVersion: oneOf(true, ['chaos-mesh.org/v1alpha1', 'litmuschaos.io/v1alpha1']),
      kubernetesKind: str(true),
      kubernetesNamespace: str(true),
      kubernetesSpec: json(true),
      maxDuration: dur(true),
    },
  },
  'aws:eks:pod-cpu-stress': eksPodAction({ duration: anyDur(true), percent: int(false, 0, 100), workers: int(false, 0, 1024) }, true),
  'aws:eks:pod-delete': eksPodAction({ gracePeriodSeconds: int(false, 0, 86_400) }, true),
  'aws:eks:pod-io-stress': eksPodAction({ duration: anyDur(true), workers: int(false, 1, 1024), percent: int(false, 1, 100) }, true),
  'aws:eks:pod-memory-stress': eksPodAction({ duration: anyDur(true), workers: int(false, 1, 1024), percent: int(false, 1, 100) }, true),
  'aws:eks:pod-network-blackhole-port': eksPodAction(
    {
      duration: anyDur(true),
      protocol: oneOf(true, ['tcp', 'udp']),
      trafficType: oneOf(true, ['ingress', 'egress']),
      port: int(true, 1, 65535),
    },
    false,
  ),
  'aws:eks:pod-network-latency': eksPodAction(
    { duration: anyDur(true), interface: str(false), ...LATENCY, flowsPercent: pct(false), sources: SOURCES },
    false,
  ),
  'aws:eks:pod-network-packet-loss': eksPodAction(
    { duration: anyDur(true), interface: str(false), lossPercent: int(false, 0, 100), flowsPercent: pct(false), sources: SOURCES },
    false,
  ),
  'aws:eks:terminate-nodegroup-instances': {
    section: 'Amazon EKS actions',
    targets: { Nodegroups: 'aws:eks:nodegroup' },
    targetKeyUnconfirmed: true,
    parameters: { instanceTerminationPercentage: pct(true) },
  },
  // ElastiCache
  'aws:elasticache:replicationgroup-interrupt-az-power': {
    section: 'Amazon ElastiCache actions',
    targets: { ReplicationGroups: 'aws:elasticache:replicationgroup' },
    parameters: { duration: dur(true) },
  },
  // Kinesis
  'aws:kinesis:stream-provisioned-throughput-exception': kinesis(),
  'aws:kinesis:stream-expired-iterator-exception': kinesis(),
  // Lambda
  'aws:lambda:invocation-add-delay': lambda({ startupDelayMilliseconds: int(false, 0, 900_000) }),
  'aws:lambda:invocation-error': lambda({ preventExecution: bool(true) }),
  'aws:lambda:invocation-http-integration-response': lambda({
    contentTypeHeader: str(true),
    preventExecution: bool(true),
    statusCode: int(true, 0, 999),
  }),
  // MemoryDB
  'aws:memorydb:multi-region-cluster-pause-replication': {
    section: 'Amazon MemoryDB action',
    targets: { MultiRegionClusters: 'aws:memorydb:multi-region-cluster' },
    targetKeyUnconfirmed: true,
    parameters: { duration: dur(true) },
  },
  // Network
  'aws:network:disrupt-connectivity': {
    section: 'Network actions',
    targets: { Subnets: 'aws:ec2:subnet' },
    parameters: {
      scope: oneOf(true, ['all', 'availability-zone', 'dynamodb', 'prefix-list', 's3', 's3express', 'vpc']),
      duration: dur(true),
      prefixListIdentifier: str(false),
    },
  },
  'aws:network:route-table-disrupt-cross-region-connectivity': {
    section: 'Network actions',
    targets: { Subnets: 'aws:ec2:subnet' },
    parameters: { region: region(true), duration: dur(true) },
  },
  'aws:network:transit-gateway-disrupt-cross-region-connectivity': {
    section: 'Network actions',
    targets: { TransitGateways: 'aws:ec2:transit-gateway' },
    parameters: { region: region(true), duration: dur(true) },
  },
  'aws:network:disrupt-vpc-endpoint': {
    section: 'Network actions',
    targets: { VPCEndpoints: 'aws:ec2:vpc-endpoint' },
    targetKeyUnconfirmed: true,
    parameters: { duration: dur(true) },
  },
  // RDS
  'aws:rds:failover-db-cluster': { section: 'Amazon RDS actions', targets: { Clusters: 'aws:rds:cluster' }, parameters: {} },
  'aws:rds:reboot-db-instances': {
    section: 'Amazon RDS actions',
    targets: { DBInstances: 'aws:rds:db' },
    parameters: { forceFailover: bool() },
  },
  // S3
  'aws:s3:bucket-pause-replication': {
    section: 'Amazon S3 actions',
    targets: { Buckets: 'aws:s3:bucket' },
    selection: 'tags',
    targetKeyUnconfirmed: true,
    parameters: { duration: dur(true), region: region(true), destinationBuckets: str(false), prefixes: str(false) },
  },
  // Systems Manager
  'aws:ssm:send-command': {
    section: 'Systems Manager actions',
    targets: { Instances: 'aws:ec2:instance' },
    parameters: { documentArn: arn(true, 'ssm'), documentVersion: str(false), documentParameters: json(false), duration: dur(true) },
  },
  'aws:ssm:start-automation-execution': {
    section: 'Systems Manager actions',
    targets: {},
    parameters: { documentArn: arn(true, 'ssm'), documentVersion: str(false), documentParameters: json(false), maxDuration: dur(true) },
  },
  // Direct Connect
  'aws:directconnect:virtual-interface-disconnect': {
    section: 'AWS Direct Connect actions',
    targets: { DXVirtualInterfaces: 'aws:directconnect:virtual-interface' },
    targetKeyUnconfirmed: true,
    parameters: { duration: dur(true, 10 * MINUTE, 12 * HOUR) },
  },
};

/**
 * Former ids of renamed actions → current id. FIS still accepts a former id; the validator accepts
 * it too and says what it is called now.
 */
export const FIS_RENAMED_ACTIONS: Readonly<Record<string, string>> = {
  'aws:elasticache:interrupt-cluster-az-power': 'aws:elasticache:replicationgroup-interrupt-az-power',
};

/** An action of the catalog by current or former id: its spec, its current id, and the former id used (if any). */
export function lookupFisAction(id: string): { spec: FisActionSpec; currentId: string; formerId?: string } | undefined {
  const current = FIS_RENAMED_ACTIONS[id];
  if (current) return { spec: FIS_ACTIONS[current]!, currentId: current, formerId: id };
  const spec = Object.prototype.hasOwnProperty.call(FIS_ACTIONS, id) ? FIS_ACTIONS[id] : undefined;
  return spec ? { spec, currentId: id } : undefined;
}
