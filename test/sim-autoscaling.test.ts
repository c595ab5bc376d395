/**
 * The simulated Auto Scaling port over `Ec2Fleet`: a seeded group reads InService/Healthy across
 * three AZs; a stopped instance turns Unhealthy, then Terminating (and leaves the list), while its
 * replacement is launched outside the lost AZ as Pending and goes InService (matching the
 * ground-truth records); unknown names fail with `AutoScalingGroupNotFound`; and the port is
 * reachable through the sim HTTP server and client with its errors' names intact.
 */
import { startSimServer } from '../sim/server';
import { connectSim } from '../sim/http-client';
import { SimAwsError } from '../sim/world';
import { TERMINATING_MS } from '../sim/autoscaling';
import type { AutoScalingGroup } from '../activities/aws/ports';
import { fastSim, waitForSim } from './helpers/sim-wait';

const REGION = 'us-east-1';
const AZ = 'us-east-1a';

describe('simulated Auto Scaling', () => {
  it('follows a stopped instance through Unhealthy and Terminating to a replacement Pending then InService', async () => {
    const { sim } = fastSim(['payments-prod'], 600);
    try {
      const api = sim.autoscaling({ region: REGION, accountId: '111122223333' });
      const start = await api.describeAutoScalingGroup('payments-api');
      expect(start).toMatchObject({
        name: 'payments-api',
        desiredCapacity: 3,
        availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      });
      expect(start.instances.map((i) => [i.availabilityZone, i.lifecycleState, i.healthStatus]).sort()).toEqual([
        ['us-east-1a', 'InService', 'Healthy'],
        ['us-east-1b', 'InService', 'Healthy'],
        ['us-east-1c', 'InService', 'Healthy'],
      ]);
      const victim = start.instances.find((i) => i.availabilityZone === AZ)!.instanceId;

      // As in the AZ power interruption: launches into the AZ refused, its instance stopped.
      sim.fisSim.ec2.blockLaunches(REGION, [AZ]);
      sim.fisSim.ec2.stopInstances([victim]);
      const seen = new Set<string>();
      const byId = (g: AutoScalingGroup, id: string) => g.instances.find((i) => i.instanceId === id);
      const recovered = await waitForSim(sim, 'the replacement to go InService', async () => {
        const g = await api.describeAutoScalingGroup('payments-api');
        const v = byId(g, victim);
        seen.add(v ? `${v.lifecycleState}/${v.healthStatus}` : 'gone');
        for (const i of g.instances.filter((x) => x.instanceId !== victim && !start.instances.some((s) => s.instanceId === x.instanceId))) {
          seen.add(`replacement ${i.lifecycleState}/${i.healthStatus}`);
        }
        const serving = g.instances.filter(
          (i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy' && i.availabilityZone !== AZ,
        );
        return serving.length === 3 ? g : undefined;
      });
      expect([...seen]).toEqual(
        expect.arrayContaining([
          'InService/Unhealthy',
          'Terminating/Unhealthy',
          'replacement Pending/Healthy',
          'replacement InService/Healthy',
        ]),
      );
      expect(byId(recovered, victim)?.lifecycleState ?? 'gone').not.toBe('InService');

      const log = sim.world.log;
      const launched = log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-launched' });
      const inService = log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-in-service' });
      expect(launched).toHaveLength(1);
      expect(inService).toHaveLength(1);
      expect(inService[0]!.detail).toMatchObject({ instanceId: launched[0]!.detail!['instanceId'], replaces: victim });
      expect(inService[0]!.detail!['az']).not.toBe(AZ);
      expect(inService[0]!.at - launched[0]!.at).toBeGreaterThanOrEqual(20_000);
      expect(inService[0]!.at - launched[0]!.at).toBeLessThanOrEqual(60_000);

      // The terminated instance leaves the list once its termination is done.
      const terminatedAt = log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-terminated' })[0]!.at;
      await waitForSim(
        sim,
        'the terminated instance to leave the list',
        async () => sim.world.now() > terminatedAt + TERMINATING_MS && (await api.describeAutoScalingGroup('payments-api')),
      );
      expect(byId(await api.describeAutoScalingGroup('payments-api'), victim)).toBeUndefined();
    } finally {
      sim.close();
    }
  });

  it('fails an unknown name with AutoScalingGroupNotFound and a name in another region too', async () => {
    const { sim } = fastSim(['payments-prod']);
    try {
      await expect(sim.autoscaling({ region: REGION }).describeAutoScalingGroup('no-such-group')).rejects.toMatchObject({
        name: 'AutoScalingGroupNotFound',
        httpStatus: 400,
        retryable: false,
      });
      await expect(sim.autoscaling({ region: 'us-west-2' }).describeAutoScalingGroup('payments-api')).rejects.toMatchObject({
        name: 'AutoScalingGroupNotFound',
      });
      expect(sim.world.apiCalls.filter((c) => c.service === 'autoscaling' && c.operation === 'describeAutoScalingGroups')).toHaveLength(2);
    } finally {
      sim.close();
    }
  });

  it('is served through the sim HTTP server and client', async () => {
    const { sim } = fastSim(['payments-prod']);
    const server = await startSimServer({ sim });
    try {
      const client = await connectSim(server.url);
      const g = await client.aws.autoscaling({ region: REGION }).describeAutoScalingGroup('payments-api');
      expect(g).toEqual(await sim.autoscaling({ region: REGION }).describeAutoScalingGroup('payments-api'));
      const err = await client.aws
        .autoscaling({ region: REGION })
        .describeAutoScalingGroup('nope')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SimAwsError);
      expect(err).toMatchObject({ name: 'AutoScalingGroupNotFound', retryable: false });
    } finally {
      await server.close();
      sim.close();
    }
  });
});
