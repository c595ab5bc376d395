/**
 * Narrow ports onto AWS: one interface per service listing only the calls the playbooks use.
 * Two implementations exist behind them: SDK v3 adapters (`activities/aws/*-adapter.ts`, real AWS)
 * and the simulated AWS (`sim/`). No activity and no workflow knows which one it talks to.
 *
 * Conventions
 * - Shapes are our own camelCase domain types, mapped from the SDK in the adapters.
 * - Errors are thrown as objects whose `name` is the AWS SDK error name (`err.name`, see
 *   aws-dr-api.md §0.2), e.g. `InvalidDBClusterStateFault`; `activities/aws/errors.ts` maps them
 *   once to retryable / non-retryable `ApplicationFailure`s.
 * - Timestamps are epoch milliseconds.
 * - Every port instance is bound to one region (and account); get them from `AwsClients`.
 */
import type {
  FisTemplateAction,
  FisTemplateDocument,
  FisTemplateStopCondition,
  FisTemplateTarget,
} from '../../runbooks/fis-templates/document';

// ---------------------------------------------------------------- RDS / Aurora

/** Aurora engine family of a cluster; decides the SQL driver and the restore engine argument. */
export type AuroraEngine = 'aurora-postgresql' | 'aurora-mysql';

/** One regional cluster of an Aurora global database, as DescribeGlobalClusters lists it. */
export interface GlobalClusterMember {
  readonly dbClusterArn: string;
  readonly isWriter: boolean;
  /** Secondary ARNs (only on the writer member). */
  readonly readers: readonly string[];
  /** `connected | pending-resync` (open string). */
  readonly synchronizationStatus?: string;
}

/** The switchover or failover a global cluster has pending or in progress. */
export interface GlobalClusterFailoverState {
  /** `pending | failing-over | switching-over | cancelling` (open string). */
  readonly status: string;
  readonly fromDbClusterArn?: string;
  readonly toDbClusterArn?: string;
  readonly isDataLossAllowed?: boolean;
}

/** An Aurora global database: its members, writer endpoint and any failover in flight. */
export interface GlobalCluster {
  readonly globalClusterIdentifier: string;
  readonly globalClusterArn: string;
  /** `available | modifying | failing-over | switching-over | …` (open string). */
  readonly status: string;
  readonly engine: string;
  readonly engineVersion?: string;
  /** Global writer endpoint, always pointing at the current primary's writer. */
  readonly endpoint?: string;
  readonly members: readonly GlobalClusterMember[];
  /** Present only while a switchover or failover is pending or in progress. */
  readonly failoverState?: GlobalClusterFailoverState;
}

/** One DB instance of an Aurora cluster and whether it is the writer. */
export interface DbClusterMember {
  readonly dbInstanceIdentifier: string;
  readonly isClusterWriter: boolean;
}

/** One Aurora DB cluster (regional), with its status, endpoints, members and restore window. */
export interface DbCluster {
  readonly dbClusterIdentifier: string;
  readonly dbClusterArn: string;
  /** `available | creating | deleting | failing-over | backtracking | modifying | …` */
  readonly status: string;
  readonly engine: string;
  readonly engineVersion?: string;
  readonly endpoint?: string;
  readonly readerEndpoint?: string;
  readonly members: readonly DbClusterMember[];
  readonly globalClusterIdentifier?: string;
  /** Backtrack window in seconds; 0 or absent when Backtrack is off. */
  readonly backtrackWindowSeconds?: number;
  readonly earliestRestorableTime?: number;
  readonly latestRestorableTime?: number;
  readonly dbSubnetGroup?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly clusterCreateTime?: number;
  /** For a secondary of a global cluster: replication source ARN(s). */
  readonly replicationSourceIdentifier?: string;
}

/** One Aurora DB instance, with its status and placement. */
export interface DbInstance {
  readonly dbInstanceIdentifier: string;
  readonly dbInstanceArn?: string;
  readonly dbClusterIdentifier?: string;
  /** `available | creating | deleting | rebooting | stopped | failed | …` */
  readonly status: string;
  readonly availabilityZone?: string;
  readonly instanceClass?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** One backtrack request of an Aurora MySQL cluster and its progress. */
export interface DbClusterBacktrack {
  readonly backtrackIdentifier: string;
  /** `applying | completed | failed | pending` */
  readonly status: string;
  readonly backtrackTo: number;
  readonly backtrackedFrom?: number;
  readonly backtrackRequestCreationTime?: number;
}

/** One RDS event (DescribeEvents), used to time failovers and restores. */
export interface RdsEvent {
  readonly sourceIdentifier: string;
  readonly sourceType: string;
  readonly message: string;
  readonly eventCategories: readonly string[];
  readonly date: number;
}

/** Input of RestoreDBClusterToPointInTime: a new cluster from a source cluster at a given time. */
export interface RestoreToPointInTimeInput {
  readonly sourceDbClusterIdentifier: string;
  readonly dbClusterIdentifier: string;
  /** Epoch ms; omit with `useLatestRestorableTime`. */
  readonly restoreToTime?: number;
  readonly useLatestRestorableTime?: boolean;
  readonly dbSubnetGroupName?: string;
  readonly vpcSecurityGroupIds?: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Input of RestoreDBClusterFromSnapshot: a new cluster from a cluster snapshot. */
export interface RestoreFromSnapshotInput {
  readonly snapshotIdentifier: string;
  readonly dbClusterIdentifier: string;
  readonly engine: AuroraEngine;
  readonly dbSubnetGroupName?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Input of CreateDBInstance: a new instance inside an existing Aurora cluster. */
export interface CreateDbInstanceInput {
  readonly dbInstanceIdentifier: string;
  readonly dbClusterIdentifier: string;
  readonly engine: AuroraEngine;
  readonly dbInstanceClass: string;
  readonly availabilityZone?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The RDS / Aurora calls the playbooks use, bound to one region. */
export interface RdsApi {
  readonly region: string;
  describeGlobalCluster(globalClusterIdentifier: string): Promise<GlobalCluster>;
  describeDbCluster(dbClusterIdentifier: string): Promise<DbCluster>;
  /** Clusters carrying every given tag (used by the orphan sweeper). */
  listDbClusters(filter?: { readonly tags?: Readonly<Record<string, string>> }): Promise<DbCluster[]>;
  describeDbInstance(dbInstanceIdentifier: string): Promise<DbInstance>;
  listDbInstances(filter?: { readonly dbClusterIdentifier?: string }): Promise<DbInstance[]>;
  /** Planned switchover, RPO 0. Send in the current primary's region. */
  switchoverGlobalCluster(input: { globalClusterIdentifier: string; targetDbClusterArn: string }): Promise<GlobalCluster>;
  /** Managed unplanned failover with AllowDataLoss. Send in the secondary's region. */
  failoverGlobalCluster(input: {
    globalClusterIdentifier: string;
    targetDbClusterArn: string;
    allowDataLoss: boolean;
  }): Promise<GlobalCluster>;
  /** Detach-and-promote: the cluster becomes standalone and writable. Send in its own region. */
  removeFromGlobalCluster(input: { globalClusterIdentifier: string; dbClusterArn: string }): Promise<GlobalCluster>;
  /** In-region failover to a reader. */
  failoverDbCluster(input: { dbClusterIdentifier: string; targetDbInstanceIdentifier?: string }): Promise<DbCluster>;
  backtrackDbCluster(input: { dbClusterIdentifier: string; backtrackTo: number }): Promise<DbClusterBacktrack>;
  describeDbClusterBacktracks(input: { dbClusterIdentifier: string; backtrackIdentifier?: string }): Promise<DbClusterBacktrack[]>;
  restoreDbClusterToPointInTime(input: RestoreToPointInTimeInput): Promise<DbCluster>;
  restoreDbClusterFromSnapshot(input: RestoreFromSnapshotInput): Promise<DbCluster>;
  createDbInstance(input: CreateDbInstanceInput): Promise<DbInstance>;
  deleteDbInstance(input: { dbInstanceIdentifier: string; skipFinalSnapshot: true }): Promise<DbInstance>;
  deleteDbCluster(input: { dbClusterIdentifier: string; skipFinalSnapshot: true }): Promise<DbCluster>;
  describeEvents(input: { sourceIdentifier?: string; startTime?: number }): Promise<RdsEvent[]>;
}

// ---------------------------------------------------------------- Route 53 and ARC

/** One Route 53 record set (weighted, failover, alias or plain). */
export interface ResourceRecordSet {
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly weight?: number;
  /** `PRIMARY | SECONDARY` for failover routing. */
  readonly failover?: 'PRIMARY' | 'SECONDARY';
  readonly region?: string;
  readonly ttl?: number;
  readonly values?: readonly string[];
  readonly aliasTarget?: { readonly dnsName: string; readonly hostedZoneId: string; readonly evaluateTargetHealth: boolean };
  readonly healthCheckId?: string;
}

/** One change of a ChangeResourceRecordSets batch. */
export interface RecordChange {
  readonly action: 'UPSERT' | 'CREATE' | 'DELETE';
  readonly recordSet: ResourceRecordSet;
}

/** A submitted Route 53 change and whether it has propagated (`INSYNC`). */
export interface ChangeInfo {
  readonly id: string;
  readonly status: 'PENDING' | 'INSYNC';
  readonly submittedAt: number;
}

/** The checkers' view of one Route 53 health check. */
export interface HealthCheckStatus {
  readonly healthCheckId: string;
  /** True when a majority of checkers report healthy. */
  readonly healthy: boolean;
  readonly observations: readonly { readonly region: string; readonly status: string }[];
}

/** The Route 53 calls the playbooks use (record sets, change status, health checks). */
export interface Route53Api {
  listResourceRecordSets(input: { hostedZoneId: string; name?: string }): Promise<ResourceRecordSet[]>;
  changeResourceRecordSets(input: { hostedZoneId: string; changes: readonly RecordChange[]; comment?: string }): Promise<ChangeInfo>;
  getChange(changeId: string): Promise<ChangeInfo>;
  getHealthCheckStatus(healthCheckId: string): Promise<HealthCheckStatus>;
}

/** One ARC routing control and its On/Off state. */
export interface RoutingControlState {
  readonly routingControlArn: string;
  readonly state: 'On' | 'Off';
}

/** ARC routing-control data plane (route53-recovery-cluster); use it during incidents. */
export interface ArcRoutingControlApi {
  getRoutingControlState(routingControlArn: string): Promise<RoutingControlState>;
  updateRoutingControlStates(input: { entries: readonly RoutingControlState[]; safetyRulesToOverride?: readonly string[] }): Promise<void>;
}

// ---------------------------------------------------------------- FIS

/** One target of an FIS experiment template (the runbooks' template contract). */
export type FisTarget = FisTemplateTarget;

/** One action of an FIS experiment template (the fault and its parameters). */
export type FisAction = FisTemplateAction;

/** A stop condition of an FIS experiment template (a CloudWatch alarm, or none). */
export type FisStopCondition = FisTemplateStopCondition;

/**
 * The CreateExperimentTemplate shape (camelCase, as the FIS JSON uses): the document the template
 * library renders, optional fields (experiment options, logs, report) included.
 */
export type FisExperimentTemplateInput = FisTemplateDocument;

/** An FIS experiment template as stored by AWS: the input shape plus its id. */
export interface FisExperimentTemplate extends FisExperimentTemplateInput {
  readonly id: string;
}

/** Progress of one action within a running FIS experiment. */
export interface FisActionState {
  /** `pending | initiating | running | completed | cancelled | stopping | stopped | failed | skipped` */
  readonly status: string;
  readonly reason?: string;
  readonly startTime?: number;
  readonly endTime?: number;
}

/** One FIS experiment (a run of a template): overall state, per-action state and times. */
export interface FisExperiment {
  readonly id: string;
  readonly experimentTemplateId: string;
  /** `pending | initiating | running | completed | stopping | stopped | failed | cancelled` */
  readonly state: {
    readonly status: string;
    readonly reason?: string;
    readonly error?: { readonly code?: string; readonly location?: string };
  };
  readonly actions: Readonly<Record<string, FisActionState>>;
  readonly stopConditions: readonly FisStopCondition[];
  readonly startTime?: number;
  readonly endTime?: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** The FIS calls the playbooks use (templates and experiments), bound to one region. */
export interface FisApi {
  createExperimentTemplate(input: FisExperimentTemplateInput & { clientToken: string }): Promise<FisExperimentTemplate>;
  updateExperimentTemplate(id: string, input: FisExperimentTemplateInput): Promise<FisExperimentTemplate>;
  getExperimentTemplate(id: string): Promise<FisExperimentTemplate>;
  listExperimentTemplates(): Promise<FisExperimentTemplate[]>;
  startExperiment(input: {
    experimentTemplateId: string;
    clientToken: string;
    tags?: Readonly<Record<string, string>>;
  }): Promise<FisExperiment>;
  getExperiment(id: string): Promise<FisExperiment>;
  stopExperiment(id: string): Promise<FisExperiment>;
  /** Deletes a template (the region cut's own, in its undo); throws `ResourceNotFoundException` when absent. */
  deleteExperimentTemplate(id: string): Promise<void>;
}

// ---------------------------------------------------------------- CloudWatch

/** State of a CloudWatch alarm. */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A CloudWatch alarm's current state and when it last changed. */
export interface AlarmState {
  readonly alarmName: string;
  readonly stateValue: AlarmStateValue;
  readonly stateReason?: string;
  readonly stateUpdatedAt?: number;
}

/** One metric value published with PutMetricData. */
export interface MetricDatum {
  readonly metricName: string;
  readonly value: number;
  readonly unit: 'Seconds' | 'Milliseconds' | 'Count' | 'None' | 'Percent';
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timestamp?: number;
}

/** One statistic of one metric over a time range (GetMetricData). */
export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: 'Average' | 'Maximum' | 'Minimum' | 'Sum' | 'SampleCount';
  readonly periodSeconds: number;
  readonly startTime: number;
  readonly endTime: number;
}

/** The CloudWatch calls the playbooks use (alarms, publishing and reading metrics), bound to one region. */
export interface CloudWatchApi {
  describeAlarms(alarmNames: readonly string[]): Promise<AlarmState[]>;
  putMetricData(namespace: string, data: readonly MetricDatum[]): Promise<void>;
  /** Datapoints of one metric, oldest first. */
  getMetricData(query: MetricQuery): Promise<{ timestamps: number[]; values: number[] }>;
}

// ---------------------------------------------------------------- SSM

/** One SSM Automation execution (an app reconfiguration step) and its progress. */
export interface AutomationExecution {
  readonly automationExecutionId: string;
  readonly documentName: string;
  /** `Pending | InProgress | Waiting | Success | TimedOut | Cancelling | Cancelled | Failed | …` */
  readonly status: string;
  readonly failureMessage?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly outputs?: Readonly<Record<string, readonly string[]>>;
}

/** The SSM calls the playbooks use (parameters and Automation), bound to one region. */
export interface SsmApi {
  /** `lastModifiedAt`: SSM's own time of the parameter's last change (GetParameter `LastModifiedDate`), when answered. */
  getParameter(name: string): Promise<{ name: string; value: string; version: number; lastModifiedAt?: number } | undefined>;
  putParameter(input: { name: string; value: string; overwrite: true }): Promise<{ version: number }>;
  /** `clientToken` must be a UUID; derive it deterministically so a retry reuses it. */
  startAutomationExecution(input: {
    documentName: string;
    parameters: Readonly<Record<string, readonly string[]>>;
    clientToken: string;
  }): Promise<{ automationExecutionId: string }>;
  getAutomationExecution(automationExecutionId: string): Promise<AutomationExecution>;
  stopAutomationExecution(automationExecutionId: string): Promise<void>;
}

// ---------------------------------------------------------------- ElastiCache

/** One node of an ElastiCache replication group and its role. */
export interface ReplicationGroupNode {
  readonly cacheClusterId: string;
  /** `primary | replica` */
  readonly currentRole: 'primary' | 'replica';
  readonly availabilityZone: string;
}

/** An ElastiCache (Redis/Valkey) replication group with its node groups and failover settings. */
export interface ReplicationGroup {
  readonly replicationGroupId: string;
  /** `available | modifying | creating | deleting | snapshotting` */
  readonly status: string;
  readonly nodeGroups: readonly {
    readonly nodeGroupId: string;
    readonly status: string;
    readonly members: readonly ReplicationGroupNode[];
  }[];
  readonly automaticFailover: 'enabled' | 'disabled' | 'enabling' | 'disabling';
  readonly multiAz: 'enabled' | 'disabled';
}

/** The ElastiCache calls the playbooks use (describe, test failover), bound to one region. */
export interface ElastiCacheApi {
  describeReplicationGroup(replicationGroupId: string): Promise<ReplicationGroup>;
  testFailover(input: { replicationGroupId: string; nodeGroupId: string }): Promise<ReplicationGroup>;
}

// ---------------------------------------------------------------- Secrets Manager

/** Database credentials of the canary; never logged, never in workflow input or history. */
export interface DbCredentials {
  readonly username: string;
  readonly password: string;
}

/** Secrets Manager, reduced to reading the canary's database credentials. */
export interface SecretsApi {
  getDbCredentials(secretArn: string): Promise<DbCredentials>;
}

// ---------------------------------------------------------------- EC2 Auto Scaling

/**
 * Lifecycle state of an instance in an Auto Scaling group (open string), e.g. `Pending`,
 * `Pending:Wait`, `InService`, `Terminating`, `Terminating:Wait`, `Terminated`, `Standby`,
 * `Detaching`, `Warmed:*`.
 */
export type AsgLifecycleState = 'Pending' | 'InService' | 'Terminating' | 'Terminated' | 'Standby' | (string & {});

/** One instance of an Auto Scaling group, as the group sees it. */
export interface AutoScalingGroupInstance {
  readonly instanceId: string;
  readonly availabilityZone: string;
  readonly lifecycleState: AsgLifecycleState;
  /** The group's health check verdict; an `Unhealthy` instance is about to be replaced. */
  readonly healthStatus: 'Healthy' | 'Unhealthy';
}

/** An Auto Scaling group and its instances. */
export interface AutoScalingGroup {
  readonly name: string;
  readonly desiredCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly availabilityZones: readonly string[];
  readonly instances: readonly AutoScalingGroupInstance[];
}

/** The EC2 Auto Scaling calls the playbooks use, bound to one region. */
export interface AutoScalingApi {
  /**
   * One group by name. AWS answers an empty list for an unknown name; the port throws an error
   * named `AutoScalingGroupNotFound` instead (classified not-found, non-retryable).
   */
  describeAutoScalingGroup(name: string): Promise<AutoScalingGroup>;
}

// ---------------------------------------------------------------- EC2, ELBv2, DNS

/** One EC2 instance as the instance-termination scenario reads it. */
export interface Ec2Instance {
  readonly instanceId: string;
  /** `pending | running | shutting-down | terminated | stopping | stopped` */
  readonly state: string;
  readonly availabilityZone?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The EC2 calls the instance-termination scenario uses, bound to one region. */
export interface Ec2Api {
  /** The named instances; like AWS, an unknown id fails the call with `InvalidInstanceID.NotFound`. */
  describeInstances(instanceIds: readonly string[]): Promise<Ec2Instance[]>;
  /** Terminates the instances; returns each one's state after the call. */
  terminateInstances(instanceIds: readonly string[]): Promise<{ readonly instanceId: string; readonly state: string }[]>;
}

/** One load balancer (ELBv2). */
export interface LoadBalancer {
  readonly name: string;
  readonly arn: string;
  /** `provisioning | active | active_impaired | failed` */
  readonly state: string;
  readonly dnsName?: string;
}

/** One target of a target group and its health. */
export interface TargetHealth {
  readonly targetId: string;
  /** `initial | healthy | unhealthy | unused | draining | unavailable` */
  readonly state: string;
  readonly reason?: string;
}

/** The Elastic Load Balancing v2 calls the scenarios use, bound to one region. */
export interface ElbV2Api {
  /** Load balancers by name; throws `LoadBalancerNotFoundException` when one is unknown. */
  describeLoadBalancers(names: readonly string[]): Promise<LoadBalancer[]>;
  /** Health of every registered target; throws `TargetGroupNotFoundException` for an unknown group. */
  describeTargetHealth(targetGroupArn: string): Promise<TargetHealth[]>;
}

/** What a DNS resolver answers for a name (CNAME targets, else addresses). */
export interface DnsAnswer {
  readonly name: string;
  readonly values: readonly string[];
}

/** A recursive DNS resolver, as a client of the service sees the record (caches and TTLs included). */
export interface DnsApi {
  resolve(name: string): Promise<DnsAnswer>;
}

// ---------------------------------------------------------------- Factory

/** Where a port points: region plus optional account (assume-role from the runbook). */
export interface AwsTarget {
  readonly region: string;
  readonly accountId?: string;
}

/** Builds region-bound ports. Implemented by the SDK client factory and by the simulated AWS. */
export interface AwsClients {
  readonly mode: 'real' | 'sim';
  rds(target: AwsTarget): RdsApi;
  /** Route 53 is global; `target` selects the account. */
  route53(target?: Partial<AwsTarget>): Route53Api;
  /** ARC data plane; cluster endpoints come from the runbook. */
  arc(target: AwsTarget & { readonly clusterEndpoints?: readonly string[] }): ArcRoutingControlApi;
  fis(target: AwsTarget): FisApi;
  cloudwatch(target: AwsTarget): CloudWatchApi;
  ssm(target: AwsTarget): SsmApi;
  elasticache(target: AwsTarget): ElastiCacheApi;
  secrets(target: AwsTarget): SecretsApi;
  /** EC2 Auto Scaling groups (instance replacement after an AZ loss). */
  autoscaling(target: AwsTarget): AutoScalingApi;
  /** EC2 instances (instance termination). */
  ec2(target: AwsTarget): Ec2Api;
  /** Load balancers and target groups (region cut, instance termination). */
  elbv2(target: AwsTarget): ElbV2Api;
  /** A DNS resolver (not an AWS API): what clients of the record are answered. */
  dns(): DnsApi;
}
