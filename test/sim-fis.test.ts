/**
 * The simulated FIS: template validation (ValidationException naming the field), idempotent
 * starts, the experiment lifecycle with `startAfter` ordering and ISO-8601 durations, stop
 * conditions halting with the alarm named, StopExperiment undoing the fault, and the world
 * effects (AZ impairment on RDS/ElastiCache/EC2 with ASG replacement, cross-region isolation).
 */
import type { FisExperiment, FisExperimentTemplateInput } from '../activities/aws/ports';
import type { SimAws } from '../sim';
import { parseIsoDuration } from '../sim/fis';
import { fastSimClosedAfterAll, waitForSim } from './helpers/sim-wait';

const paymentsSim = fastSimClosedAfterAll();
const world = (): SimAws => paymentsSim(['payments-prod']).sim;

const ROLE = 'arn:aws:iam::111122223333:role/gameday-fis';
const alarmArn = (region: string, name: string) => `arn:aws:cloudwatch:${region}:111122223333:alarm:${name}`;
const TAGS = { gameday: 'allowed' };

function template(over: Partial<FisExperimentTemplateInput> = {}): FisExperimentTemplateInput {
  return {
    description: 'gameday test',
    roleArn: ROLE,
    targets: {},
    actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT2M' } } },
    stopConditions: [{ source: 'none' }],
    ...over,
  };
}

async function runToEnd(sim: SimAws, id: string, region = 'us-east-1'): Promise<{ final: FisExperiment; seen: string[] }> {
  const fis = sim.fis({ region });
  const seen: string[] = [];
  const final = await waitForSim(sim, `experiment ${id} ended`, async () => {
    const e = await fis.getExperiment(id);
    if (seen.at(-1) !== e.state.status) seen.push(e.state.status);
    return ['completed', 'stopped', 'failed'].includes(e.state.status) && e;
  });
  return { final, seen };
}

const events = (sim: SimAws, resource: string) => sim.world.log.find({ service: 'fis', resource }).map((e) => e.event);

describe('FIS templates', () => {
  test('ISO-8601 durations', () => {
    expect(parseIsoDuration('PT30M')).toBe(30 * 60_000);
    expect(parseIsoDuration('PT1H30M')).toBe(90 * 60_000);
    expect(parseIsoDuration('PT90S')).toBe(90_000);
    expect(parseIsoDuration('P1D')).toBe(86_400_000);
    expect(parseIsoDuration('30m')).toBeUndefined();
    expect(parseIsoDuration('PT')).toBeUndefined();
  });

  test('invalid templates are refused with a ValidationException naming the problem', async () => {
    const fis = world().fis({ region: 'us-east-1' });
    const create = (t: FisExperimentTemplateInput, token: string) => fis.createExperimentTemplate({ ...t, clientToken: token });
    const cases: [FisExperimentTemplateInput, RegExp][] = [
      [
        template({ actions: { x: { actionId: 'aws:ec2:reboot-the-world' } } }),
        /actions\.x\.actionId: unknown action id "aws:ec2:reboot-the-world"/,
      ],
      [
        template({ actions: { w: { actionId: 'aws:fis:wait', parameters: { duration: '30m' } } } }),
        /actions\.w\.parameters\.duration: "30m" is not an ISO-8601 duration/,
      ],
      [template({ actions: { w: { actionId: 'aws:fis:wait' } } }), /actions\.w\.parameters: action aws:fis:wait needs parameter duration/],
      [
        template({
          targets: { Clusters: { resourceType: 'aws:rds:cluster', resourceTags: TAGS, selectionMode: 'ALL' } },
          actions: { s: { actionId: 'aws:ec2:stop-instances', targets: { Instances: 'Clusters' } } },
        }),
        /targets\.Clusters\.resourceType: action s \(aws:ec2:stop-instances\) needs resource type aws:ec2:instance/,
      ],
      [
        template({ targets: { T: { resourceType: 'aws:ec2:toaster', resourceTags: TAGS, selectionMode: 'ALL' } } }),
        /targets\.T\.resourceType: unknown resource type "aws:ec2:toaster"/,
      ],
      [
        template({
          actions: {
            a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['b'] },
            b: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['a'] },
          },
        }),
        /startAfter: startAfter forms a cycle/,
      ],
      [
        template({ actions: { a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['zzz'] } } }),
        /actions\.a\.startAfter\[0\]: startAfter refers to unknown action "zzz"/,
      ],
      [
        template({ stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'my-alarm' }] }),
        /stopConditions\[0\]\.value: expected a CloudWatch alarm ARN/,
      ],
      [template({ roleArn: 'gameday-fis' }), /roleArn/],
      [
        template({
          targets: {
            T: {
              resourceType: 'aws:ec2:instance',
              resourceArns: ['arn:aws:ec2:us-east-1:111122223333:instance/i-1'],
              resourceTags: TAGS,
              selectionMode: 'ALL',
            },
          },
        }),
        /cannot combine resourceArns with resourceTags/,
      ],
      [
        template({
          targets: { RG: { resourceType: 'aws:elasticache:replicationgroup', resourceTags: TAGS, selectionMode: 'ALL' } },
          actions: {
            p: {
              actionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
              parameters: { duration: 'PT5M' },
              targets: { ReplicationGroups: 'RG' },
            },
          },
        }),
        /targets\.RG\.parameters: resource type aws:elasticache:replicationgroup needs parameter availabilityZoneIdentifier/,
      ],
      [
        template({ targets: { T: { resourceType: 'aws:ec2:instance', resourceTags: TAGS, selectionMode: 'SOME' } } }),
        /targets\.T\.selectionMode: expected ALL, COUNT\(n\) or PERCENT\(n\)/,
      ],
    ];
    for (const [i, [t, message]] of cases.entries()) {
      await expect(create(t, `bad-${i}`)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(message) });
    }
    expect(await fis.listExperimentTemplates()).toHaveLength(0);
  });

  test('create is idempotent per clientToken; get, update, list; unknown ids are ResourceNotFoundException', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const a = await fis.createExperimentTemplate({ ...template(), clientToken: 'tpl-1' });
    expect(a.id).toMatch(/^EXT[A-Z0-9]+$/);
    expect((await fis.createExperimentTemplate({ ...template(), clientToken: 'tpl-1' })).id).toBe(a.id);
    const updated = await fis.updateExperimentTemplate(a.id, template({ description: 'v2' }));
    expect((await fis.getExperimentTemplate(a.id)).description).toBe('v2');
    expect(updated.id).toBe(a.id);
    expect((await fis.listExperimentTemplates()).map((t) => t.id)).toEqual([a.id]);
    // Templates are regional.
    await expect(sim.fis({ region: 'us-west-2' }).getExperimentTemplate(a.id)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(fis.getExperimentTemplate('EXTNOPE')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(fis.updateExperimentTemplate('EXTNOPE', template())).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(fis.startExperiment({ experimentTemplateId: 'EXTNOPE', clientToken: 'x' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(fis.getExperiment('EXPNOPE')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('FIS experiments', () => {
  test('lifecycle: startAfter ordering, durations, ElastiCache AZ power interrupted and restored, completed once', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({
      ...template({
        targets: {
          RG: {
            resourceType: 'aws:elasticache:replicationgroup',
            resourceTags: TAGS,
            selectionMode: 'ALL',
            parameters: { availabilityZoneIdentifier: 'us-east-1a' },
          },
        },
        actions: {
          warmup: { actionId: 'aws:fis:wait', parameters: { duration: 'PT2M' } },
          power: {
            actionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
            parameters: { duration: 'PT5M' },
            targets: { ReplicationGroups: 'RG' },
            startAfter: ['warmup'],
          },
        },
      }),
      clientToken: 'tpl',
    });
    const started = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run-1', tags: { run: '1' } });
    expect(started.state.status).toBe('pending');
    expect(started.actions['power']!.status).toBe('pending');
    // Same token, same experiment; same token for another template is a conflict.
    expect((await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run-1' })).id).toBe(started.id);
    const other = await fis.createExperimentTemplate({ ...template(), clientToken: 'tpl-2' });
    await expect(fis.startExperiment({ experimentTemplateId: other.id, clientToken: 'run-1' })).rejects.toMatchObject({
      name: 'ConflictException',
    });

    const { final, seen } = await runToEnd(sim, started.id);
    expect(final.state.status).toBe('completed');
    expect(seen.at(-1)).toBe('completed');
    expect(final.tags).toEqual({ run: '1' });
    expect(events(sim, started.id)).toEqual(['experiment-pending', 'experiment-initiating', 'experiment-running', 'experiment-completed']);
    const log = (r: string, ev: string) => sim.world.log.find({ service: 'fis', resource: `${started.id}/${r}`, event: ev })[0]!.at;
    const warmDone = log('warmup', 'action-completed');
    expect(warmDone - log('warmup', 'action-running')).toBe(2 * 60_000);
    expect(log('power', 'action-running')).toBe(warmDone);
    expect(log('power', 'action-completed') - log('power', 'action-running')).toBe(5 * 60_000);
    expect(final.actions['power']).toMatchObject({ status: 'completed', startTime: warmDone });
    // The world: the primary left the powered-off AZ during the action; power came back at its end.
    const changed = sim.world.log.find({ service: 'elasticache', event: 'elasticache-primary-changed' });
    expect(changed).toHaveLength(1);
    expect(changed[0]!.at).toBeGreaterThan(warmDone);
    expect(sim.world.log.find({ service: 'elasticache', event: 'elasticache-az-power-restored' })[0]!.at).toBe(
      log('power', 'action-completed'),
    );
    expect(sim.world.log.find({ service: 'fis', event: 'experiment-completed' })).toHaveLength(1);
  });

  test('a stop-condition alarm going ALARM stops the experiment, naming the alarm', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({
      ...template({
        actions: {
          long: { actionId: 'aws:fis:wait', parameters: { duration: 'PT30M' } },
          after: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['long'] },
        },
        stopConditions: [{ source: 'aws:cloudwatch:alarm', value: alarmArn('us-east-1', 'payments-error-rate-critical') }],
      }),
      clientToken: 'tpl',
    });
    const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run' });
    await waitForSim(sim, 'running', async () => (await fis.getExperiment(id)).state.status === 'running');
    sim.cloudwatchSim.setAlarmState('payments-error-rate-critical', 'ALARM', 'error rate above 5%');
    const { final } = await runToEnd(sim, id);
    expect(final.state.status).toBe('stopped');
    expect(final.state.reason).toContain('payments-error-rate-critical');
    expect(final.actions['long']!.status).toBe('stopped');
    expect(final.actions['after']!.status).toBe('cancelled');
    const alarmAt = sim.world.log.find({ service: 'cloudwatch', event: 'alarm-state-changed' })[0]!.at;
    const stopping = sim.world.log.find({ service: 'fis', resource: id, event: 'experiment-stopping' });
    expect(stopping).toHaveLength(1);
    expect(stopping[0]!.at).toBe(alarmAt);
    expect(events(sim, id)).toEqual([
      'experiment-pending',
      'experiment-initiating',
      'experiment-running',
      'experiment-stopping',
      'experiment-stopped-by-condition',
    ]);
  });

  test('StopExperiment: stopping -> stopped, the AZ network disruption is undone (RDS and ElastiCache restored)', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({
      ...template({
        targets: {
          Subnets: {
            resourceType: 'aws:ec2:subnet',
            resourceTags: TAGS,
            selectionMode: 'ALL',
            parameters: { availabilityZoneIdentifier: 'us-east-1a' },
          },
        },
        actions: {
          cut: {
            actionId: 'aws:network:disrupt-connectivity',
            parameters: { duration: 'PT30M', scope: 'all' },
            targets: { Subnets: 'Subnets' },
          },
        },
      }),
      clientToken: 'tpl',
    });
    const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run' });
    const rds = sim.rds({ region: 'us-east-1' });
    // The writer in us-east-1a is lost: Aurora fails over to the reader in us-east-1b.
    await waitForSim(sim, 'writer moved to us-east-1b', async () => {
      const c = await rds.describeDbCluster('payments-use1');
      const writer = c.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier;
      return c.status === 'available' && writer === 'payments-use1-b';
    });
    expect(sim.fisSim.isAzImpaired('us-east-1', 'us-east-1a')).toBe(true);
    const stopping = await fis.stopExperiment(id);
    expect(stopping.state.status).toBe('stopping');
    const { final } = await runToEnd(sim, id);
    expect(final.state).toMatchObject({ status: 'stopped', reason: 'Experiment stopped by user' });
    expect(final.actions['cut']!.status).toBe('stopped');
    expect(sim.fisSim.isAzImpaired('us-east-1', 'us-east-1a')).toBe(false);
    const stoppedAt = sim.world.log.find({ service: 'fis', resource: id, event: 'experiment-stopped' })[0]!.at;
    expect(sim.world.log.find({ service: 'rds', event: 'az-restored' }).map((e) => e.at)).toEqual([stoppedAt]);
    expect(sim.world.log.find({ service: 'elasticache', event: 'elasticache-az-power-restored' }).map((e) => e.at)).toEqual([stoppedAt]);
    await waitForSim(sim, 'instance back', async () => (await rds.describeDbInstance('payments-use1-a')).status === 'available');
    await expect(fis.stopExperiment(id)).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('AZ power interruption scenario: instances stopped and replaced by the ASG in healthy AZs, Aurora failover, ends by itself', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const az = 'us-east-1a';
    const t = await fis.createExperimentTemplate({
      ...template({
        targets: {
          Instances: {
            resourceType: 'aws:ec2:instance',
            resourceTags: TAGS,
            selectionMode: 'ALL',
            filters: [
              { path: 'Placement.AvailabilityZone', values: [az] },
              { path: 'State.Name', values: ['running'] },
            ],
          },
          Asgs: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: TAGS, selectionMode: 'ALL' },
          Clusters: {
            resourceType: 'aws:rds:cluster',
            resourceTags: TAGS,
            selectionMode: 'ALL',
            parameters: { writerAvailabilityZoneIdentifiers: az },
          },
          Caches: {
            resourceType: 'aws:elasticache:replicationgroup',
            resourceTags: TAGS,
            selectionMode: 'ALL',
            parameters: { availabilityZoneIdentifier: az },
          },
        },
        actions: {
          'Stop-Instances': {
            actionId: 'aws:ec2:stop-instances',
            parameters: { startInstancesAfterDuration: 'PT10M' },
            targets: { Instances: 'Instances' },
          },
          'Pause-ASG-Scaling': {
            actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
            parameters: { duration: 'PT10M', availabilityZoneIdentifiers: az },
            targets: { AutoScalingGroups: 'Asgs' },
          },
          'Failover-RDS': { actionId: 'aws:rds:failover-db-cluster', targets: { Clusters: 'Clusters' } },
          'Pause-ElastiCache': {
            actionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
            parameters: { duration: 'PT10M' },
            targets: { ReplicationGroups: 'Caches' },
          },
        },
      }),
      clientToken: 'tpl',
    });
    const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run' });
    const { final } = await runToEnd(sim, id);
    expect(final.state.status).toBe('completed');
    for (const a of Object.values(final.actions)) expect(a.status).toBe('completed');
    // The ASG instance in us-east-1a was stopped, terminated by the group and replaced elsewhere.
    const launched = sim.world.log.find({ service: 'autoscaling', event: 'asg-instance-launched' });
    expect(launched).toHaveLength(1);
    expect(launched[0]!.detail!['az']).not.toBe(az);
    const stopped = sim.world.log.find({ service: 'ec2', event: 'instance-stopped' })[0]!;
    expect(launched[0]!.at - stopped.at).toBeGreaterThanOrEqual(120_000);
    expect(launched[0]!.at - stopped.at).toBeLessThanOrEqual(240_000);
    expect(
      sim.fisSim.ec2
        .asgInstances('payments-api')
        .filter((i) => i.state === 'running')
        .map((i) => i.az)
        .sort(),
    ).toEqual(['us-east-1b', 'us-east-1b', 'us-east-1c'].sort());
    // Aurora failed over in-region; ElastiCache primary left the AZ; everything restored at the end.
    const rdsCluster = await sim.rds({ region: 'us-east-1' }).describeDbCluster('payments-use1');
    expect(rdsCluster.members.find((m) => m.isClusterWriter)!.dbInstanceIdentifier).toBe('payments-use1-b');
    expect(sim.elasticacheSim.primaryAz('us-east-1', 'payments-sessions')).toBe('us-east-1b');
    expect(sim.world.log.find({ service: 'elasticache', event: 'elasticache-az-power-restored' })).toHaveLength(1);
  });

  test('cross-region isolation: the isolated region turns unhealthy, its health alarm stops the experiment, all recovers', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({
      ...template({
        targets: { Subnets: { resourceType: 'aws:ec2:subnet', resourceTags: TAGS, selectionMode: 'ALL' } },
        actions: {
          isolate: {
            actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
            parameters: { region: 'us-west-2', duration: 'PT20M' },
            targets: { Subnets: 'Subnets' },
          },
        },
        stopConditions: [{ source: 'aws:cloudwatch:alarm', value: alarmArn('us-west-2', 'payments-usw2-5xx') }],
      }),
      clientToken: 'tpl',
    });
    const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run' });
    const { final } = await runToEnd(sim, id);
    expect(final.state.status).toBe('stopped');
    expect(final.state.reason).toContain('payments-usw2-5xx');
    const isolated = sim.world.log.find({ service: 'fis', event: 'region-isolated' })[0]!.at;
    const alarm = sim.world.log.find({ service: 'cloudwatch', resource: 'payments-usw2-5xx', event: 'alarm-state-changed' })[0]!;
    expect(alarm.detail!['to']).toBe('ALARM');
    expect(alarm.at - isolated).toBeGreaterThanOrEqual(60_000);
    expect(sim.world.log.find({ service: 'fis', resource: id, event: 'experiment-stopping' })[0]!.at).toBe(alarm.at);
    // The secondary's health check went unhealthy (primary still serves), then everything recovers.
    expect(
      sim.world.log.find({ service: 'route53', resource: 'hc-payments-usw2', event: 'health-check-status-changed' })[0]!.detail!['healthy'],
    ).toBe(false);
    expect(sim.route53Sim.currentTarget('db.payments.example.com')).toBe('us-east-1');
    await waitForSim(sim, 'alarm OK again', () => sim.cloudwatchSim.alarmState('payments-usw2-5xx') === 'OK');
    await waitForSim(sim, 'health check healthy again', () => sim.route53Sim.healthCheckHealthy('hc-payments-usw2') === true);
    expect(sim.world.impairedRegions.has('us-west-2')).toBe(false);
  });

  test('a stop-condition alarm already in ALARM stops the experiment while it initiates, before any action runs', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    sim.cloudwatchSim.setAlarmState('payments-error-rate-critical', 'ALARM', 'already burning');
    const t = await fis.createExperimentTemplate({
      ...template({ stopConditions: [{ source: 'aws:cloudwatch:alarm', value: alarmArn('us-east-1', 'payments-error-rate-critical') }] }),
      clientToken: 'tpl',
    });
    const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run' });
    const { final } = await runToEnd(sim, id);
    expect(final.state.status).toBe('stopped');
    expect(final.state.reason).toContain('payments-error-rate-critical');
    expect(final.actions['wait']!.status).toBe('cancelled');
    expect(events(sim, id)).not.toContain('experiment-running');
  });

  test('aws:rds:reboot-db-instances with forceFailover on the writer fails the cluster over in-region', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({
      ...template({
        targets: {
          Db: { resourceType: 'aws:rds:db', resourceArns: ['arn:aws:rds:us-east-1:111122223333:db:payments-use1-a'], selectionMode: 'ALL' },
        },
        actions: {
          reboot: { actionId: 'aws:rds:reboot-db-instances', parameters: { forceFailover: 'true' }, targets: { DBInstances: 'Db' } },
        },
      }),
      clientToken: 'tpl',
    });
    const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run' });
    expect((await runToEnd(sim, id)).final.state.status).toBe('completed');
    const rds = sim.rds({ region: 'us-east-1' });
    await waitForSim(sim, 'writer is payments-use1-b', async () => {
      const c = await rds.describeDbCluster('payments-use1');
      return c.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier === 'payments-use1-b';
    });
    expect(sim.world.log.find({ service: 'fis', resource: `${id}/reboot`, event: 'db-instance-rebooted' })).toHaveLength(1);
  });

  test('an experiment whose targets resolve to nothing fails with the reason', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({
      ...template({
        targets: { Instances: { resourceType: 'aws:ec2:instance', resourceTags: { gameday: 'nobody' }, selectionMode: 'ALL' } },
        actions: { stop: { actionId: 'aws:ec2:stop-instances', targets: { Instances: 'Instances' } } },
      }),
      clientToken: 'tpl',
    });
    const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'run' });
    const { final } = await runToEnd(sim, id);
    expect(final.state.status).toBe('failed');
    expect(final.state.reason).toMatch(/Target resolution failed: target Instances \(aws:ec2:instance\) resolved to no resources/);
    expect(final.actions['stop']!.status).toBe('cancelled');
  });

  test('aws:ssm:start-automation-execution completes with the automation, and fails with it', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const mk = (token: string) =>
      fis.createExperimentTemplate({
        ...template({
          actions: {
            fence: {
              actionId: 'aws:ssm:start-automation-execution',
              parameters: {
                documentArn: 'arn:aws:ssm:us-east-1:111122223333:document/gameday-FenceWrites',
                documentParameters: '{"Cluster":"payments-use1"}',
                maxDuration: 'PT10M',
              },
            },
          },
        }),
        clientToken: token,
      });
    const ok = await mk('a');
    const { id } = await fis.startExperiment({ experimentTemplateId: ok.id, clientToken: 'run-ok' });
    expect((await runToEnd(sim, id)).final.state.status).toBe('completed');
    const succeeded = sim.world.log.find({ service: 'ssm', event: 'automation-succeeded' });
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]!.detail!['parameters']).toEqual({ Cluster: ['payments-use1'] });
    expect(sim.world.log.find({ service: 'fis', resource: `${id}/fence`, event: 'action-completed' })[0]!.at).toBe(succeeded[0]!.at);

    sim.ssmSim.failDocument('gameday-FenceWrites', 'boom');
    const { id: bad } = await fis.startExperiment({ experimentTemplateId: ok.id, clientToken: 'run-bad' });
    const { final } = await runToEnd(sim, bad);
    expect(final.state.status).toBe('failed');
    expect(final.state.reason).toContain('boom');
  });

  test('ground truth: every experiment event is recorded once and in time order', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({
      ...template({
        actions: {
          a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } },
          b: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['a'] },
        },
      }),
      clientToken: 'tpl',
    });
    const ids: string[] = [];
    for (const token of ['r1', 'r2']) ids.push((await fis.startExperiment({ experimentTemplateId: t.id, clientToken: token })).id);
    for (const id of ids) await runToEnd(sim, id);
    for (const id of ids) {
      const log = sim.world.log.all().filter((e) => e.resource === id || e.resource.startsWith(`${id}/`));
      const keys = log.map((e) => `${e.resource}:${e.event}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(log.map((e) => e.at)).toEqual([...log.map((e) => e.at)].sort((x, y) => x - y));
      expect(keys.filter((k) => k.endsWith(':action-completed'))).toEqual([`${id}/a:action-completed`, `${id}/b:action-completed`]);
    }
  });
});
