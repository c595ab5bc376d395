/**
 * `ElastiCacheApi` over `@aws-sdk/client-elasticache`: replication-group reads and `TestFailover`
 * (which has no idempotency token; callers guard with a read first, aws-dr-api.md §0.5).
 */
import {
  DescribeReplicationGroupsCommand,
  ReplicationGroupNotFoundFault,
  TestFailoverCommand,
  type ElastiCacheClient,
  type ReplicationGroup as SdkReplicationGroup,
} from '@aws-sdk/client-elasticache';
import type { ElastiCacheApi, ReplicationGroup } from './ports';

/** SDK replication group → port replication group. */
export function mapReplicationGroup(g: SdkReplicationGroup): ReplicationGroup {
  const af = g.AutomaticFailover;
  return {
    replicationGroupId: g.ReplicationGroupId ?? '',
    status: g.Status ?? 'unknown',
    nodeGroups: (g.NodeGroups ?? []).map((ng) => ({
      nodeGroupId: ng.NodeGroupId ?? '',
      status: ng.Status ?? 'unknown',
      members: (ng.NodeGroupMembers ?? []).map((m) => ({
        cacheClusterId: m.CacheClusterId ?? '',
        currentRole: m.CurrentRole === 'primary' ? ('primary' as const) : ('replica' as const),
        availabilityZone: m.PreferredAvailabilityZone ?? '',
      })),
    })),
    automaticFailover: af === 'enabled' || af === 'enabling' || af === 'disabling' ? af : 'disabled',
    multiAz: g.MultiAZ === 'enabled' ? 'enabled' : 'disabled',
  };
}

/** Builds the ElastiCache port bound to `client`. */
export function createElastiCacheAdapter(client: ElastiCacheClient): ElastiCacheApi {
  const api: ElastiCacheApi = {
    async describeReplicationGroup(replicationGroupId) {
      const r = await client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: replicationGroupId }));
      const g = r.ReplicationGroups?.find((x) => x.ReplicationGroupId === replicationGroupId);
      if (!g) {
        throw new ReplicationGroupNotFoundFault({ message: `Replication group ${replicationGroupId} not found`, $metadata: {} });
      }
      return mapReplicationGroup(g);
    },

    async testFailover({ replicationGroupId, nodeGroupId }) {
      const r = await client.send(new TestFailoverCommand({ ReplicationGroupId: replicationGroupId, NodeGroupId: nodeGroupId }));
      if (r.ReplicationGroup) return mapReplicationGroup(r.ReplicationGroup);
      return api.describeReplicationGroup(replicationGroupId);
    },
  };
  return api;
}
