/**
 * The simulated ElastiCache: seeded Multi-AZ replication group, TestFailover moving the primary to
 * the replica's AZ (recorded once), the faults for a concurrent failover and unknown groups, the
 * rolling TestFailover budget, and an AZ power interruption failing the primary over.
 */
import type { SimAws } from '../sim';
import { fastSimClosedAfterAll, waitForSim } from './helpers/sim-wait';

const paymentsSim = fastSimClosedAfterAll();
const world = (): SimAws => paymentsSim(['payments-prod']).sim;

const primaryOf = (g: Awaited<ReturnType<ReturnType<SimAws['elasticache']>['describeReplicationGroup']>>) =>
  g.nodeGroups[0]!.members.find((m) => m.currentRole === 'primary')!;

describe('ElastiCacheSim', () => {
  test('seeded group: one node group, primary in AZ a, replica in AZ b, Multi-AZ with automatic failover', async () => {
    const sim = world();
    const g = await sim.elasticache({ region: 'us-east-1' }).describeReplicationGroup('payments-sessions');
    expect(g).toMatchObject({
      replicationGroupId: 'payments-sessions',
      status: 'available',
      automaticFailover: 'enabled',
      multiAz: 'enabled',
    });
    expect(g.nodeGroups).toHaveLength(1);
    expect(g.nodeGroups[0]!.nodeGroupId).toBe('0001');
    expect(g.nodeGroups[0]!.members.map((m) => [m.currentRole, m.availabilityZone])).toEqual([
      ['primary', 'us-east-1a'],
      ['replica', 'us-east-1b'],
    ]);
    await expect(sim.elasticache({ region: 'us-west-2' }).describeReplicationGroup('payments-sessions')).rejects.toMatchObject({
      name: 'ReplicationGroupNotFoundFault',
    });
  });

  test('TestFailover: modifying, a second one refused, primary moves to AZ b, then available', async () => {
    const sim = world();
    const ec = sim.elasticache({ region: 'us-east-1' });
    const started = await ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0001' });
    expect(started.status).toBe('modifying');
    expect(primaryOf(started).availabilityZone).toBe('us-east-1a');
    await expect(ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0001' })).rejects.toMatchObject({
      name: 'TestFailoverNotAvailableFault',
    });
    const moved = await waitForSim(sim, 'primary in us-east-1b', async () => {
      const g = await ec.describeReplicationGroup('payments-sessions');
      return primaryOf(g).availabilityZone === 'us-east-1b' && g;
    });
    expect(primaryOf(moved).cacheClusterId).toBe('payments-sessions-002');
    await waitForSim(sim, 'available', async () => (await ec.describeReplicationGroup('payments-sessions')).status === 'available');
    const changed = sim.world.log.find({ service: 'elasticache', event: 'elasticache-primary-changed' });
    expect(changed).toHaveLength(1);
    const requested = sim.world.log.find({ service: 'elasticache', event: 'elasticache-test-failover-requested' })[0]!;
    expect(changed[0]!.at - requested.at).toBeGreaterThanOrEqual(30_000);
    expect(changed[0]!.at - requested.at).toBeLessThanOrEqual(60_000);
    expect(changed[0]!.at).toBeLessThan(sim.world.log.find({ service: 'elasticache', event: 'elasticache-available' })[0]!.at);
  });

  test('errors: unknown group, unknown node group, and the 15-per-24h TestFailover budget', async () => {
    const sim = world();
    const ec = sim.elasticache({ region: 'us-east-1', accountId: '111122223333' });
    await expect(ec.testFailover({ replicationGroupId: 'nope', nodeGroupId: '0001' })).rejects.toMatchObject({
      name: 'ReplicationGroupNotFoundFault',
    });
    await expect(ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0002' })).rejects.toMatchObject({
      name: 'NodeGroupNotFoundFault',
    });
    for (let i = 0; i < 15; i++) {
      await ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0001' });
      await waitForSim(
        sim,
        `failover ${i} done`,
        async () => (await ec.describeReplicationGroup('payments-sessions')).status === 'available',
      );
    }
    await expect(ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0001' })).rejects.toMatchObject({
      name: 'APICallRateForCustomerExceededFault',
    });
    expect(sim.world.log.find({ service: 'elasticache', event: 'elasticache-primary-changed' })).toHaveLength(15);
  });

  test('AZ power interruption fails a primary in that AZ over, and blocks failing back onto it until restored', async () => {
    const sim = world();
    const ec = sim.elasticache({ region: 'us-east-1' });
    sim.elasticacheSim.interruptAzPower('us-east-1', 'us-east-1a');
    await waitForSim(
      sim,
      'primary left us-east-1a',
      async () => primaryOf(await ec.describeReplicationGroup('payments-sessions')).availabilityZone === 'us-east-1b',
    );
    await waitForSim(sim, 'available', async () => (await ec.describeReplicationGroup('payments-sessions')).status === 'available');
    // The only replica is in the powered-off AZ: no failover target.
    await expect(ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0001' })).rejects.toMatchObject({
      name: 'InvalidReplicationGroupStateFault',
    });
    sim.elasticacheSim.restoreAzPower('us-east-1', 'us-east-1a');
    expect((await ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0001' })).status).toBe('modifying');
    expect(sim.world.log.find({ service: 'elasticache' }).map((e) => e.event)).toEqual([
      'elasticache-az-power-interrupted',
      'elasticache-primary-changed',
      'elasticache-available',
      'elasticache-az-power-restored',
      'elasticache-test-failover-requested',
    ]);
  });
});
