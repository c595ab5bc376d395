/** Restores (point in time, from snapshot) and the automated snapshots of the simulated RDS. */
import type { AuroraEngine, DbCluster, RestoreFromSnapshotInput, RestoreToPointInTimeInput } from '../../activities/aws/ports';
import { err, versionOf, type ClusterState, type RdsState } from './state';
import { viewCluster } from './views';

/** Automated snapshots (seeded one per cluster), for tests and the restore drill set-up. */
export function listSnapshots(
  rds: RdsState,
  clusterId?: string,
): { id: string; arn: string; region: string; clusterId: string; createdAt: number }[] {
  return [...rds.snapshots.values()]
    .filter((s) => clusterId === undefined || s.clusterId === clusterId)
    .map((s) => ({ id: s.id, arn: s.arn, region: s.region, clusterId: s.clusterId, createdAt: s.createdAt }));
}

/** `RestoreDBClusterToPointInTime`: a new cluster with the source's rows up to the restore time. */
export function restorePitr(rds: RdsState, input: RestoreToPointInTimeInput, region: string, account?: string): DbCluster {
  const src = rds.clusterIn(region, input.sourceDbClusterIdentifier, account);
  if ((input.restoreToTime === undefined) === !input.useLatestRestorableTime) {
    throw err('InvalidParameterCombination', 'Specify exactly one of RestoreToTime or UseLatestRestorableTime.');
  }
  if (src.status === 'creating' || src.status === 'deleting') {
    throw err('InvalidDBClusterStateFault', `DB cluster ${src.id} is ${src.status}; it has no restorable window yet.`);
  }
  const view = viewCluster(rds, src);
  const restoreTo = input.restoreToTime ?? view.latestRestorableTime!;
  if (restoreTo > view.latestRestorableTime! || restoreTo < view.earliestRestorableTime!) {
    throw err(
      'InvalidRestoreFault',
      `The restore time ${new Date(restoreTo).toISOString()} is outside the restorable window ${new Date(view.earliestRestorableTime!).toISOString()} – ${new Date(view.latestRestorableTime!).toISOString()} of DB cluster ${src.id}.`,
    );
  }
  const c = createRestoredCluster(
    rds,
    input.dbClusterIdentifier,
    src.account,
    region,
    src.engine,
    input.dbSubnetGroupName ?? src.subnetGroup,
    input.tags,
  );
  const rows = rds.sim.canary.copyRows(src.arn, c.arn, restoreTo);
  rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-restore-requested', detail: { source: src.id, restoreTo, rows } });
  return viewCluster(rds, c);
}

/** `RestoreDBClusterFromSnapshot`: a new cluster with the source's rows up to the snapshot time. */
export function restoreSnapshot(rds: RdsState, input: RestoreFromSnapshotInput, region: string, account?: string): DbCluster {
  const snap = [...rds.snapshots.values()].find(
    (s) =>
      (s.arn === input.snapshotIdentifier || (s.id === input.snapshotIdentifier && s.region === region)) &&
      (account === undefined || s.account === account),
  );
  if (!snap) throw err('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${input.snapshotIdentifier} not found.`, 404);
  const c = createRestoredCluster(rds, input.dbClusterIdentifier, snap.account, region, input.engine, input.dbSubnetGroupName, input.tags);
  const src = rds.clusterArn(snap.account, snap.region, snap.clusterId);
  const rows = rds.clusters.has(src) ? rds.sim.canary.copyRows(src, c.arn, snap.createdAt) : 0;
  rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-restore-requested', detail: { snapshot: snap.id, rows } });
  return viewCluster(rds, c);
}

/** Adds a `creating` cluster that becomes available after 5–15 min. */
export function createRestoredCluster(
  rds: RdsState,
  id: string,
  account: string,
  region: string,
  engine: AuroraEngine,
  subnetGroup: string | undefined,
  tags: Readonly<Record<string, string>>,
): ClusterState {
  const arn = rds.clusterArn(account, region, id);
  if (rds.clusters.has(arn)) throw err('DBClusterAlreadyExistsFault', `DB cluster already exists`);
  const now = rds.world.now();
  const c: ClusterState = {
    id,
    arn,
    account,
    region,
    engine,
    engineVersion: versionOf(engine),
    status: 'creating',
    instanceIds: [],
    fenced: false,
    syncStatus: 'connected',
    awaitingReadd: false,
    backtrackWindowSeconds: 0,
    createdAt: now,
    subnetGroup,
    tags: { ...tags },
    lagMs: 0,
    backtracks: [],
  };
  rds.clusters.set(arn, c);
  const at = now + rds.world.between(...rds.durations.restoreCluster);
  rds.transition(at, () => {
    if (c.status !== 'creating') return;
    c.status = 'available';
    rds.world.record({ service: 'rds', resource: id, event: 'cluster-available', at });
    rds.event(c, at, 'DB cluster created', ['creation']);
  });
  return c;
}
