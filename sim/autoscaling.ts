/**
 * The simulated EC2 Auto Scaling API: `DescribeAutoScalingGroups` over the groups of `Ec2Fleet`
 * (`sim/ec2.ts`, reached as `sim.fisSim.ec2`). Lifecycle and health follow the group's EC2 health
 * check: a `pending` instance is `Pending`/Healthy; `running` is `InService`/Healthy; `stopping` or
 * `stopped` (e.g. after a FIS stop-instances or AZ power interruption) is `InService`/Unhealthy
 * until the group terminates it; a terminated instance shows as `Terminating`/Unhealthy for
 * {@link TERMINATING_MS} and is then gone from the list. Network-only impairment (FIS
 * disrupt-connectivity) leaves instances Healthy: the EC2 health check does not see it. An instance
terminated through the EC2 API (`shutting-down`) stays InService/Healthy until the group notices.
 */
import type { AutoScalingApi, AutoScalingGroup, AutoScalingGroupInstance, AwsTarget } from '../activities/aws/ports';
import type { SimAws } from './index';
import type { SimAsgSnapshot } from './ec2';
import { SimAwsError, type SimWorld } from './world';

/** How long a terminated instance stays listed as `Terminating` (simulated ms). */
export const TERMINATING_MS = 45_000;

/** Port view of one group at simulated time `now`. */
export function asgView(g: SimAsgSnapshot, now: number): AutoScalingGroup {
  const instances: AutoScalingGroupInstance[] = [];
  for (const i of g.instances) {
    const base = { instanceId: i.id, availabilityZone: i.az };
    switch (i.state) {
      case 'pending':
        instances.push({ ...base, lifecycleState: 'Pending', healthStatus: 'Healthy' });
        break;
      case 'running':
      case 'shutting-down': // terminated by an API call: the group sees it only at its next health check
        instances.push({ ...base, lifecycleState: 'InService', healthStatus: 'Healthy' });
        break;
      case 'stopping':
      case 'stopped':
        instances.push({ ...base, lifecycleState: 'InService', healthStatus: 'Unhealthy' });
        break;
      case 'terminated':
        if (i.terminatedAt !== undefined && now - i.terminatedAt < TERMINATING_MS) {
          instances.push({ ...base, lifecycleState: 'Terminating', healthStatus: 'Unhealthy' });
        }
        break;
    }
  }
  return { name: g.name, desiredCapacity: g.desired, minSize: g.desired, maxSize: g.desired * 2, availabilityZones: [...g.azs], instances };
}

/** The simulated Auto Scaling service (stateless: the groups live in `Ec2Fleet`). */
export class AutoScalingSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** The AutoScalingApi port of one region. */
  api(target?: Partial<AwsTarget>): AutoScalingApi {
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    return {
      describeAutoScalingGroup: (name) =>
        this.world.call(account, 'autoscaling', 'describeAutoScalingGroups', () => {
          // A regional control plane in an impaired region answers 500 (see SimWorld.impairedRegions).
          this.world.assertRegionReachable('autoscaling', region);
          if (typeof name !== 'string' || name.length === 0 || name.length > 255) {
            throw new SimAwsError(
              'ValidationError',
              `1 validation error detected: Value '${String(name)}' at 'autoScalingGroupNames.member.1' failed to satisfy constraint: Member must have length between 1 and 255`,
            );
          }
          const g = this.sim.fisSim.ec2.asgSnapshot(region, name);
          if (!g) {
            throw new SimAwsError(
              'AutoScalingGroupNotFound',
              `Auto Scaling group ${name} not found in ${region}; check the runbook's fis.autoScalingGroups and the account and region it points at`,
              400,
            );
          }
          return asgView(g, this.world.now());
        }),
    };
  }
}
