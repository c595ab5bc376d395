/** In-region failover of the simulated Aurora (`FailoverDBCluster`, and the automatic one when a writer's AZ is lost). */
import type { DbCluster } from '../../activities/aws/ports';
import { err, type ClusterState, type InstanceState, type RdsState } from './state';
import { viewCluster } from './views';

/** `FailoverDBCluster`: promotes a reader (the named one, or one in another AZ) to writer. */
export function failoverInRegion(rds: RdsState, c: ClusterState, targetId?: string): DbCluster {
  if (c.status !== 'available') {
    throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is not in an available state (status ${c.status}).`);
  }
  if (targetId !== undefined) {
    if (!c.instanceIds.includes(targetId))
      throw err('DBInstanceNotFoundFault', `DBInstance ${targetId} not found in DB cluster ${c.id}.`, 404);
    const t = rds.instances.get(rds.instanceArn(c.account, c.region, targetId))!;
    if (t.status !== 'available')
      throw err('InvalidDBInstanceStateFault', `DB instance ${targetId} is not available (status ${t.status}).`);
  }
  const reader = pickReader(rds, c, targetId);
  if (!reader) throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} has no available reader to fail over to.`);
  startInRegionFailover(rds, c, reader.id, rds.world.now(), 'requested');
  return viewCluster(rds, c);
}

/** The named available instance, or an available reader preferably outside the writer's AZ. */
export function pickReader(rds: RdsState, c: ClusterState, targetId: string | undefined): InstanceState | undefined {
  const avail = c.instanceIds
    .map((id) => rds.instances.get(rds.instanceArn(c.account, c.region, id))!)
    .filter((i) => i.status === 'available' && (targetId === undefined ? i.id !== c.writerId : i.id === targetId));
  const writerAz = c.writerId ? rds.instances.get(rds.instanceArn(c.account, c.region, c.writerId))?.az : undefined;
  return avail.find((i) => i.az !== writerAz) ?? avail[0];
}

/** Starts an in-region failover to `toId` at `t0`; the writer changes after 30–60 s. */
export function startInRegionFailover(rds: RdsState, c: ClusterState, toId: string, t0: number, reason: string): void {
  const from = c.writerId;
  rds.mutate(t0, () => {
    c.status = 'failing-over';
  });
  rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-failover-requested', at: t0, detail: { from, to: toId, reason } });
  const toAz = rds.instances.get(rds.instanceArn(c.account, c.region, toId))?.az;
  const fromAz = from ? rds.instances.get(rds.instanceArn(c.account, c.region, from))?.az : undefined;
  rds.event(
    c,
    t0,
    fromAz === toAz ? `Started same AZ failover to DB instance: ${toId}` : `Started cross AZ failover to DB instance: ${toId}`,
    ['failover'],
  );
  const t1 = t0 + rds.world.between(...rds.durations.inRegionFailover);
  rds.transition(t1, () => {
    if (!rds.clusters.has(c.arn)) return;
    let to = rds.instances.get(rds.instanceArn(c.account, c.region, toId));
    if (to?.status !== 'available') to = pickReader(rds, c, undefined);
    c.status = 'available';
    if (!to) {
      rds.event(c, t1, 'Cluster failover failed, check the health of your cluster instances and try again.', ['failover']);
      rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-failover-failed', at: t1 });
      return;
    }
    c.writerId = to.id;
    rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-writer-changed', at: t1, detail: { from, to: to.id, az: to.az } });
    rds.event(c, t1, `Completed failover to DB instance: ${to.id}`, ['failover']);
  });
}
