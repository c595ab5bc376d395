/**
 * The one list of what gameday asks of AWS, as IAM sees it: every SDK command the adapters in
 * `activities/aws/*-adapter.ts` send, with the IAM actions it needs, the runbook resource it is
 * scoped to, and the playbooks that send it; and the permissions of each FIS action the
 * experiment templates use (the FIS experiment role makes those calls, not the worker).
 *
 * `test/helpers/aws-command-recorder.ts` records every command the adapter tests send and fails
 * when one is missing here or not allowed by the generated policy; so a new adapter call cannot
 * ship without its permission. Pure data: no AWS SDK import (the CLI reads it).
 */

/** Playbooks a runbook can enable; `gameday iam-policy --scenario` takes these names. */
export const PLAYBOOKS = ['preflight', 'region-promotion', 'az-loss', 'restore-verification', 'backtrack-drill'] as const;
/** One of {@link PLAYBOOKS}. */
export type Playbook = (typeof PLAYBOOKS)[number];

/**
 * What a statement's `Resource` is built from (see `lib/iam/iam-policy.ts`):
 * runbook resources by name, the drill's own temporary resources by prefix, or `*` where the
 * action has no resource-level permission.
 */
export type ResourceKind =
  | 'global-cluster'
  | 'clusters'
  | 'all-clusters'
  | 'all-instances'
  | 'restore-sources'
  | 'drill-clusters'
  | 'drill-instances'
  | 'hosted-zone'
  | 'route53-change'
  | 'health-checks'
  | 'routing-controls'
  | 'fis-templates'
  | 'fis-experiments'
  | 'fis-role'
  | 'alarms'
  | 'app-parameter'
  | 'automation-documents'
  | 'automation-executions'
  | 'canary-secret'
  | 'replication-groups'
  | 'account-roles'
  | 'any';

/** The IAM side of one SDK command. */
export interface AdapterCommandPermission {
  /** IAM actions the call needs (besides its own, e.g. tagging on create). */
  readonly actions: readonly string[];
  readonly resource: ResourceKind;
  readonly playbooks: readonly Playbook[];
  /**
   * The actions accept `aws:ResourceTag/…` on that resource: the runbook's
   * `blastRadius.requiredTags` become conditions. @default false
   */
  readonly tagScoped?: boolean;
  /** Only on resources gameday created itself (`aws:ResourceTag/gameday:owner`). @default false */
  readonly ownedOnly?: boolean;
  /** Needed only when the worker runs in another account than the runbook's. @default false */
  readonly crossAccount?: boolean;
  /** Only for the runbook's record name (`route53:ChangeResourceRecordSetsNormalizedRecordNames`). @default false */
  readonly recordNameScoped?: boolean;
  /** Fixed conditions of the call (e.g. the CloudWatch namespace it writes). */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Tag gameday puts on every temporary resource it creates (activities/restore/identifiers.ts). */
export const OWNER_TAG = { key: 'gameday:owner', value: 'gameday' } as const;
/** Roles the worker may assume in a runbook's account (client-factory `roleArnForAccount`). */
export const ACCOUNT_ROLE_PATTERN = 'gameday-*';
/** Prefix of the temporary cluster and instance identifiers of restore drills. */
export const DRILL_RESOURCE_PREFIX = 'gameday-rv-';
/** CloudWatch namespace of the evidence metrics (activities/measurement/). */
export const METRIC_NAMESPACE = 'Gameday';

const ALL: readonly Playbook[] = PLAYBOOKS;
const DRILLS: readonly Playbook[] = ['region-promotion', 'az-loss', 'restore-verification', 'backtrack-drill'];

/**
 * Every SDK command an adapter sends, keyed `<IAM service prefix>:<command name without "Command">`.
 * Port methods with no playbook caller yet are assigned to the playbook whose port they serve
 * (noted inline), so the adapter's whole surface is covered.
 */
export const ADAPTER_COMMANDS: Readonly<Record<string, AdapterCommandPermission>> = {
  // RDS (rds-adapter.ts)
  'rds:DescribeGlobalClusters': {
    actions: ['rds:DescribeGlobalClusters'],
    resource: 'global-cluster',
    playbooks: ['preflight', 'region-promotion'],
  },
  'rds:DescribeDBClusters': { actions: ['rds:DescribeDBClusters'], resource: 'all-clusters', playbooks: ALL },
  'rds:DescribeDBInstances': { actions: ['rds:DescribeDBInstances'], resource: 'all-instances', playbooks: ALL },
  'rds:SwitchoverGlobalCluster': {
    actions: ['rds:SwitchoverGlobalCluster'],
    resource: 'global-cluster',
    playbooks: ['region-promotion'],
  },
  'rds:FailoverGlobalCluster': { actions: ['rds:FailoverGlobalCluster'], resource: 'global-cluster', playbooks: ['region-promotion'] },
  'rds:RemoveFromGlobalCluster': { actions: ['rds:RemoveFromGlobalCluster'], resource: 'global-cluster', playbooks: ['region-promotion'] },
  // in-region failover: the AZ-loss recovery's port (no activity calls it yet)
  'rds:FailoverDBCluster': { actions: ['rds:FailoverDBCluster'], resource: 'clusters', playbooks: ['az-loss'], tagScoped: true },
  'rds:BacktrackDBCluster': { actions: ['rds:BacktrackDBCluster'], resource: 'clusters', playbooks: ['backtrack-drill'], tagScoped: true },
  'rds:DescribeDBClusterBacktracks': { actions: ['rds:DescribeDBClusterBacktracks'], resource: 'clusters', playbooks: ['backtrack-drill'] },
  'rds:RestoreDBClusterToPointInTime': {
    actions: ['rds:RestoreDBClusterToPointInTime', 'rds:AddTagsToResource'],
    resource: 'restore-sources',
    playbooks: ['restore-verification'],
  },
  'rds:RestoreDBClusterFromSnapshot': {
    actions: ['rds:RestoreDBClusterFromSnapshot', 'rds:AddTagsToResource'],
    resource: 'restore-sources',
    playbooks: ['restore-verification'],
  },
  'rds:CreateDBInstance': {
    actions: ['rds:CreateDBInstance', 'rds:AddTagsToResource'],
    resource: 'drill-instances',
    playbooks: ['restore-verification'],
  },
  'rds:DeleteDBInstance': {
    actions: ['rds:DeleteDBInstance'],
    resource: 'drill-instances',
    playbooks: ['restore-verification'],
    ownedOnly: true,
  },
  'rds:DeleteDBCluster': {
    actions: ['rds:DeleteDBCluster'],
    resource: 'drill-clusters',
    playbooks: ['restore-verification'],
    ownedOnly: true,
  },
  // the drills' RDS event timeline (port method, no activity calls it yet)
  'rds:DescribeEvents': { actions: ['rds:DescribeEvents'], resource: 'any', playbooks: ['region-promotion', 'restore-verification'] },

  // Route 53 (route53-adapter.ts)
  'route53:ListResourceRecordSets': {
    actions: ['route53:ListResourceRecordSets'],
    resource: 'hosted-zone',
    playbooks: ['preflight', 'region-promotion'],
  },
  'route53:ChangeResourceRecordSets': {
    actions: ['route53:ChangeResourceRecordSets'],
    resource: 'hosted-zone',
    playbooks: ['region-promotion'],
    recordNameScoped: true,
  },
  'route53:GetChange': { actions: ['route53:GetChange'], resource: 'route53-change', playbooks: ['region-promotion'] },
  'route53:GetHealthCheckStatus': { actions: ['route53:GetHealthCheckStatus'], resource: 'health-checks', playbooks: ['preflight'] },

  // Route 53 ARC data plane (arc-adapter.ts)
  'route53-recovery-cluster:GetRoutingControlState': {
    actions: ['route53-recovery-cluster:GetRoutingControlState'],
    resource: 'routing-controls',
    playbooks: ['preflight', 'region-promotion'],
  },
  'route53-recovery-cluster:UpdateRoutingControlStates': {
    actions: ['route53-recovery-cluster:UpdateRoutingControlStates'],
    resource: 'routing-controls',
    playbooks: ['region-promotion'],
  },

  // FIS (fis-adapter.ts); templates are tagged gameday-managed, so reads and writes are scoped by it
  'fis:CreateExperimentTemplate': {
    actions: ['fis:CreateExperimentTemplate', 'fis:TagResource'],
    resource: 'fis-templates',
    playbooks: ['az-loss'],
  },
  'fis:UpdateExperimentTemplate': { actions: ['fis:UpdateExperimentTemplate'], resource: 'fis-templates', playbooks: ['az-loss'] },
  'fis:GetExperimentTemplate': { actions: ['fis:GetExperimentTemplate'], resource: 'fis-templates', playbooks: ['az-loss'] },
  'fis:ListExperimentTemplates': { actions: ['fis:ListExperimentTemplates'], resource: 'any', playbooks: ['az-loss'] },
  'fis:StartExperiment': { actions: ['fis:StartExperiment', 'fis:TagResource'], resource: 'fis-experiments', playbooks: ['az-loss'] },
  'fis:GetExperiment': { actions: ['fis:GetExperiment'], resource: 'fis-experiments', playbooks: ['az-loss'] },
  'fis:StopExperiment': { actions: ['fis:StopExperiment'], resource: 'fis-experiments', playbooks: ['az-loss'] },

  // CloudWatch (cloudwatch-adapter.ts)
  'cloudwatch:DescribeAlarms': { actions: ['cloudwatch:DescribeAlarms'], resource: 'alarms', playbooks: ALL },
  'cloudwatch:GetMetricData': { actions: ['cloudwatch:GetMetricData'], resource: 'any', playbooks: ALL },
  'cloudwatch:PutMetricData': {
    actions: ['cloudwatch:PutMetricData'],
    resource: 'any',
    playbooks: DRILLS,
    conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
  },

  // SSM (ssm-adapter.ts)
  'ssm:GetParameter': { actions: ['ssm:GetParameter'], resource: 'app-parameter', playbooks: ['preflight', 'region-promotion'] },
  'ssm:PutParameter': { actions: ['ssm:PutParameter'], resource: 'app-parameter', playbooks: ['region-promotion'] },
  'ssm:StartAutomationExecution': {
    actions: ['ssm:StartAutomationExecution'],
    resource: 'automation-documents',
    playbooks: ['region-promotion'],
  },
  'ssm:GetAutomationExecution': {
    actions: ['ssm:GetAutomationExecution'],
    resource: 'automation-executions',
    playbooks: ['region-promotion'],
  },
  // undo of a started automation (port method, no activity calls it yet)
  'ssm:StopAutomationExecution': {
    actions: ['ssm:StopAutomationExecution'],
    resource: 'automation-executions',
    playbooks: ['region-promotion'],
  },

  // ElastiCache (elasticache-adapter.ts)
  'elasticache:DescribeReplicationGroups': {
    actions: ['elasticache:DescribeReplicationGroups'],
    resource: 'replication-groups',
    playbooks: ['preflight', 'az-loss'],
  },
  // primary failover test: the AZ-loss recovery's port (no activity calls it yet)
  'elasticache:TestFailover': {
    actions: ['elasticache:TestFailover'],
    resource: 'replication-groups',
    playbooks: ['az-loss'],
    tagScoped: true,
  },

  // Secrets Manager (secrets-adapter.ts): the canary and the restore SQL checks read DB credentials
  'secretsmanager:GetSecretValue': { actions: ['secretsmanager:GetSecretValue'], resource: 'canary-secret', playbooks: DRILLS },

  // STS: the client factory reaches a runbook account through a role (`roleArnForAccount`); the
  // credential provider sends AssumeRole on the first call of any adapter in that account
  'sts:AssumeRole': { actions: ['sts:AssumeRole'], resource: 'account-roles', playbooks: ALL, crossAccount: true },

  // EC2 Auto Scaling (autoscaling-adapter.ts): no resource-level permission for Describe*
  'autoscaling:DescribeAutoScalingGroups': { actions: ['autoscaling:DescribeAutoScalingGroups'], resource: 'any', playbooks: ['az-loss'] },
};

/** Extra worker permissions no single SDK command names: FIS templates name the experiment role. */
export const PASS_FIS_ROLE = {
  actions: ['iam:PassRole'],
  resource: 'fis-role',
  playbooks: ['az-loss'],
} as const satisfies AdapterCommandPermission;

/** The IAM side of one FIS action: what the experiment role needs, and on what. */
export interface FisActionPermission {
  /** Actions on the template's target resources (ARNs or the target tag). */
  readonly onTargets: readonly string[];
  /**
   * Resource type of the targets, as in `arn:<partition>:<service>:<region>:<account>:<type>/…`;
   * `type: '*'` for actions on resources the action itself creates (ACLs, route tables); `'*'` for
   * actions that accept only `Resource: "*"`.
   */
  readonly targetArn: { readonly service: string; readonly type: string; readonly separator: '/' | ':' } | '*';
  /** Read or helper actions that accept only `*`. */
  readonly onAny: readonly string[];
}

/**
 * Permissions of each FIS action id the template library (`runbooks/fis/*.json`) uses, from the
 * FIS action reference. Network actions create and delete their own ACLs / route tables.
 */
export const FIS_ACTIONS: Readonly<Record<string, FisActionPermission>> = {
  'aws:rds:failover-db-cluster': {
    onTargets: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'],
    targetArn: { service: 'rds', type: 'cluster', separator: ':' },
    onAny: [],
  },
  'aws:ec2:stop-instances': {
    onTargets: ['ec2:StopInstances', 'ec2:StartInstances'],
    targetArn: { service: 'ec2', type: 'instance', separator: '/' },
    onAny: ['ec2:DescribeInstances'],
  },
  'aws:ec2:asg-insufficient-instance-capacity-error': {
    onTargets: ['ec2:InjectApiError'],
    targetArn: '*',
    onAny: ['autoscaling:DescribeAutoScalingGroups'],
  },
  'aws:ebs:pause-volume-io': {
    onTargets: ['ec2:PauseVolumeIO'],
    targetArn: { service: 'ec2', type: 'volume', separator: '/' },
    onAny: ['ec2:DescribeVolumes'],
  },
  'aws:network:disrupt-connectivity': {
    onTargets: [
      'ec2:CreateNetworkAcl',
      'ec2:CreateNetworkAclEntry',
      'ec2:DeleteNetworkAcl',
      'ec2:ReplaceNetworkAclAssociation',
      'ec2:CreateTags',
      'ec2:GetManagedPrefixListEntries',
    ],
    targetArn: { service: 'ec2', type: '*', separator: '/' },
    onAny: ['ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeManagedPrefixLists'],
  },
  'aws:network:route-table-disrupt-cross-region-connectivity': {
    onTargets: [
      'ec2:CreateRouteTable',
      'ec2:DeleteRouteTable',
      'ec2:CreateRoute',
      'ec2:AssociateRouteTable',
      'ec2:DisassociateRouteTable',
      'ec2:ReplaceRouteTableAssociation',
      'ec2:CreateManagedPrefixList',
      'ec2:ModifyManagedPrefixList',
      'ec2:DeleteManagedPrefixList',
      'ec2:CreateTags',
      'ec2:GetManagedPrefixListEntries',
    ],
    targetArn: { service: 'ec2', type: '*', separator: '/' },
    onAny: [
      'ec2:DescribeRouteTables',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeManagedPrefixLists',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeTransitGateways',
      'ec2:DescribeTransitGatewayAttachments',
    ],
  },
  'aws:elasticache:replicationgroup-interrupt-az-power': {
    onTargets: ['elasticache:InterruptClusterAzPower', 'elasticache:DescribeReplicationGroups'],
    targetArn: { service: 'elasticache', type: 'replicationgroup', separator: ':' },
    onAny: ['tag:GetResources'],
  },
};
