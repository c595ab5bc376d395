/**
 * Adapter tests with aws-sdk-client-mock, only for what moto lacks: Aurora global switchover and
 * failover, Backtrack, ElastiCache TestFailover, SSM Automation, ARC routing controls (with
 * endpoint fallback), composite alarms and paging. Asserts the exact command input sent and the
 * mapping of the response.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeReplicationGroupsCommand, ElastiCacheClient, TestFailoverCommand } from '@aws-sdk/client-elasticache';
import {
  BacktrackDBClusterCommand,
  DescribeDBClusterBacktracksCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  InvalidGlobalClusterStateFault,
  RDSClient,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
  type GlobalCluster as SdkGlobalCluster,
} from '@aws-sdk/client-rds';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  AccessDeniedException,
  ConflictException,
  EndpointTemporarilyUnavailableException,
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import {
  GetAutomationExecutionCommand,
  SSMClient,
  StartAutomationExecutionCommand,
  StopAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { mockClient, recordAdapterCommands, recordedCommands, uncoveredCommands } from './helpers/aws-command-recorder';
import { ArcEndpointsMissingError, createArcAdapter, regionOfArcEndpoint } from '../activities/aws/arc-adapter';
import { createCloudWatchAdapter } from '../activities/aws/cloudwatch-adapter';
import { createElastiCacheAdapter } from '../activities/aws/elasticache-adapter';
import { createRdsAdapter } from '../activities/aws/rds-adapter';
import { createRoute53Adapter } from '../activities/aws/route53-adapter';
import { createSsmAdapter } from '../activities/aws/ssm-adapter';

recordAdapterCommands();

const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const PRIMARY_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:app-east';
const SECONDARY_ARN = 'arn:aws:rds:us-west-2:123456789012:cluster:app-west';

const sdkGlobal = (extra: Partial<SdkGlobalCluster> = {}): SdkGlobalCluster => ({
  GlobalClusterIdentifier: 'app-global',
  GlobalClusterArn: 'arn:aws:rds::123456789012:global-cluster:app-global',
  Status: 'switching-over',
  Engine: 'aurora-postgresql',
  EngineVersion: '15.4',
  Endpoint: 'app-global.global-abc.global.rds.amazonaws.com',
  GlobalClusterMembers: [
    { DBClusterArn: PRIMARY_ARN, IsWriter: true, Readers: [SECONDARY_ARN], SynchronizationStatus: 'connected' },
    { DBClusterArn: SECONDARY_ARN, IsWriter: false, Readers: [] },
  ],
  ...extra,
});

describe('RDS adapter (mocked SDK)', () => {
  const client = new RDSClient({ region: 'us-east-1', credentials: creds });
  const mock = mockClient(client);
  const rds = createRdsAdapter(client, 'us-east-1');
  beforeEach(() => mock.reset());

  test('switchoverGlobalCluster sends the target ARN and maps the failover state', async () => {
    mock.on(SwitchoverGlobalClusterCommand).resolves({
      GlobalCluster: sdkGlobal({
        FailoverState: { Status: 'pending', FromDbClusterArn: PRIMARY_ARN, ToDbClusterArn: SECONDARY_ARN, IsDataLossAllowed: false },
      }),
    });
    const g = await rds.switchoverGlobalCluster({ globalClusterIdentifier: 'app-global', targetDbClusterArn: SECONDARY_ARN });
    expect(mock.commandCalls(SwitchoverGlobalClusterCommand).map((c) => c.args[0].input)).toEqual([
      { GlobalClusterIdentifier: 'app-global', TargetDbClusterIdentifier: SECONDARY_ARN },
    ]);
    expect(g).toEqual({
      globalClusterIdentifier: 'app-global',
      globalClusterArn: 'arn:aws:rds::123456789012:global-cluster:app-global',
      status: 'switching-over',
      engine: 'aurora-postgresql',
      engineVersion: '15.4',
      endpoint: 'app-global.global-abc.global.rds.amazonaws.com',
      members: [
        { dbClusterArn: PRIMARY_ARN, isWriter: true, readers: [SECONDARY_ARN], synchronizationStatus: 'connected' },
        { dbClusterArn: SECONDARY_ARN, isWriter: false, readers: [] },
      ],
      failoverState: { status: 'pending', fromDbClusterArn: PRIMARY_ARN, toDbClusterArn: SECONDARY_ARN, isDataLossAllowed: false },
    });
  });

  test('failoverGlobalCluster with allowDataLoss sends AllowDataLoss and never Switchover', async () => {
    mock.on(FailoverGlobalClusterCommand).resolves({ GlobalCluster: sdkGlobal({ Status: 'failing-over' }) });
    const g = await rds.failoverGlobalCluster({
      globalClusterIdentifier: 'app-global',
      targetDbClusterArn: SECONDARY_ARN,
      allowDataLoss: true,
    });
    const input = mock.commandCalls(FailoverGlobalClusterCommand)[0]!.args[0].input;
    expect(input).toEqual({ GlobalClusterIdentifier: 'app-global', TargetDbClusterIdentifier: SECONDARY_ARN, AllowDataLoss: true });
    expect(input).not.toHaveProperty('Switchover');
    expect(g.status).toBe('failing-over');
  });

  test('failoverGlobalCluster without data loss is a switchover: Switchover only', async () => {
    mock.on(FailoverGlobalClusterCommand).resolves({ GlobalCluster: sdkGlobal() });
    await rds.failoverGlobalCluster({ globalClusterIdentifier: 'app-global', targetDbClusterArn: SECONDARY_ARN, allowDataLoss: false });
    const input = mock.commandCalls(FailoverGlobalClusterCommand)[0]!.args[0].input;
    expect(input).toEqual({ GlobalClusterIdentifier: 'app-global', TargetDbClusterIdentifier: SECONDARY_ARN, Switchover: true });
    expect(input).not.toHaveProperty('AllowDataLoss');
  });

  test('removeFromGlobalCluster sends DbClusterIdentifier = ARN; a bare answer is completed by a describe', async () => {
    mock.on(RemoveFromGlobalClusterCommand).resolves({});
    mock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [sdkGlobal({ Status: 'available' })] });
    const g = await rds.removeFromGlobalCluster({ globalClusterIdentifier: 'app-global', dbClusterArn: SECONDARY_ARN });
    expect(mock.commandCalls(RemoveFromGlobalClusterCommand)[0]!.args[0].input).toEqual({
      GlobalClusterIdentifier: 'app-global',
      DbClusterIdentifier: SECONDARY_ARN,
    });
    expect(mock.commandCalls(DescribeGlobalClustersCommand)[0]!.args[0].input).toEqual({ GlobalClusterIdentifier: 'app-global' });
    expect(g.status).toBe('available');
  });

  test('an SDK fault propagates with its name', async () => {
    mock
      .on(SwitchoverGlobalClusterCommand)
      .rejects(new InvalidGlobalClusterStateFault({ message: 'Global cluster is switching over', $metadata: { httpStatusCode: 400 } }));
    await expect(
      rds.switchoverGlobalCluster({ globalClusterIdentifier: 'app-global', targetDbClusterArn: SECONDARY_ARN }),
    ).rejects.toMatchObject({ name: 'InvalidGlobalClusterStateFault' });
  });

  test('backtrackDbCluster sends BacktrackTo as a Date and maps epoch ms', async () => {
    const to = Date.UTC(2026, 0, 2, 3, 4, 5);
    mock.on(BacktrackDBClusterCommand).resolves({
      DBClusterIdentifier: 'app-mysql',
      BacktrackIdentifier: 'bt-1',
      BacktrackTo: new Date(to + 1000),
      BacktrackedFrom: new Date(to + 60_000),
      BacktrackRequestCreationTime: new Date(to + 61_000),
      Status: 'pending',
    });
    const bt = await rds.backtrackDbCluster({ dbClusterIdentifier: 'app-mysql', backtrackTo: to });
    expect(mock.commandCalls(BacktrackDBClusterCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: 'app-mysql',
      BacktrackTo: new Date(to),
    });
    expect(bt).toEqual({
      backtrackIdentifier: 'bt-1',
      status: 'pending',
      backtrackTo: to + 1000,
      backtrackedFrom: to + 60_000,
      backtrackRequestCreationTime: to + 61_000,
    });
  });

  test('describeDbClusterBacktracks follows Marker pages', async () => {
    mock
      .on(DescribeDBClusterBacktracksCommand, { DBClusterIdentifier: 'app-mysql', BacktrackIdentifier: 'bt-1', Marker: undefined })
      .resolves({ DBClusterBacktracks: [{ BacktrackIdentifier: 'bt-1', Status: 'applying', BacktrackTo: new Date(1000) }], Marker: 'p2' })
      .on(DescribeDBClusterBacktracksCommand, { Marker: 'p2' })
      .resolves({ DBClusterBacktracks: [{ BacktrackIdentifier: 'bt-1', Status: 'completed', BacktrackTo: new Date(2000) }] });
    const list = await rds.describeDbClusterBacktracks({ dbClusterIdentifier: 'app-mysql', backtrackIdentifier: 'bt-1' });
    expect(list).toEqual([
      { backtrackIdentifier: 'bt-1', status: 'applying', backtrackTo: 1000 },
      { backtrackIdentifier: 'bt-1', status: 'completed', backtrackTo: 2000 },
    ]);
    expect(mock.commandCalls(DescribeDBClusterBacktracksCommand)).toHaveLength(2);
  });

  test('listDbClusters pages through every Marker before filtering on tags', async () => {
    mock
      .on(DescribeDBClustersCommand, { Marker: undefined })
      .resolves({
        DBClusters: [{ DBClusterIdentifier: 'a', TagList: [{ Key: 'gameday:run', Value: 'r1' }] }, { DBClusterIdentifier: 'b' }],
        Marker: 'm2',
      })
      .on(DescribeDBClustersCommand, { Marker: 'm2' })
      .resolves({ DBClusters: [{ DBClusterIdentifier: 'c', TagList: [{ Key: 'gameday:run', Value: 'r1' }] }] });
    const list = await rds.listDbClusters({ tags: { 'gameday:run': 'r1' } });
    expect(list.map((c) => c.dbClusterIdentifier)).toEqual(['a', 'c']);
  });
});

describe('ElastiCache adapter (mocked SDK)', () => {
  const client = new ElastiCacheClient({ region: 'us-east-1', credentials: creds });
  const mock = mockClient(client);
  const ec = createElastiCacheAdapter(client);
  beforeEach(() => mock.reset());

  test('testFailover sends the node group and maps the replication group', async () => {
    mock.on(TestFailoverCommand).resolves({
      ReplicationGroup: {
        ReplicationGroupId: 'cache',
        Status: 'modifying',
        AutomaticFailover: 'enabled',
        MultiAZ: 'enabled',
        NodeGroups: [
          {
            NodeGroupId: '0001',
            Status: 'modifying',
            NodeGroupMembers: [
              { CacheClusterId: 'cache-001', CurrentRole: 'primary', PreferredAvailabilityZone: 'us-east-1a' },
              { CacheClusterId: 'cache-002', CurrentRole: 'replica', PreferredAvailabilityZone: 'us-east-1b' },
            ],
          },
        ],
      },
    });
    const g = await ec.testFailover({ replicationGroupId: 'cache', nodeGroupId: '0001' });
    expect(mock.commandCalls(TestFailoverCommand)[0]!.args[0].input).toEqual({ ReplicationGroupId: 'cache', NodeGroupId: '0001' });
    expect(g).toEqual({
      replicationGroupId: 'cache',
      status: 'modifying',
      automaticFailover: 'enabled',
      multiAz: 'enabled',
      nodeGroups: [
        {
          nodeGroupId: '0001',
          status: 'modifying',
          members: [
            { cacheClusterId: 'cache-001', currentRole: 'primary', availabilityZone: 'us-east-1a' },
            { cacheClusterId: 'cache-002', currentRole: 'replica', availabilityZone: 'us-east-1b' },
          ],
        },
      ],
    });
  });

  test('an empty describe answer is ReplicationGroupNotFoundFault', async () => {
    mock.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [] });
    await expect(ec.describeReplicationGroup('cache')).rejects.toMatchObject({ name: 'ReplicationGroupNotFoundFault' });
  });
});

describe('SSM Automation (mocked SDK)', () => {
  const client = new SSMClient({ region: 'us-east-1', credentials: creds });
  const mock = mockClient(client);
  const ssm = createSsmAdapter(client);
  beforeEach(() => mock.reset());

  test('start sends the caller token and parameters; get maps status and times; stop cancels', async () => {
    const token = '6f1c1a4e-7d8e-4f3a-9b2c-0d1e2f3a4b5c';
    mock.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: 'exec-1' });
    mock.on(GetAutomationExecutionCommand).resolves({
      AutomationExecution: {
        AutomationExecutionId: 'exec-1',
        DocumentName: 'AWS-RestartEC2Instance',
        AutomationExecutionStatus: 'Failed',
        FailureMessage: 'Step fails',
        ExecutionStartTime: new Date(1_000),
        ExecutionEndTime: new Date(5_000),
        Outputs: { 'restart.Output': ['x'] },
      },
    });
    mock.on(StopAutomationExecutionCommand).resolves({});

    const started = await ssm.startAutomationExecution({
      documentName: 'AWS-RestartEC2Instance',
      parameters: { InstanceId: ['i-123'] },
      clientToken: token,
    });
    expect(started).toEqual({ automationExecutionId: 'exec-1' });
    expect(mock.commandCalls(StartAutomationExecutionCommand)[0]!.args[0].input).toEqual({
      DocumentName: 'AWS-RestartEC2Instance',
      Parameters: { InstanceId: ['i-123'] },
      ClientToken: token,
    });

    expect(await ssm.getAutomationExecution('exec-1')).toEqual({
      automationExecutionId: 'exec-1',
      documentName: 'AWS-RestartEC2Instance',
      status: 'Failed',
      failureMessage: 'Step fails',
      startTime: 1_000,
      endTime: 5_000,
      outputs: { 'restart.Output': ['x'] },
    });

    await ssm.stopAutomationExecution('exec-1');
    expect(mock.commandCalls(StopAutomationExecutionCommand)[0]!.args[0].input).toEqual({
      AutomationExecutionId: 'exec-1',
      Type: 'Cancel',
    });
  });
});

describe('CloudWatch adapter (mocked SDK)', () => {
  const client = new CloudWatchClient({ region: 'us-east-1', credentials: creds });
  const mock = mockClient(client);
  const cw = createCloudWatchAdapter(client);
  beforeEach(() => mock.reset());

  test('describeAlarms asks for composite alarms too and maps both kinds; 150 names → 2 calls', async () => {
    mock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'm', StateValue: 'OK', StateReason: 'fine', StateUpdatedTimestamp: new Date(10) }],
      CompositeAlarms: [{ AlarmName: 'c', StateValue: 'ALARM', StateUpdatedTimestamp: new Date(20) }],
    });
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    const alarms = await cw.describeAlarms(names);
    const inputs = mock.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.AlarmNames?.length)).toEqual([100, 50]);
    for (const i of inputs) expect(i.AlarmTypes).toEqual(['MetricAlarm', 'CompositeAlarm']);
    expect(alarms.slice(0, 2)).toEqual([
      { alarmName: 'm', stateValue: 'OK', stateReason: 'fine', stateUpdatedAt: 10 },
      { alarmName: 'c', stateValue: 'ALARM', stateUpdatedAt: 20 },
    ]);
  });

  test('getMetricData follows NextToken and returns points oldest first', async () => {
    mock
      .on(GetMetricDataCommand, { NextToken: undefined })
      .resolves({ MetricDataResults: [{ Id: 'm0', Timestamps: [new Date(3000), new Date(1000)], Values: [3, 1] }], NextToken: 't2' })
      .on(GetMetricDataCommand, { NextToken: 't2' })
      .resolves({ MetricDataResults: [{ Id: 'm0', Timestamps: [new Date(2000)], Values: [2] }] });
    const r = await cw.getMetricData({
      namespace: 'AWS/RDS',
      metricName: 'AuroraGlobalDBRPOLag',
      dimensions: { DBClusterIdentifier: 'app-west' },
      stat: 'Maximum',
      periodSeconds: 60,
      startTime: 0,
      endTime: 10_000,
    });
    expect(r).toEqual({ timestamps: [1000, 2000, 3000], values: [1, 2, 3] });
    const first = mock.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(first.MetricDataQueries).toEqual([
      {
        Id: 'm0',
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/RDS',
            MetricName: 'AuroraGlobalDBRPOLag',
            Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'app-west' }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      },
    ]);
  });
});

describe('Route 53 listResourceRecordSets paging (mocked SDK)', () => {
  const client = new Route53Client({ region: 'us-east-1', credentials: creds });
  const mock = mockClient(client);
  const r53 = createRoute53Adapter(client);
  beforeEach(() => mock.reset());

  test('pages with NextRecord* and stops once past the wanted name', async () => {
    mock
      .on(ListResourceRecordSetsCommand, { StartRecordName: 'db.example.com' })
      .resolves({
        ResourceRecordSets: [
          { Name: 'db.example.com.', Type: 'CNAME', SetIdentifier: 'a', Weight: 1, TTL: 5, ResourceRecords: [{ Value: 'a' }] },
        ],
        IsTruncated: true,
        NextRecordName: 'db.example.com.',
        NextRecordType: 'CNAME',
        NextRecordIdentifier: 'b',
      })
      .on(ListResourceRecordSetsCommand, { StartRecordIdentifier: 'b' })
      .resolves({
        ResourceRecordSets: [
          { Name: 'db.example.com.', Type: 'CNAME', SetIdentifier: 'b', Weight: 0, TTL: 5, ResourceRecords: [{ Value: 'b' }] },
          { Name: 'www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] },
        ],
        IsTruncated: true,
        NextRecordName: 'zzz.example.com.',
        NextRecordType: 'A',
      });
    const records = await r53.listResourceRecordSets({ hostedZoneId: 'Z1', name: 'db.example.com' });
    expect(records.map((r) => [r.name, r.setIdentifier, r.weight])).toEqual([
      ['db.example.com', 'a', 1],
      ['db.example.com', 'b', 0],
    ]);
    expect(mock.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(2);
    expect(mock.commandCalls(ListResourceRecordSetsCommand)[1]!.args[0].input).toEqual({
      HostedZoneId: 'Z1',
      StartRecordName: 'db.example.com.',
      StartRecordType: 'CNAME',
      StartRecordIdentifier: 'b',
    });
  });
});

describe('ARC routing controls (mocked SDK, one client per cluster endpoint)', () => {
  const endpoints = [
    'https://aaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1',
    'https://bbb.route53-recovery-cluster.us-west-2.amazonaws.com/v1',
    'https://ccc.route53-recovery-cluster.eu-west-1.amazonaws.com/v1',
  ];
  const RC = 'arn:aws:route53-recovery-control::123456789012:controlpanel/abc/routingcontrol/east';
  const meta = { $metadata: { httpStatusCode: 503 } };
  let clients: Map<string, Route53RecoveryClusterClient>;
  let mocks: Map<string, AwsClientStub<Route53RecoveryClusterClient>>;
  let regions: Map<string, string>;

  const adapter = () =>
    createArcAdapter({
      clusterEndpoints: endpoints,
      defaultRegion: 'us-east-1',
      clientFor: (endpoint, region) => {
        regions.set(endpoint, region);
        return clients.get(endpoint)!;
      },
    });

  beforeEach(() => {
    clients = new Map(
      endpoints.map((e) => [e, new Route53RecoveryClusterClient({ region: 'us-east-1', endpoint: e, credentials: creds })]),
    );
    mocks = new Map(endpoints.map((e) => [e, mockClient(clients.get(e)!)]));
    regions = new Map();
  });
  afterEach(() => {
    for (const m of mocks.values()) m.restore();
  });
  const callsOn = (i: number) => mocks.get(endpoints[i]!)!.calls().length;

  test('reads the state from the first endpoint, each client in its own region', async () => {
    mocks.get(endpoints[0]!)!.on(GetRoutingControlStateCommand).resolves({ RoutingControlArn: RC, RoutingControlState: 'On' });
    const s = await adapter().getRoutingControlState(RC);
    expect(s).toEqual({ routingControlArn: RC, state: 'On' });
    expect(mocks.get(endpoints[0]!)!.commandCalls(GetRoutingControlStateCommand)[0]!.args[0].input).toEqual({ RoutingControlArn: RC });
    expect(regions.get(endpoints[0]!)).toBe('us-east-1');
    expect(callsOn(1)).toBe(0);
  });

  test('falls back on EndpointTemporarilyUnavailable and Conflict, then prefers the endpoint that answered', async () => {
    mocks
      .get(endpoints[0]!)!
      .on(GetRoutingControlStateCommand)
      .rejects(new EndpointTemporarilyUnavailableException({ message: 'try another', ...meta }));
    mocks
      .get(endpoints[1]!)!
      .on(GetRoutingControlStateCommand)
      .rejects(new ConflictException({ message: 'try again', $metadata: {} } as never));
    mocks.get(endpoints[2]!)!.on(GetRoutingControlStateCommand).resolves({ RoutingControlArn: RC, RoutingControlState: 'Off' });
    const arc = adapter();
    expect(await arc.getRoutingControlState(RC)).toEqual({ routingControlArn: RC, state: 'Off' });
    expect([callsOn(0), callsOn(1), callsOn(2)]).toEqual([1, 1, 1]);
    expect(regions.get(endpoints[2]!)).toBe('eu-west-1');
    await arc.getRoutingControlState(RC);
    expect([callsOn(0), callsOn(1), callsOn(2)]).toEqual([1, 1, 2]);
  });

  test('falls back on a network error', async () => {
    const netErr = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    mocks.get(endpoints[0]!)!.on(GetRoutingControlStateCommand).rejects(netErr);
    mocks.get(endpoints[1]!)!.on(GetRoutingControlStateCommand).resolves({ RoutingControlArn: RC, RoutingControlState: 'On' });
    expect((await adapter().getRoutingControlState(RC)).state).toBe('On');
  });

  test('a non-retryable error (AccessDenied) is thrown at once without trying other endpoints', async () => {
    mocks
      .get(endpoints[0]!)!
      .on(GetRoutingControlStateCommand)
      .rejects(new AccessDeniedException({ message: 'no', $metadata: {} }));
    await expect(adapter().getRoutingControlState(RC)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect([callsOn(0), callsOn(1), callsOn(2)]).toEqual([1, 0, 0]);
  });

  test('when every endpoint is unavailable, the last error is thrown', async () => {
    for (const [i, e] of endpoints.entries()) {
      mocks
        .get(e)!
        .on(UpdateRoutingControlStatesCommand)
        .rejects(new EndpointTemporarilyUnavailableException({ message: `down ${i}`, ...meta }));
    }
    await expect(adapter().updateRoutingControlStates({ entries: [{ routingControlArn: RC, state: 'Off' }] })).rejects.toMatchObject({
      name: 'EndpointTemporarilyUnavailableException',
      message: 'down 2',
    });
  });

  test('updateRoutingControlStates sends every entry and the safety rules to override', async () => {
    mocks.get(endpoints[0]!)!.on(UpdateRoutingControlStatesCommand).resolves({});
    const RC2 = RC.replace('east', 'west');
    await adapter().updateRoutingControlStates({
      entries: [
        { routingControlArn: RC, state: 'Off' },
        { routingControlArn: RC2, state: 'On' },
      ],
      safetyRulesToOverride: ['arn:aws:route53-recovery-control::123456789012:safetyrule/min-one-on'],
    });
    expect(mocks.get(endpoints[0]!)!.commandCalls(UpdateRoutingControlStatesCommand)[0]!.args[0].input).toEqual({
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: RC, RoutingControlState: 'Off' },
        { RoutingControlArn: RC2, RoutingControlState: 'On' },
      ],
      SafetyRulesToOverride: ['arn:aws:route53-recovery-control::123456789012:safetyrule/min-one-on'],
    });
  });

  test('no cluster endpoints is a clear configuration error', async () => {
    const arc = createArcAdapter({ clusterEndpoints: [], defaultRegion: 'us-east-1' });
    await expect(arc.getRoutingControlState(RC)).rejects.toThrow(ArcEndpointsMissingError);
    await expect(arc.getRoutingControlState(RC)).rejects.toThrow(/arc\.clusterEndpoints/);
  });

  test('regionOfArcEndpoint reads the region from the endpoint URL', () => {
    expect(regionOfArcEndpoint(endpoints[1]!)).toBe('us-west-2');
    expect(regionOfArcEndpoint('https://host.example.test/v1')).toBeUndefined();
  });
});

describe('IAM policy coverage', () => {
  it('gameday iam-policy allows every AWS command the adapters sent in this file', () => {
    expect(recordedCommands().length).toBeGreaterThan(0);
    expect(uncoveredCommands(recordedCommands())).toEqual([]);
  });
});
