/**
 * Contract tests of the SDK v3 adapters against a real moto server, through
 * `createSdkAwsClients({ endpoint })`: fixtures are made with the raw SDK clients, then every
 * port call moto implements is exercised and its mapped result (and error names) checked.
 */
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateReplicationGroupCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateGlobalClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { CreateHealthCheckCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSdkAwsClients } from '../activities/aws/client-factory';
import { classifyAwsError } from '../activities/aws/errors';
import type { AwsClients, FisExperimentTemplateInput } from '../activities/aws/ports';
import { startMoto, useFakeAwsCredentials, type MotoServer } from './helpers/moto';
import { recordAdapterCommands, recordedCommands, uncoveredCommands } from './helpers/aws-command-recorder';

recordAdapterCommands();

const REGION = 'us-east-1';
let moto: MotoServer;
let restoreEnv: () => void;
let aws: AwsClients;
let raw: { region: string; endpoint: string; maxAttempts: number };

/** Captures the rejection of `p` (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<{ name: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  restoreEnv = useFakeAwsCredentials();
  moto = await startMoto();
  raw = { region: REGION, endpoint: moto.endpoint, maxAttempts: 1 };
  aws = createSdkAwsClients({ endpoint: moto.endpoint, maxAttempts: 1 });
});

afterAll(async () => {
  await moto?.stop();
  restoreEnv?.();
});

describe('client factory', () => {
  test('is real mode and caches one port per (service, region, account)', () => {
    expect(aws.mode).toBe('real');
    expect(aws.rds({ region: REGION })).toBe(aws.rds({ region: REGION }));
    expect(aws.rds({ region: REGION })).not.toBe(aws.rds({ region: 'us-west-2' }));
    expect(aws.rds({ region: REGION, accountId: '111111111111' })).not.toBe(aws.rds({ region: REGION }));
    expect(aws.rds({ region: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(aws.route53()).toBe(aws.route53({ region: 'eu-west-1' }));
  });
});

describe('client factory assume-role per account on moto', () => {
  test('a port for a runbook account uses the assumed role (its own moto account)', async () => {
    const roleCalls: string[] = [];
    const multi = createSdkAwsClients({
      endpoint: moto.endpoint,
      maxAttempts: 1,
      roleArnForAccount: (accountId) => {
        roleCalls.push(accountId);
        return accountId === '111111111111' ? 'arn:aws:iam::111111111111:role/gameday-runner' : undefined;
      },
    });
    const other = multi.ssm({ region: REGION, accountId: '111111111111' });
    await other.putParameter({ name: '/gameday/account-probe', value: 'in-111111111111', overwrite: true });
    expect(await other.getParameter('/gameday/account-probe')).toMatchObject({ value: 'in-111111111111' });
    // the default account (base credentials) does not see it
    expect(await multi.ssm({ region: REGION }).getParameter('/gameday/account-probe')).toBeUndefined();
    expect(roleCalls).toEqual(['111111111111']);
  });
});

describe('RDS adapter on moto', () => {
  const rdsRaw = () => new RDSClient(raw);
  let clusterArn = '';

  beforeAll(async () => {
    const c = await rdsRaw().send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'app-primary',
        Engine: 'aurora-postgresql',
        EngineVersion: '15.4',
        MasterUsername: 'admin_user',
        MasterUserPassword: 'not-a-real-password',
        Tags: [
          { Key: 'gameday:owner', Value: 'test' },
          { Key: 'team', Value: 'db' },
        ],
      }),
    );
    clusterArn = c.DBCluster!.DBClusterArn!;
    await rdsRaw().send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'other-cluster',
        Engine: 'aurora-mysql',
        MasterUsername: 'admin_user',
        MasterUserPassword: 'not-a-real-password',
        Tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    for (const id of ['app-primary-1', 'app-primary-2']) {
      await rdsRaw().send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBClusterIdentifier: 'app-primary',
          Engine: 'aurora-postgresql',
          DBInstanceClass: 'db.r6g.large',
        }),
      );
    }
  });

  test('describeDbCluster maps the cluster, its members and tags', async () => {
    const c = await aws.rds({ region: REGION }).describeDbCluster('app-primary');
    expect(c.dbClusterIdentifier).toBe('app-primary');
    expect(c.dbClusterArn).toBe(clusterArn);
    expect(c.status).toBe('available');
    expect(c.engine).toBe('aurora-postgresql');
    expect(c.endpoint).toMatch(/^app-primary\.cluster-/);
    expect(c.readerEndpoint).toMatch(/^app-primary\.cluster-ro-/);
    expect(c.tags).toEqual({ 'gameday:owner': 'test', team: 'db' });
    expect(c.members.map((m) => m.dbInstanceIdentifier).sort()).toEqual(['app-primary-1', 'app-primary-2']);
    expect(c.members.filter((m) => m.isClusterWriter)).toHaveLength(1);
    expect(typeof c.clusterCreateTime).toBe('number');
  });

  test('describeDbCluster of an unknown cluster rejects with DBClusterNotFoundFault (non-retryable)', async () => {
    const err = await rejection(aws.rds({ region: REGION }).describeDbCluster('nope'));
    expect(err.name).toBe('DBClusterNotFoundFault');
    expect(classifyAwsError(err)).toMatchObject({ category: 'not-found', retryable: false });
  });

  test('listDbClusters filters on tags client-side', async () => {
    const rds = aws.rds({ region: REGION });
    const all = await rds.listDbClusters();
    expect(all.map((c) => c.dbClusterIdentifier)).toEqual(expect.arrayContaining(['app-primary', 'other-cluster']));
    const tagged = await rds.listDbClusters({ tags: { 'gameday:owner': 'test' } });
    expect(tagged.map((c) => c.dbClusterIdentifier)).toEqual(['app-primary']);
    expect(await rds.listDbClusters({ tags: { team: 'nobody' } })).toEqual([]);
  });

  test('describeDbInstance and listDbInstances map instances', async () => {
    const rds = aws.rds({ region: REGION });
    const i = await rds.describeDbInstance('app-primary-1');
    expect(i).toMatchObject({
      dbInstanceIdentifier: 'app-primary-1',
      dbClusterIdentifier: 'app-primary',
      status: 'available',
      instanceClass: 'db.r6g.large',
    });
    expect(i.dbInstanceArn).toMatch(/^arn:aws:rds:us-east-1:\d{12}:db:app-primary-1$/);
    const list = await rds.listDbInstances({ dbClusterIdentifier: 'app-primary' });
    expect(list.map((x) => x.dbInstanceIdentifier).sort()).toEqual(['app-primary-1', 'app-primary-2']);
    const err = await rejection(rds.describeDbInstance('missing-instance'));
    expect(err.name).toBe('DBInstanceNotFoundFault');
  });

  test('failoverDbCluster moves the writer to the named reader', async () => {
    const rds = aws.rds({ region: REGION });
    const before = await rds.describeDbCluster('app-primary');
    const reader = before.members.find((m) => !m.isClusterWriter)!.dbInstanceIdentifier;
    const after = await rds.failoverDbCluster({ dbClusterIdentifier: 'app-primary', targetDbInstanceIdentifier: reader });
    expect(after.dbClusterIdentifier).toBe('app-primary');
    const now = await rds.describeDbCluster('app-primary');
    expect(now.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier).toBe(reader);
  });

  test('global cluster across two regions: describe maps writer and readers; removeFromGlobalCluster detaches by ARN', async () => {
    await rdsRaw().send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'app-global', Engine: 'aurora-postgresql' }));
    const primary = await rdsRaw().send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'g-primary',
        Engine: 'aurora-postgresql',
        MasterUsername: 'admin_user',
        MasterUserPassword: 'not-a-real-password',
        GlobalClusterIdentifier: 'app-global',
      }),
    );
    const secondary = await new RDSClient({ ...raw, region: 'us-west-2' }).send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'g-secondary',
        Engine: 'aurora-postgresql',
        GlobalClusterIdentifier: 'app-global',
      }),
    );
    const primaryArn = primary.DBCluster!.DBClusterArn!;
    const secondaryArn = secondary.DBCluster!.DBClusterArn!;
    const east = aws.rds({ region: REGION });
    const west = aws.rds({ region: 'us-west-2' });

    const g = await east.describeGlobalCluster('app-global');
    expect(g.globalClusterIdentifier).toBe('app-global');
    expect(g.globalClusterArn).toMatch(/global-cluster:app-global$/);
    expect(g.engine).toBe('aurora-postgresql');
    expect(g.status).toBe('available');
    expect(g.failoverState).toBeUndefined();
    expect(g.members).toEqual([
      expect.objectContaining({ dbClusterArn: primaryArn, isWriter: true, readers: [secondaryArn] }),
      expect.objectContaining({ dbClusterArn: secondaryArn, isWriter: false, readers: [] }),
    ]);
    expect((await west.describeDbCluster('g-secondary')).globalClusterIdentifier).toEqual(expect.stringContaining('app-global'));

    // moto removes members only in the region that stores the global cluster (real AWS: the
    // detached cluster's own region, asserted on the command input in adapters-mock.test.ts)
    const after = await east.removeFromGlobalCluster({ globalClusterIdentifier: 'app-global', dbClusterArn: primaryArn });
    expect(after.globalClusterIdentifier).toBe('app-global');
    expect((await east.describeGlobalCluster('app-global')).members.map((m) => m.dbClusterArn)).toEqual([secondaryArn]);

    const err = await rejection(east.describeGlobalCluster('no-such-global'));
    expect(err.name).toBe('GlobalClusterNotFoundFault');
  });

  test('restoreDbClusterToPointInTime, createDbInstance, delete instance and cluster', async () => {
    const rds = aws.rds({ region: REGION });
    const restored = await rds.restoreDbClusterToPointInTime({
      sourceDbClusterIdentifier: 'app-primary',
      dbClusterIdentifier: 'app-pitr-1',
      useLatestRestorableTime: true,
      tags: { 'gameday:run': 'r1' },
    });
    expect(restored.dbClusterIdentifier).toBe('app-pitr-1');
    expect(restored.engine).toBe('aurora-postgresql');
    expect(restored.tags).toMatchObject({ 'gameday:run': 'r1' });

    const restoredAt = await rds.restoreDbClusterToPointInTime({
      sourceDbClusterIdentifier: 'app-primary',
      dbClusterIdentifier: 'app-pitr-2',
      restoreToTime: Date.now() - 60_000,
      tags: {},
    });
    expect(restoredAt.dbClusterIdentifier).toBe('app-pitr-2');

    const inst = await rds.createDbInstance({
      dbInstanceIdentifier: 'app-pitr-1-w',
      dbClusterIdentifier: 'app-pitr-1',
      engine: 'aurora-postgresql',
      dbInstanceClass: 'db.r6g.large',
      tags: { 'gameday:run': 'r1' },
    });
    expect(inst).toMatchObject({ dbInstanceIdentifier: 'app-pitr-1-w', dbClusterIdentifier: 'app-pitr-1' });
    expect(inst.tags).toEqual({ 'gameday:run': 'r1' });

    const delI = await rds.deleteDbInstance({ dbInstanceIdentifier: 'app-pitr-1-w', skipFinalSnapshot: true });
    expect(delI.dbInstanceIdentifier).toBe('app-pitr-1-w');
    const delC = await rds.deleteDbCluster({ dbClusterIdentifier: 'app-pitr-1', skipFinalSnapshot: true });
    expect(delC.dbClusterIdentifier).toBe('app-pitr-1');
    const err = await rejection(rds.describeDbCluster('app-pitr-1'));
    expect(err.name).toBe('DBClusterNotFoundFault');
  });

  test('restoreDbClusterFromSnapshot maps the new cluster', async () => {
    await rdsRaw().send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'app-primary', DBClusterSnapshotIdentifier: 'app-snap-1' }),
    );
    const c = await aws.rds({ region: REGION }).restoreDbClusterFromSnapshot({
      snapshotIdentifier: 'app-snap-1',
      dbClusterIdentifier: 'app-from-snap',
      engine: 'aurora-postgresql',
      tags: { 'gameday:run': 'r2' },
    });
    expect(c.dbClusterIdentifier).toBe('app-from-snap');
    expect(c.tags).toMatchObject({ 'gameday:run': 'r2' });
  });

  test('describeEvents returns mapped events oldest first', async () => {
    const events = await aws.rds({ region: REGION }).describeEvents({ startTime: Date.now() - 3_600_000 });
    expect(Array.isArray(events)).toBe(true);
    for (const e of events) {
      expect(typeof e.date).toBe('number');
      expect(typeof e.message).toBe('string');
    }
    const dates = events.map((e) => e.date);
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });
});

describe('Route 53 adapter on moto', () => {
  let zoneId = '';
  beforeAll(async () => {
    const r = new Route53Client(raw);
    const hz = await r.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'gameday-test-zone' }));
    zoneId = hz.HostedZone!.Id!;
  });

  test('changeResourceRecordSets + getChange + listResourceRecordSets round-trip weighted records', async () => {
    const r53 = aws.route53();
    const change = await r53.changeResourceRecordSets({
      hostedZoneId: zoneId,
      comment: 'shift to blue',
      changes: [
        {
          action: 'UPSERT',
          recordSet: { name: 'db.example.com', type: 'CNAME', setIdentifier: 'blue', weight: 100, ttl: 5, values: ['blue.example.net'] },
        },
        {
          action: 'UPSERT',
          recordSet: { name: 'db.example.com', type: 'CNAME', setIdentifier: 'green', weight: 0, ttl: 5, values: ['green.example.net'] },
        },
        { action: 'CREATE', recordSet: { name: 'other.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] } },
      ],
    });
    expect(change.id).not.toMatch(/^\/change\//);
    expect(['PENDING', 'INSYNC']).toContain(change.status);
    expect(change.submittedAt).toBeGreaterThan(0);

    const status = await r53.getChange(change.id);
    expect(status.id).toBe(change.id);
    expect(status.status).toBe('INSYNC');

    const records = await r53.listResourceRecordSets({ hostedZoneId: zoneId, name: 'db.example.com' });
    expect(records.map((x) => [x.name, x.setIdentifier, x.weight, x.values]).sort()).toEqual([
      ['db.example.com', 'blue', 100, ['blue.example.net']],
      ['db.example.com', 'green', 0, ['green.example.net']],
    ]);
    const all = await r53.listResourceRecordSets({ hostedZoneId: zoneId });
    expect(all.map((x) => x.type)).toEqual(expect.arrayContaining(['NS', 'SOA', 'CNAME', 'A']));
  });

  test('a failing batch (CREATE of an existing record) rejects with InvalidChangeBatch (non-retryable)', async () => {
    const create = { action: 'CREATE' as const, recordSet: { name: 'dup.example.com', type: 'A', ttl: 60, values: ['192.0.2.9'] } };
    await aws.route53().changeResourceRecordSets({ hostedZoneId: zoneId, changes: [create] });
    const err = await rejection(aws.route53().changeResourceRecordSets({ hostedZoneId: zoneId, changes: [create] }));
    expect(err.name).toBe('InvalidChangeBatch');
    expect(classifyAwsError(err)).toMatchObject({ category: 'invalid', retryable: false });
  });

  test('getHealthCheckStatus maps observations and the majority verdict', async () => {
    const r = new Route53Client(raw);
    const hc = await r.send(
      new CreateHealthCheckCommand({
        CallerReference: 'gameday-hc-1',
        HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'app.example.com', Port: 443, ResourcePath: '/health' },
      }),
    );
    const s = await aws.route53().getHealthCheckStatus(hc.HealthCheck!.Id!);
    expect(s.healthCheckId).toBe(hc.HealthCheck!.Id);
    expect(s.observations.length).toBeGreaterThan(0);
    expect(s.observations[0]!.status).toMatch(/^Success/);
    expect(s.healthy).toBe(true);
    const err = await rejection(aws.route53().getHealthCheckStatus('00000000-0000-0000-0000-000000000000'));
    expect(err.name).toBe('NoSuchHealthCheck');
  });
});

describe('CloudWatch adapter on moto', () => {
  // moto lacks PutCompositeAlarm: composite alarms are covered in adapters-mock.test.ts
  test('describeAlarms maps metric alarms and skips unknown names', async () => {
    // moto implements CloudWatch's awsQuery protocol only (the factory does the same with an endpoint)
    const cw = new CloudWatchClient({ ...raw, protocol: AwsQueryProtocol });
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'gd-canary-errors',
        Namespace: 'Gameday',
        MetricName: 'CanaryErrors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const alarms = await aws.cloudwatch({ region: REGION }).describeAlarms(['gd-canary-errors', 'absent']);
    expect(alarms.map((a) => a.alarmName)).toEqual(['gd-canary-errors']);
    for (const a of alarms) {
      expect(['OK', 'ALARM', 'INSUFFICIENT_DATA']).toContain(a.stateValue);
      expect(typeof a.stateUpdatedAt).toBe('number');
    }
  });

  test('putMetricData then getMetricData returns the datapoints oldest first', async () => {
    const api = aws.cloudwatch({ region: REGION });
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const dimensions = { Runbook: 'aurora-global' };
    await api.putMetricData('Gameday', [
      { metricName: 'RtoSeconds', value: 42, unit: 'Seconds', dimensions, timestamp: t0 + 5 * 60_000 },
      { metricName: 'RtoSeconds', value: 7, unit: 'Seconds', dimensions, timestamp: t0 + 60_000 },
    ]);
    const r = await api.getMetricData({
      namespace: 'Gameday',
      metricName: 'RtoSeconds',
      dimensions,
      stat: 'Maximum',
      periodSeconds: 60,
      startTime: t0,
      endTime: t0 + 10 * 60_000,
    });
    expect(r.values).toEqual([7, 42]);
    expect(r.timestamps).toEqual([t0 + 60_000, t0 + 5 * 60_000]);
  });
});

describe('SSM adapter on moto', () => {
  test('getParameter is undefined for a missing parameter; putParameter versions', async () => {
    const ssm = aws.ssm({ region: REGION });
    expect(await ssm.getParameter('/gameday/absent')).toBeUndefined();
    expect(await ssm.putParameter({ name: '/gameday/active-region', value: 'us-east-1', overwrite: true })).toEqual({ version: 1 });
    expect(await ssm.putParameter({ name: '/gameday/active-region', value: 'us-west-2', overwrite: true })).toEqual({ version: 2 });
    const before = Date.now();
    expect(await ssm.putParameter({ name: '/gameday/active-region', value: 'us-west-2', overwrite: true })).toEqual({ version: 3 });
    const p = await ssm.getParameter('/gameday/active-region');
    expect(p).toEqual({ name: '/gameday/active-region', value: 'us-west-2', version: 3, lastModifiedAt: expect.any(Number) });
    // SSM's LastModifiedDate (whole seconds on the wire): the time of this put, by the service's clock.
    expect(Math.abs(p!.lastModifiedAt! - before)).toBeLessThan(5_000);
  });
});

describe('ElastiCache adapter on moto', () => {
  test('describeReplicationGroup maps the group; unknown id is ReplicationGroupNotFoundFault', async () => {
    await new ElastiCacheClient(raw).send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: 'gd-cache',
        ReplicationGroupDescription: 'gameday test',
        Engine: 'redis',
        CacheNodeType: 'cache.t3.micro',
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
      }),
    );
    const ec = aws.elasticache({ region: REGION });
    const g = await ec.describeReplicationGroup('gd-cache');
    expect(g.replicationGroupId).toBe('gd-cache');
    expect(typeof g.status).toBe('string');
    expect(['enabled', 'enabling']).toContain(g.automaticFailover);
    expect(g.multiAz).toBe('enabled');
    const err = await rejection(ec.describeReplicationGroup('absent-cache'));
    expect(err.name).toBe('ReplicationGroupNotFoundFault');
  });
});

describe('Secrets Manager adapter on moto', () => {
  test('getDbCredentials parses the JSON secret; a malformed secret error never quotes it', async () => {
    const sm = new SecretsManagerClient(raw);
    const good = await sm.send(
      new CreateSecretCommand({ Name: 'gd/canary', SecretString: JSON.stringify({ username: 'canary', password: 's3cr3t-Pa55' }) }),
    );
    const bad = await sm.send(new CreateSecretCommand({ Name: 'gd/bad', SecretString: 'password=hunter2-plain' }));
    const api = aws.secrets({ region: REGION });
    expect(await api.getDbCredentials(good.ARN!)).toEqual({ username: 'canary', password: 's3cr3t-Pa55' });
    const err = (await rejection(api.getDbCredentials(bad.ARN!))) as Error;
    expect(err.name).toBe('SecretFormatError');
    expect(err.message).toContain(bad.ARN!);
    expect(err.message).not.toContain('hunter2');
    const missing = await rejection(api.getDbCredentials('arn:aws:secretsmanager:us-east-1:123456789012:secret:absent-AbCdEf'));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('FIS adapter on moto', () => {
  const template: FisExperimentTemplateInput = {
    description: 'gameday: fail over the writer',
    roleArn: 'arn:aws:iam::123456789012:role/gameday-fis',
    targets: {
      Clusters: {
        resourceType: 'aws:rds:cluster',
        resourceTags: { 'gameday:target': 'app' },
        selectionMode: 'ALL',
      },
    },
    actions: {
      wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } },
      failover: { actionId: 'aws:rds:failover-db-cluster', targets: { Clusters: 'Clusters' }, startAfter: ['wait'] },
    },
    stopConditions: [{ source: 'none' }],
    tags: { 'gameday:runbook': 'aurora' },
  };

  test('templates: create, get, list, update', async () => {
    const fis = aws.fis({ region: REGION });
    const created = await fis.createExperimentTemplate({ ...template, clientToken: 'gameday-tmpl-1' });
    expect(created.id).toEqual(expect.any(String));
    expect(created).toMatchObject({
      description: template.description,
      roleArn: template.roleArn,
      stopConditions: [{ source: 'none' }],
      tags: { 'gameday:runbook': 'aurora' },
    });
    expect(created.actions.failover).toEqual({
      actionId: 'aws:rds:failover-db-cluster',
      targets: { Clusters: 'Clusters' },
      startAfter: ['wait'],
    });
    expect(created.targets.Clusters).toMatchObject({ resourceType: 'aws:rds:cluster', selectionMode: 'ALL' });

    const got = await fis.getExperimentTemplate(created.id);
    expect(got).toEqual(created);

    const listed = await fis.listExperimentTemplates();
    expect(listed.find((t) => t.id === created.id)).toEqual(created);

    const updated = await fis.updateExperimentTemplate(created.id, { ...template, description: 'gameday: v2' });
    expect(updated.id).toBe(created.id);
    expect(updated.description).toBe('gameday: v2');

    const err = await rejection(fis.getExperimentTemplate('EXTabsent'));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(classifyAwsError(err).retryable).toBe(false);
  });

  test('experiments: start, get, stop', async () => {
    const fis = aws.fis({ region: REGION });
    const t = await fis.createExperimentTemplate({
      ...template,
      actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT5M' } } },
      targets: {},
      clientToken: 'gameday-tmpl-2',
    });
    const started = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'gameday-run-1', tags: { 'gameday:run': 'r1' } });
    expect(started.experimentTemplateId).toBe(t.id);
    expect(started.tags).toEqual({ 'gameday:run': 'r1' });
    expect(['pending', 'initiating', 'running']).toContain(started.state.status);
    expect(started.actions.wait).toEqual(expect.objectContaining({ status: expect.any(String) }));
    expect(typeof started.startTime).toBe('number');

    const got = await fis.getExperiment(started.id);
    expect(got.id).toBe(started.id);
    expect(got.stopConditions).toEqual([{ source: 'none' }]);

    const stopped = await fis.stopExperiment(started.id);
    expect(stopped.id).toBe(started.id);
    expect(['stopping', 'stopped']).toContain(stopped.state.status);
    expect(stopped.state.reason).toEqual(expect.any(String));

    const err = await rejection(fis.getExperiment('EXPabsent'));
    expect(err.name).toBe('ResourceNotFoundException');
  });
});

describe('IAM policy coverage', () => {
  it('gameday iam-policy allows every AWS command the adapters sent in this file', () => {
    expect(recordedCommands().length).toBeGreaterThan(0);
    expect(uncoveredCommands(recordedCommands())).toEqual([]);
  });
});
