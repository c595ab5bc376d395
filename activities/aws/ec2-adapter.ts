/**
 * `Ec2Api` over `@aws-sdk/client-ec2`: `DescribeInstances` by ids (tags and state, for the
 * blast-radius check and read-before-write) and `TerminateInstances` (the instance-termination
 * scenario's one mutation).
 */
import { DescribeInstancesCommand, TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { Ec2Api, Ec2Instance } from './ports';

/** Builds the EC2 port bound to `client`. */
export function createEc2Adapter(client: EC2Client): Ec2Api {
  return {
    async describeInstances(ids) {
      const out: Ec2Instance[] = [];
      let nextToken: string | undefined;
      do {
        const r = await client.send(
          new DescribeInstancesCommand({ InstanceIds: [...ids], ...(nextToken ? { NextToken: nextToken } : {}) }),
        );
        for (const res of r.Reservations ?? []) {
          for (const i of res.Instances ?? []) {
            out.push({
              instanceId: i.InstanceId ?? '',
              state: i.State?.Name ?? 'unknown',
              ...(i.Placement?.AvailabilityZone ? { availabilityZone: i.Placement.AvailabilityZone } : {}),
              tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
            });
          }
        }
        nextToken = r.NextToken;
      } while (nextToken);
      return out;
    },
    async terminateInstances(ids) {
      const r = await client.send(new TerminateInstancesCommand({ InstanceIds: [...ids] }));
      return (r.TerminatingInstances ?? []).map((c) => ({ instanceId: c.InstanceId ?? '', state: c.CurrentState?.Name ?? 'unknown' }));
    },
  };
}
