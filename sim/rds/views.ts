/** Port views (`GlobalCluster`, `DbCluster`, `DbInstance`) of the simulated RDS state. */
import type { DbCluster, DbInstance, GlobalCluster } from '../../activities/aws/ports';
import {
  BACKUP_RETENTION_MS,
  LATEST_RESTORABLE_LAG_MS,
  type ClusterState,
  type GlobalState,
  type InstanceState,
  type RdsState,
} from './state';

/** The port view of a global cluster. */
export function viewGlobal(rds: RdsState, g: GlobalState): GlobalCluster {
  return {
    globalClusterIdentifier: g.id,
    globalClusterArn: g.arn,
    status: g.status,
    engine: g.engine,
    engineVersion: g.engineVersion,
    endpoint: rds.globalEndpoint(g),
    members: g.memberArns.map((a) => ({
      dbClusterArn: a,
      isWriter: a === g.writerArn,
      readers: a === g.writerArn ? g.memberArns.filter((x) => x !== a) : [],
      synchronizationStatus: rds.clusters.get(a)?.syncStatus ?? 'connected',
    })),
    ...(g.failoverState ? { failoverState: { ...g.failoverState } } : {}),
  };
}

/** The port view of a cluster (restorable window, replication source). */
export function viewCluster(rds: RdsState, c: ClusterState): DbCluster {
  const now = rds.world.now();
  const ready = c.status !== 'creating';
  const g = c.globalId ? rds.globals.get(rds.globalArn(c.account, c.globalId)) : undefined;
  return {
    dbClusterIdentifier: c.id,
    dbClusterArn: c.arn,
    status: c.status,
    engine: c.engine,
    engineVersion: c.engineVersion,
    endpoint: `${c.id}.cluster-sim.${c.region}.rds.amazonaws.com`,
    readerEndpoint: `${c.id}.cluster-ro-sim.${c.region}.rds.amazonaws.com`,
    members: c.instanceIds.map((id) => ({ dbInstanceIdentifier: id, isClusterWriter: id === c.writerId })),
    ...(c.globalId ? { globalClusterIdentifier: c.globalId } : {}),
    backtrackWindowSeconds: c.backtrackWindowSeconds,
    ...(ready
      ? {
          earliestRestorableTime: Math.max(c.createdAt, now - BACKUP_RETENTION_MS),
          latestRestorableTime: Math.max(c.createdAt, now - LATEST_RESTORABLE_LAG_MS),
        }
      : {}),
    ...(c.subnetGroup ? { dbSubnetGroup: c.subnetGroup } : {}),
    tags: { ...c.tags },
    clusterCreateTime: c.createdAt,
    ...(g && g.writerArn !== c.arn && g.memberArns.includes(c.arn) ? { replicationSourceIdentifier: g.writerArn } : {}),
  };
}

/** The port view of an instance. */
export function viewInstance(rds: RdsState, i: InstanceState): DbInstance {
  return {
    dbInstanceIdentifier: i.id,
    dbInstanceArn: i.arn,
    dbClusterIdentifier: i.clusterId,
    status: i.status,
    availabilityZone: i.az,
    instanceClass: i.instanceClass,
    tags: { ...i.tags },
  };
}
