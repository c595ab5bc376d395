/**
 * The simulated EC2 API (`DescribeInstances`, `TerminateInstances`) over the instances of
 * `Ec2Fleet` (`sim/ec2.ts`). Like AWS: an unknown instance id in TerminateInstances fails the
 * whole call with `InvalidInstanceID.NotFound`; DescribeInstances by ids does the same; a second
 * terminate of a terminated instance is harmless.
 */
import type { AwsTarget, Ec2Api, Ec2Instance } from '../activities/aws/ports';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

/** The simulated EC2 API. */
export class Ec2ApiSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** The Ec2Api port of one region. */
  api(target?: Partial<AwsTarget>): Ec2Api {
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    const fleet = this.sim.fisSim.ec2;
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(account, 'ec2', op, () => {
        this.world.assertRegionReachable('ec2', region);
        return fn();
      });
    const find = (ids: readonly string[]) => {
      const missing = ids.filter((id) => fleet.instance(id)?.region !== region);
      if (missing.length > 0)
        throw new SimAwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`, 400);
      return ids.map((id) => fleet.instance(id)!);
    };
    return {
      describeInstances: (ids) =>
        call('describeInstances', () =>
          find(ids).map((i): Ec2Instance => ({ instanceId: i.id, state: i.state, availabilityZone: i.az, tags: { ...i.tags } })),
        ),
      terminateInstances: (ids) =>
        call('terminateInstances', () => {
          find(ids);
          fleet.terminateInstances(ids);
          return ids.map((id) => ({ instanceId: id, state: fleet.instance(id)!.state }));
        }),
    };
  }
}
