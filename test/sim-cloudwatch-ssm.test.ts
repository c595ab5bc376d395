/**
 * The simulated CloudWatch (alarms, SetAlarmState, custom metrics) and Systems Manager
 * (parameters, automation executions and their ClientToken idempotency).
 */
import { fastSimClosedAfterAll, waitForSim } from './helpers/sim-wait';

const world = fastSimClosedAfterAll();

const TOKEN_A = '7d3c1a52-0f4e-4b8e-9a61-2f0c5d9e8b11';
const TOKEN_B = '0b6e4f1d-9c2a-4e3b-8d57-a1c2e3f4b5d6';

describe('CloudWatchSim', () => {
  test('seeded alarms are OK and regional; unknown names are absent', async () => {
    const { sim } = world(['payments-prod']);
    const use1 = sim.cloudwatch({ region: 'us-east-1' });
    const alarms = await use1.describeAlarms(['payments-use1-5xx', 'payments-error-rate-critical', 'no-such-alarm', 'payments-usw2-5xx']);
    expect(alarms.map((a) => [a.alarmName, a.stateValue])).toEqual([
      ['payments-use1-5xx', 'OK'],
      ['payments-error-rate-critical', 'OK'],
    ]);
    const usw2 = await sim.cloudwatch({ region: 'us-west-2' }).describeAlarms(['payments-usw2-5xx']);
    expect(usw2).toHaveLength(1);
  });

  test('SetAlarmState changes the state at once (recorded, listeners told) and it returns to the evaluated state', async () => {
    const { sim } = world(['payments-prod']);
    const seen: string[] = [];
    sim.cloudwatchSim.onStateChange((t) => seen.push(`${t.alarmName}:${t.from}->${t.to}`));
    const cw = sim.cloudwatch({ region: 'us-east-1' });
    sim.cloudwatchSim.setAlarmState('payments-error-rate-critical', 'ALARM', 'test: force the stop condition');
    const [a] = await cw.describeAlarms(['payments-error-rate-critical']);
    expect(a).toMatchObject({ stateValue: 'ALARM', stateReason: 'test: force the stop condition' });
    expect(seen).toEqual(['payments-error-rate-critical:OK->ALARM']);
    await waitForSim(
      sim,
      'alarm back to OK',
      async () => (await cw.describeAlarms(['payments-error-rate-critical']))[0]!.stateValue === 'OK',
    );
    const changes = sim.world.log.find({ service: 'cloudwatch', event: 'alarm-state-changed' });
    expect(changes.map((c) => [c.detail!['from'], c.detail!['to']])).toEqual([
      ['OK', 'ALARM'],
      ['ALARM', 'OK'],
    ]);
    expect(changes[1]!.at).toBeGreaterThan(changes[0]!.at);
    expect(() => sim.cloudwatchSim.setAlarmState('no-such-alarm', 'ALARM', 'x')).toThrow(
      expect.objectContaining({ name: 'ResourceNotFound' }),
    );
  });

  test('putMetricData is stored and getMetricData aggregates it per period', async () => {
    const { sim } = world(['payments-prod']);
    const cw = sim.cloudwatch({ region: 'us-east-1' });
    const t0 = Math.floor(sim.world.now() / 60_000) * 60_000;
    const dims = { Service: 'payments' };
    await cw.putMetricData('Gameday', [
      { metricName: 'RtoSeconds', value: 10, unit: 'Seconds', dimensions: dims, timestamp: t0 + 1_000 },
      { metricName: 'RtoSeconds', value: 30, unit: 'Seconds', dimensions: dims, timestamp: t0 + 2_000 },
      { metricName: 'RtoSeconds', value: 50, unit: 'Seconds', dimensions: dims, timestamp: t0 + 61_000 },
      { metricName: 'RtoSeconds', value: 99, unit: 'Seconds', dimensions: { Service: 'orders' }, timestamp: t0 + 1_000 },
    ]);
    const q = { namespace: 'Gameday', metricName: 'RtoSeconds', dimensions: dims, periodSeconds: 60, startTime: t0, endTime: t0 + 120_000 };
    expect(await cw.getMetricData({ ...q, stat: 'Average' })).toEqual({ timestamps: [t0, t0 + 60_000], values: [20, 50] });
    expect(await cw.getMetricData({ ...q, stat: 'Maximum' })).toEqual({ timestamps: [t0, t0 + 60_000], values: [30, 50] });
    expect(await cw.getMetricData({ ...q, stat: 'SampleCount' })).toEqual({ timestamps: [t0, t0 + 60_000], values: [2, 1] });
    // Metrics are regional.
    expect(await sim.cloudwatch({ region: 'us-west-2' }).getMetricData({ ...q, stat: 'Sum' })).toEqual({ timestamps: [], values: [] });
    expect(sim.cloudwatchSim.metrics('Gameday')).toHaveLength(4);
    await expect(cw.putMetricData('AWS/RDS', [{ metricName: 'x', value: 1, unit: 'None', dimensions: {} }])).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(cw.putMetricData('Gameday', [{ metricName: 'x', value: Number.NaN, unit: 'None', dimensions: {} }])).rejects.toMatchObject(
      { name: 'InvalidParameterValueException' },
    );
    await expect(cw.putMetricData('Gameday', [])).rejects.toMatchObject({ name: 'MissingRequiredParameterException' });
    await expect(cw.getMetricData({ ...q, stat: 'Average', periodSeconds: 45 })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });
});

describe('CloudWatchSim follows the simulated health', () => {
  test('a region impairment turns its health alarm ALARM after an evaluation period, Route 53 fails over, recovery clears both', async () => {
    const { sim } = world(['payments-prod']);
    sim.rdsSim.impairRegion('us-east-1');
    const impairedAt = sim.world.now();
    await waitForSim(sim, 'use1 alarm in ALARM', () => sim.cloudwatchSim.alarmState('payments-use1-5xx') === 'ALARM');
    const alarmed = sim.world.log.find({ service: 'cloudwatch', resource: 'payments-use1-5xx', event: 'alarm-state-changed' })[0]!;
    expect(alarmed.at - impairedAt).toBeGreaterThanOrEqual(60_000);
    expect(alarmed.detail!['reason']).toContain('us-east-1');
    // The other region's alarm and the stop condition stay OK.
    expect(sim.cloudwatchSim.alarmState('payments-usw2-5xx')).toBe('OK');
    expect(sim.cloudwatchSim.alarmState('payments-error-rate-critical')).toBe('OK');
    // The impaired region's control plane answers 500; the healthy region's still works.
    await expect(sim.cloudwatch({ region: 'us-east-1' }).describeAlarms(['payments-use1-5xx'])).rejects.toMatchObject({
      name: 'InternalFailure',
    });
    expect(await sim.cloudwatch({ region: 'us-west-2' }).describeAlarms(['payments-usw2-5xx'])).toHaveLength(1);
    await waitForSim(sim, 'DNS on us-west-2', () => sim.route53Sim.currentTarget('db.payments.example.com') === 'us-west-2');

    sim.rdsSim.restoreRegion('us-east-1');
    await waitForSim(sim, 'use1 alarm OK', () => sim.cloudwatchSim.alarmState('payments-use1-5xx') === 'OK');
    await waitForSim(sim, 'DNS back on us-east-1', () => sim.route53Sim.currentTarget('db.payments.example.com') === 'us-east-1');
    const transitions = sim.world.log.find({ service: 'cloudwatch', resource: 'payments-use1-5xx' }).map((e) => e.detail!['to']);
    expect(transitions).toEqual(['ALARM', 'OK']);
  });

  test('AuroraGlobalDBReplicationLag / RPOLag of the secondary come from the RDS simulator', async () => {
    const { sim } = world(['payments-prod']);
    sim.rdsSim.setReplicationLag('payments-usw2', 750);
    const from = sim.world.now();
    await sim.world.clock.sleep(5 * 60_000);
    const cw = sim.cloudwatch({ region: 'us-west-2' });
    for (const metricName of ['AuroraGlobalDBReplicationLag', 'AuroraGlobalDBRPOLag']) {
      const r = await cw.getMetricData({
        namespace: 'AWS/RDS',
        metricName,
        dimensions: { DBClusterIdentifier: 'payments-usw2' },
        stat: 'Maximum',
        periodSeconds: 60,
        startTime: from,
        endTime: sim.world.now() + 1,
      });
      expect(r.values.length).toBeGreaterThanOrEqual(3);
      expect(new Set(r.values)).toEqual(new Set([750]));
    }
    // The primary publishes no global lag.
    const primary = await sim.cloudwatch({ region: 'us-east-1' }).getMetricData({
      namespace: 'AWS/RDS',
      metricName: 'AuroraGlobalDBReplicationLag',
      dimensions: { DBClusterIdentifier: 'payments-use1' },
      stat: 'Maximum',
      periodSeconds: 60,
      startTime: from,
      endTime: sim.world.now() + 1,
    });
    expect(primary.values).toEqual([]);
    expect(sim.cloudwatchSim.metrics('AWS/RDS', 'us-west-2').length).toBeGreaterThanOrEqual(6);
  });
});

describe('SsmSim', () => {
  test('parameters are seeded with the primary region and putParameter increments the version', async () => {
    const { sim } = world(['payments-prod']);
    const ssm = sim.ssm({ region: 'us-west-2' });
    expect(await ssm.getParameter('/payments/prod/db-region')).toEqual({
      name: '/payments/prod/db-region',
      value: 'us-east-1',
      version: 1,
      lastModifiedAt: expect.any(Number),
    });
    expect(await ssm.getParameter('/payments/prod/missing')).toBeUndefined();
    expect(await ssm.putParameter({ name: '/payments/prod/db-region', value: 'us-west-2', overwrite: true })).toEqual({ version: 2 });
    const [updated] = sim.world.log.find({ service: 'ssm', event: 'parameter-updated' });
    expect(await ssm.getParameter('/payments/prod/db-region')).toMatchObject({
      value: 'us-west-2',
      version: 2,
      lastModifiedAt: updated!.at,
    });
    // The other region's copy is separate.
    expect(await sim.ssm({ region: 'us-east-1' }).getParameter('/payments/prod/db-region')).toMatchObject({
      value: 'us-east-1',
      version: 1,
    });
    expect(sim.world.log.find({ service: 'ssm', event: 'parameter-updated' })).toHaveLength(1);
  });

  test('automation Pending -> InProgress -> Success, recorded once at its end time', async () => {
    const { sim } = world(['orders-prod']);
    const ssm = sim.ssm({ region: 'eu-central-1' });
    const { automationExecutionId: id } = await ssm.startAutomationExecution({
      documentName: 'orders-SwitchRegion',
      parameters: { Environment: ['prod'] },
      clientToken: TOKEN_A,
    });
    const statuses: string[] = [];
    const final = await waitForSim(sim, 'automation success', async () => {
      const x = await ssm.getAutomationExecution(id);
      if (statuses.at(-1) !== x.status) statuses.push(x.status);
      return x.status === 'Success' && x;
    });
    // Polls may miss the short Pending phase; what they saw is in order, and the log has all three.
    const order = ['Pending', 'InProgress', 'Success'];
    expect(statuses.at(-1)).toBe('Success');
    expect(statuses.map((x) => order.indexOf(x))).toEqual([...statuses.map((x) => order.indexOf(x))].sort());
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    const ok = sim.world.log.find({ service: 'ssm', resource: id, event: 'automation-succeeded' });
    expect(ok).toHaveLength(1);
    expect(ok[0]!.at).toBe(final.endTime);
    const run = final.endTime! - final.startTime!;
    expect(run).toBeGreaterThanOrEqual(20_000);
    expect(run).toBeLessThanOrEqual(62_000);
    expect(sim.world.log.find({ service: 'ssm', resource: id }).map((e) => e.event)).toEqual([
      'automation-pending',
      'automation-in-progress',
      'automation-succeeded',
    ]);
  });

  test('ClientToken: same token and input returns the same execution, other input is a mismatch, a UUID is required', async () => {
    const { sim } = world(['payments-prod']);
    const ssm = sim.ssm({ region: 'us-east-1' });
    const input = { documentName: 'gameday-FenceWrites', parameters: { Cluster: ['payments-use1'] }, clientToken: TOKEN_A };
    const first = await ssm.startAutomationExecution(input);
    expect(await ssm.startAutomationExecution(input)).toEqual(first);
    await expect(ssm.startAutomationExecution({ ...input, parameters: { Cluster: ['other'] } })).rejects.toMatchObject({
      name: 'IdempotentParameterMismatch',
    });
    await expect(ssm.startAutomationExecution({ ...input, clientToken: 'retry-1' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.startAutomationExecution({ ...input, documentName: 'NoSuchDoc', clientToken: TOKEN_B })).rejects.toMatchObject({
      name: 'AutomationDefinitionNotFoundException',
    });
    await expect(ssm.getAutomationExecution('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      name: 'AutomationExecutionNotFoundException',
    });
    // Executions are regional.
    await expect(sim.ssm({ region: 'us-west-2' }).getAutomationExecution(first.automationExecutionId)).rejects.toMatchObject({
      name: 'AutomationExecutionNotFoundException',
    });
    expect(sim.world.log.find({ service: 'ssm', event: 'automation-pending' })).toHaveLength(1);
  });

  test('stop: Cancelling -> Cancelled, never Success; stopping a finished execution is refused', async () => {
    const { sim } = world(['payments-prod']);
    const ssm = sim.ssm({ region: 'us-east-1' });
    const { automationExecutionId: id } = await ssm.startAutomationExecution({
      documentName: 'gameday-FenceWrites',
      parameters: {},
      clientToken: TOKEN_A,
    });
    await ssm.stopAutomationExecution(id);
    // The Cancelling window is a few simulated seconds: at this clock scale a read may land after
    // it, so the sequence is asserted on the ground-truth log rather than on a lucky read.
    expect(['Cancelling', 'Cancelled']).toContain((await ssm.getAutomationExecution(id)).status);
    await waitForSim(sim, 'cancelled', async () => (await ssm.getAutomationExecution(id)).status === 'Cancelled');
    const seq = sim.world.log
      .all()
      .filter((e) => e.resource === id)
      .map((e) => e.event);
    expect(seq.indexOf('automation-cancelling')).toBeGreaterThanOrEqual(0);
    expect(seq.indexOf('automation-cancelled')).toBeGreaterThan(seq.indexOf('automation-cancelling'));
    await sim.world.clock.sleep(90_000);
    expect((await ssm.getAutomationExecution(id)).status).toBe('Cancelled');
    expect(sim.world.log.find({ service: 'ssm', event: 'automation-succeeded' })).toHaveLength(0);
    await expect(ssm.stopAutomationExecution(id)).rejects.toMatchObject({ name: 'InvalidAutomationStatusUpdateException' });
  });

  test('a document made to fail ends Failed with its FailureMessage; its success effect runs otherwise', async () => {
    const { sim } = world(['payments-prod']);
    const ssm = sim.ssm({ region: 'us-east-1' });
    sim.ssmSim.failDocument('gameday-FenceWrites', 'Step revokeWrites failed: AccessDenied');
    const { automationExecutionId: bad } = await ssm.startAutomationExecution({
      documentName: 'gameday-FenceWrites',
      parameters: {},
      clientToken: TOKEN_A,
    });
    const failed = await waitForSim(sim, 'failed', async () => {
      const x = await ssm.getAutomationExecution(bad);
      return x.status === 'Failed' && x;
    });
    expect(failed.failureMessage).toBe('Step revokeWrites failed: AccessDenied');
    expect(sim.world.log.find({ service: 'ssm', resource: bad, event: 'automation-failed' })).toHaveLength(1);

    sim.ssmSim.failDocument('gameday-FenceWrites', undefined);
    const effects: string[][] = [];
    sim.ssmSim.registerDocument('us-east-1', 'gameday-FenceWrites', { effect: (p) => effects.push([...(p['Cluster'] ?? [])]) });
    const { automationExecutionId: good } = await ssm.startAutomationExecution({
      documentName: 'gameday-FenceWrites',
      parameters: { Cluster: ['payments-use1'] },
      clientToken: TOKEN_B,
    });
    await waitForSim(sim, 'success', async () => (await ssm.getAutomationExecution(good)).status === 'Success');
    expect(effects).toEqual([['payments-use1']]);
  });
});
