/**
 * `AutoScalingApi` over `@aws-sdk/client-auto-scaling`: one read, `DescribeAutoScalingGroups` for
 * one group name. AWS answers an unknown name with an empty list (no error); the adapter turns that
 * into {@link AutoScalingGroupNotFoundError} so a typo fails the activity instead of reading as an
 * empty group.
 */
import {
  DescribeAutoScalingGroupsCommand,
  type AutoScalingClient,
  type AutoScalingGroup as SdkAutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import type { AutoScalingApi, AutoScalingGroup } from './ports';

/** No Auto Scaling group of that name in the region and account (classified not-found, non-retryable). */
export class AutoScalingGroupNotFoundError extends Error {
  override readonly name = 'AutoScalingGroupNotFound';
  constructor(
    readonly autoScalingGroupName: string,
    region?: string,
  ) {
    super(
      `Auto Scaling group ${autoScalingGroupName} not found${region ? ` in ${region}` : ''}; check the runbook's fis.autoScalingGroups and the account and region it points at`,
    );
  }
}

/** SDK group → port group (instance health other than `Healthy` reads as `Unhealthy`). */
export function mapAutoScalingGroup(g: SdkAutoScalingGroup): AutoScalingGroup {
  return {
    name: g.AutoScalingGroupName ?? '',
    desiredCapacity: g.DesiredCapacity ?? 0,
    minSize: g.MinSize ?? 0,
    maxSize: g.MaxSize ?? 0,
    availabilityZones: [...(g.AvailabilityZones ?? [])],
    instances: (g.Instances ?? []).map((i) => ({
      instanceId: i.InstanceId ?? '',
      availabilityZone: i.AvailabilityZone ?? '',
      lifecycleState: i.LifecycleState ?? 'Pending',
      healthStatus: i.HealthStatus === 'Healthy' ? ('Healthy' as const) : ('Unhealthy' as const),
    })),
  };
}

/** Builds the Auto Scaling port bound to `client` (region for error messages). */
export function createAutoScalingAdapter(client: AutoScalingClient, region?: string): AutoScalingApi {
  return {
    async describeAutoScalingGroup(name) {
      const r = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
      const g = r.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === name);
      if (!g) throw new AutoScalingGroupNotFoundError(name, region);
      return mapAutoScalingGroup(g);
    },
  };
}
