/**
 * The simulated Route 53 and ARC: seeded records per routing policy, changes PENDING → INSYNC
 * with the served answer switching only at INSYNC, AWS error names for invalid calls, health
 * checks following ARC routing controls, and a complete ground-truth log.
 */
import { loadRunbookByName } from '../runbooks/load';
import { validateRunbookObject } from '../runbooks/load';
import { fastSimClosedAfterAll, waitForSim } from './helpers/sim-wait';

const world = fastSimClosedAfterAll();

/** payments-prod with ARC routing controls instead of failover records. */
function arcRunbook() {
  const rb = structuredClone(loadRunbookByName('payments-prod')) as unknown as Record<string, unknown>;
  rb['route53'] = {
    hostedZoneId: 'Z0PAYARC00001',
    recordName: 'arc.payments.example.com',
    routing: {
      policy: 'arc',
      clusterEndpoints: ['https://host-aaaaaa.us-west-2.example.com/v1', 'https://host-bbbbbb.eu-west-1.example.com/v1'],
      clusterRegion: 'us-west-2',
      routingControls: {
        'us-east-1': 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/use1',
        'us-west-2': 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/usw2',
      },
    },
    healthChecks: { 'us-east-1': 'hc-arc-use1', 'us-west-2': 'hc-arc-usw2' },
  };
  return validateRunbookObject(rb);
}

describe('Route53Sim', () => {
  test('seeds failover records PRIMARY/SECONDARY with health checks, traffic on the primary', async () => {
    const { sim } = world(['payments-prod']);
    const r53 = sim.route53({ accountId: '111122223333' });
    const records = await r53.listResourceRecordSets({ hostedZoneId: 'Z0PAYMENTS0001' });
    expect(records).toHaveLength(2);
    const primary = records.find((r) => r.failover === 'PRIMARY')!;
    const secondary = records.find((r) => r.failover === 'SECONDARY')!;
    expect(primary).toMatchObject({ setIdentifier: 'payments-use1', healthCheckId: 'hc-payments-use1', type: 'CNAME' });
    expect(primary.values![0]).toContain('payments-use1');
    expect(secondary).toMatchObject({ setIdentifier: 'payments-usw2', healthCheckId: 'hc-payments-usw2' });
    expect(sim.route53Sim.currentTarget('db.payments.example.com')).toBe('us-east-1');
    const hc = await r53.getHealthCheckStatus('hc-payments-use1');
    expect(hc.healthy).toBe(true);
    expect(hc.observations.length).toBeGreaterThan(3);
  });

  test('weighted shift: PENDING, served answer unchanged until INSYNC, then the new region; ground truth recorded once', async () => {
    const { sim } = world(['orders-prod']);
    const r53 = sim.route53();
    const records = await r53.listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001', name: 'api.orders.example.com' });
    expect(records.map((r) => [r.setIdentifier, r.weight])).toEqual(
      expect.arrayContaining([
        ['orders-euw1', 100],
        ['orders-euc1', 0],
      ]),
    );
    expect(sim.route53Sim.currentTarget('api.orders.example.com')).toBe('eu-west-1');
    const shifted = records.map((r) => ({
      action: 'UPSERT' as const,
      recordSet: { ...r, weight: r.setIdentifier === 'orders-euc1' ? 100 : 0 },
    }));
    const change = await r53.changeResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001', changes: shifted });
    expect(change.status).toBe('PENDING');
    expect(change.id).toMatch(/^\/change\/C[A-Z0-9]+$/);
    // The control plane lists the new weights at once; resolvers still get the old answer.
    const listed = await r53.listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001' });
    expect(listed.find((r) => r.setIdentifier === 'orders-euc1')!.weight).toBe(100);
    expect(sim.route53Sim.currentTarget('api.orders.example.com')).toBe('eu-west-1');

    const statuses: string[] = [];
    const done = await waitForSim(sim, 'change INSYNC', async () => {
      const c = await r53.getChange(change.id);
      statuses.push(c.status);
      return c.status === 'INSYNC' && c;
    });
    expect(done.submittedAt).toBe(change.submittedAt);
    expect(statuses[0]).toBe('PENDING');
    expect(sim.route53Sim.currentTarget('api.orders.example.com')).toBe('eu-central-1');

    const changeId = change.id.replace('/change/', '');
    const insync = sim.world.log.find({ service: 'route53', event: 'change-insync' });
    expect(insync).toHaveLength(1);
    expect(insync[0]!.detail).toEqual({ changeId });
    const lag = insync[0]!.at - change.submittedAt;
    expect(lag).toBeGreaterThanOrEqual(30_000);
    expect(lag).toBeLessThanOrEqual(90_000);
    expect(sim.world.log.find({ service: 'route53', event: 'change-submitted' })).toHaveLength(1);
  });

  test('a second change of the same zone goes INSYNC after the first', async () => {
    const { sim } = world(['orders-prod']);
    const r53 = sim.route53();
    const [a, b] = await r53.listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001' });
    const c1 = await r53.changeResourceRecordSets({
      hostedZoneId: 'Z0ORDERS00001',
      changes: [{ action: 'UPSERT', recordSet: { ...a!, weight: 50 } }],
    });
    const c2 = await r53.changeResourceRecordSets({
      hostedZoneId: 'Z0ORDERS00001',
      changes: [{ action: 'UPSERT', recordSet: { ...b!, weight: 50 } }],
    });
    await waitForSim(sim, 'both INSYNC', async () => (await r53.getChange(c2.id)).status === 'INSYNC');
    expect((await r53.getChange(c1.id)).status).toBe('INSYNC');
    const events = sim.world.log.find({ service: 'route53', event: 'change-insync' });
    expect(events.map((e) => e.detail!['changeId'])).toEqual([c1.id, c2.id].map((id) => id.replace('/change/', '')));
    expect(events[0]!.at).toBeLessThan(events[1]!.at);
    expect(sim.route53Sim.trafficShares('api.orders.example.com')).toEqual({ 'eu-west-1': 0.5, 'eu-central-1': 0.5 });
  });

  test('invalid calls answer with the AWS error names, and a failed batch changes nothing', async () => {
    const { sim } = world(['payments-prod']);
    const r53 = sim.route53();
    const zone = 'Z0PAYMENTS0001';
    const [primary] = (await r53.listResourceRecordSets({ hostedZoneId: zone })).filter((r) => r.failover === 'PRIMARY');
    await expect(r53.listResourceRecordSets({ hostedZoneId: 'Z0NOPE000001' })).rejects.toMatchObject({ name: 'NoSuchHostedZone' });
    await expect(
      r53.changeResourceRecordSets({ hostedZoneId: zone, changes: [{ action: 'CREATE', recordSet: primary! }] }),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('already exists'),
    });
    await expect(
      r53.changeResourceRecordSets({ hostedZoneId: zone, changes: [{ action: 'DELETE', recordSet: { ...primary!, ttl: 300 } }] }),
    ).rejects.toMatchObject({ name: 'InvalidChangeBatch', message: expect.stringContaining('do not match') });
    await expect(
      r53.changeResourceRecordSets({
        hostedZoneId: zone,
        changes: [{ action: 'DELETE', recordSet: { ...primary!, setIdentifier: 'nope' } }],
      }),
    ).rejects.toMatchObject({ name: 'InvalidChangeBatch', message: expect.stringContaining('not found') });
    // Mixing a weighted record into a failover set is refused, and the valid UPSERT in the same batch is not applied.
    await expect(
      r53.changeResourceRecordSets({
        hostedZoneId: zone,
        changes: [
          { action: 'UPSERT', recordSet: { ...primary!, ttl: 30 } },
          {
            action: 'CREATE',
            recordSet: { name: primary!.name, type: 'CNAME', setIdentifier: 'w', weight: 10, ttl: 60, values: ['x.example.com'] },
          },
        ],
      }),
    ).rejects.toMatchObject({ name: 'InvalidChangeBatch' });
    expect((await r53.listResourceRecordSets({ hostedZoneId: zone })).find((r) => r.failover === 'PRIMARY')!.ttl).toBe(60);
    await expect(
      r53.changeResourceRecordSets({
        hostedZoneId: zone,
        changes: [{ action: 'UPSERT', recordSet: { ...primary!, healthCheckId: 'hc-missing' } }],
      }),
    ).rejects.toMatchObject({ name: 'NoSuchHealthCheck' });
    await expect(
      r53.changeResourceRecordSets({
        hostedZoneId: zone,
        changes: [{ action: 'UPSERT', recordSet: { ...primary!, name: 'db.other.org' } }],
      }),
    ).rejects.toMatchObject({ name: 'InvalidChangeBatch', message: expect.stringContaining('not permitted') });
    await expect(r53.getChange('/change/CNOSUCHCHANGE1')).rejects.toMatchObject({ name: 'NoSuchChange' });
    await expect(r53.getHealthCheckStatus('hc-nope')).rejects.toMatchObject({ name: 'NoSuchHealthCheck' });
    expect(sim.world.log.find({ service: 'route53' })).toHaveLength(0);
  });

  test('DELETE with the exact values and CREATE in one batch changes the record', async () => {
    const { sim } = world(['payments-prod']);
    const r53 = sim.route53();
    const zone = 'Z0PAYMENTS0001';
    const [primary] = (await r53.listResourceRecordSets({ hostedZoneId: zone })).filter((r) => r.failover === 'PRIMARY');
    const c = await r53.changeResourceRecordSets({
      hostedZoneId: zone,
      changes: [
        { action: 'DELETE', recordSet: primary! },
        { action: 'CREATE', recordSet: { ...primary!, ttl: 30 } },
      ],
    });
    expect(c.status).toBe('PENDING');
    expect((await r53.listResourceRecordSets({ hostedZoneId: zone })).find((r) => r.failover === 'PRIMARY')!.ttl).toBe(30);
  });
});

describe('ArcSim with RECOVERY_CONTROL health checks', () => {
  const use1 = 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/use1';
  const usw2 = 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/usw2';

  test('controls seeded On for the primary, Off elsewhere; flipping them moves traffic via the health checks', async () => {
    const { sim } = world([arcRunbook()]);
    const arc = sim.arc({ region: 'us-west-2', clusterEndpoints: ['https://host-aaaaaa.us-west-2.example.com/v1'] });
    expect(await arc.getRoutingControlState(use1)).toEqual({ routingControlArn: use1, state: 'On' });
    expect((await arc.getRoutingControlState(usw2)).state).toBe('Off');
    // Seeded: primary healthy (On), secondary unhealthy after the first evaluation (Off).
    await waitForSim(sim, 'secondary health check follows Off', () => sim.route53Sim.healthCheckHealthy('hc-arc-usw2') === false);
    expect(sim.route53Sim.currentTarget('arc.payments.example.com')).toBe('us-east-1');

    const before = sim.world.now();
    await arc.updateRoutingControlStates({
      entries: [
        { routingControlArn: use1, state: 'Off' },
        { routingControlArn: usw2, state: 'On' },
      ],
    });
    expect((await arc.getRoutingControlState(use1)).state).toBe('Off');
    const updates = sim.world.log.find({ service: 'arc', event: 'routing-control-updated' });
    expect(updates.map((u) => [u.resource, u.detail!['state']])).toEqual([
      [use1, 'Off'],
      [usw2, 'On'],
    ]);
    expect(updates[0]!.at).toBeGreaterThanOrEqual(before);
    await waitForSim(sim, 'traffic on us-west-2', () => sim.route53Sim.currentTarget('arc.payments.example.com') === 'us-west-2');
    const flips = sim.world.log.find({ service: 'route53', resource: 'hc-arc-use1', event: 'health-check-status-changed' });
    expect(flips).toHaveLength(1);
    expect(flips[0]!.detail!['healthy']).toBe(false);
    // Setting the same state again changes nothing and records nothing.
    await arc.updateRoutingControlStates({ entries: [{ routingControlArn: usw2, state: 'On' }] });
    expect(sim.world.log.find({ service: 'arc' })).toHaveLength(2);
  });

  test('unknown controls, bad states and injected ARC errors', async () => {
    const { sim } = world([arcRunbook()]);
    const endpointA = 'https://host-aaaaaa.us-west-2.example.com/v1';
    const arcA = sim.arc({ region: 'us-west-2', clusterEndpoints: [endpointA] });
    const arcB = sim.arc({ region: 'eu-west-1', clusterEndpoints: ['https://host-bbbbbb.eu-west-1.example.com/v1'] });
    await expect(arcA.getRoutingControlState(`${use1}-nope`)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(arcA.updateRoutingControlStates({ entries: [{ routingControlArn: use1, state: 'ON' as 'On' }] })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    // A batch naming one unknown control changes none.
    await expect(
      arcA.updateRoutingControlStates({
        entries: [
          { routingControlArn: use1, state: 'Off' },
          { routingControlArn: `${usw2}-nope`, state: 'On' },
        ],
      }),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(sim.arcSim.state(use1)).toBe('On');

    sim.arcSim.injectError('EndpointTemporarilyUnavailableException', 1, endpointA);
    await expect(arcA.updateRoutingControlStates({ entries: [{ routingControlArn: use1, state: 'Off' }] })).rejects.toMatchObject({
      name: 'EndpointTemporarilyUnavailableException',
    });
    // The next cluster endpoint works.
    await arcB.updateRoutingControlStates({ entries: [{ routingControlArn: use1, state: 'Off' }] });
    expect(sim.arcSim.state(use1)).toBe('Off');
    sim.arcSim.injectError('ConflictException');
    await expect(arcB.getRoutingControlState(use1)).rejects.toMatchObject({ name: 'ConflictException' });
    expect((await arcB.getRoutingControlState(use1)).state).toBe('Off');
  });
});
