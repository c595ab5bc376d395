/**
 * `ElbV2Api` over `@aws-sdk/client-elastic-load-balancing-v2`: `DescribeLoadBalancers` by name (the
 * region cut's steady state) and `DescribeTargetHealth` (the instance-termination recovery watch).
 */
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ElbV2Api } from './ports';

/** Builds the ELBv2 port bound to `client`. */
export function createElbV2Adapter(client: ElasticLoadBalancingV2Client): ElbV2Api {
  return {
    async describeLoadBalancers(names) {
      const r = await client.send(new DescribeLoadBalancersCommand({ Names: [...names] }));
      return (r.LoadBalancers ?? []).map((lb) => ({
        name: lb.LoadBalancerName ?? '',
        arn: lb.LoadBalancerArn ?? '',
        state: lb.State?.Code ?? 'unknown',
        ...(lb.DNSName ? { dnsName: lb.DNSName } : {}),
      }));
    },
    async describeTargetHealth(targetGroupArn) {
      const r = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
      return (r.TargetHealthDescriptions ?? []).map((d) => ({
        targetId: d.Target?.Id ?? '',
        state: d.TargetHealth?.State ?? 'unavailable',
        ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
      }));
    },
  };
}
