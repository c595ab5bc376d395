/** Creating and deleting instances and clusters of the simulated RDS. */
import type { CreateDbInstanceInput, DbCluster, DbInstance } from '../../activities/aws/ports';
import { err, type ClusterState, type InstanceState, type RdsState } from './state';
import { viewCluster, viewInstance } from './views';

/** `CreateDBInstance` in an available cluster; available after 5–10 min (stopped if its AZ is impaired). */
export function createInstance(rds: RdsState, input: CreateDbInstanceInput, region: string, account?: string): DbInstance {
  const c = rds.clusterIn(region, input.dbClusterIdentifier, account);
  if ([...rds.instances.values()].some((i) => i.region === region && i.account === c.account && i.id === input.dbInstanceIdentifier)) {
    throw err('DBInstanceAlreadyExistsFault', `DB instance already exists`);
  }
  if (c.status !== 'available') {
    throw err(
      'InvalidDBClusterStateFault',
      `DB cluster ${c.id} is not in an available state (status ${c.status}); create instances once it is available.`,
    );
  }
  if (input.engine !== c.engine) {
    throw err('InvalidParameterCombination', `The engine ${input.engine} does not match the engine ${c.engine} of DB cluster ${c.id}.`);
  }
  const az = input.availabilityZone ?? `${region}a`;
  const i = rds.addInstance(c, input.dbInstanceIdentifier, az, input.dbInstanceClass, 'creating', input.tags);
  rds.world.record({ service: 'rds', resource: i.id, event: 'instance-create-requested', detail: { cluster: c.id, az } });
  const at = rds.world.now() + rds.world.between(...rds.durations.createInstance);
  rds.transition(at, () => {
    if (i.status !== 'creating') return;
    i.status = rds.impairedAzs.has(`${region}/${az}`) ? 'stopped' : 'available';
    if (!c.writerId) c.writerId = i.id;
    rds.world.record({
      service: 'rds',
      resource: i.id,
      event: 'instance-available',
      at,
      detail: { cluster: c.id, writer: c.writerId === i.id },
    });
    rds.event(c, at, `DB instance ${i.id} created`, ['creation'], i.id, 'db-instance');
  });
  return viewInstance(rds, i);
}

/** `DeleteDBInstance`; a deleted writer is replaced by an available instance. */
export function deleteInstance(rds: RdsState, i: InstanceState): DbInstance {
  if (i.status === 'deleting') throw err('InvalidDBInstanceStateFault', `Instance ${i.id} is already being deleted.`);
  const c = rds.clusters.get(rds.clusterArn(i.account, i.region, i.clusterId));
  const now = rds.world.now();
  rds.mutate(now, () => {
    i.status = 'deleting';
  });
  rds.world.record({ service: 'rds', resource: i.id, event: 'instance-delete-requested', at: now });
  const at = now + rds.world.between(...rds.durations.deleteInstance);
  rds.transition(at, () => {
    rds.instances.delete(i.arn);
    if (c) {
      c.instanceIds = c.instanceIds.filter((x) => x !== i.id);
      if (c.writerId === i.id) {
        const next = c.instanceIds
          .map((x) => rds.instances.get(rds.instanceArn(c.account, c.region, x))!)
          .find((x) => x.status === 'available');
        c.writerId = next?.id;
        if (next)
          rds.world.record({
            service: 'rds',
            resource: c.id,
            event: 'cluster-writer-changed',
            at,
            detail: { from: i.id, to: next.id, az: next.az },
          });
      }
    }
    rds.world.record({ service: 'rds', resource: i.id, event: 'instance-deleted', at });
  });
  return viewInstance(rds, i);
}

/** `DeleteDBCluster` of a standalone cluster without live instances. */
export function deleteCluster(rds: RdsState, c: ClusterState): DbCluster {
  if (c.globalId) {
    throw err('InvalidGlobalClusterStateFault', `This cluster is a part of a global cluster, please remove it from globalcluster first`);
  }
  if (c.status === 'deleting') throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is already being deleted.`);
  const live = c.instanceIds.filter((id) => rds.instances.get(rds.instanceArn(c.account, c.region, id))?.status !== 'deleting');
  if (live.length > 0) {
    throw err('InvalidDBClusterStateFault', 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
  }
  const now = rds.world.now();
  rds.mutate(now, () => {
    c.status = 'deleting';
  });
  rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-delete-requested', at: now });
  const at = now + rds.world.between(...rds.durations.deleteCluster);
  rds.transition(at, () => {
    rds.clusters.delete(c.arn);
    for (const id of c.instanceIds) rds.instances.delete(rds.instanceArn(c.account, c.region, id));
    rds.sim.canary.drop(c.arn);
    rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-deleted', at });
  });
  return viewCluster(rds, c);
}
