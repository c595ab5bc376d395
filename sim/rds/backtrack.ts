/** Aurora MySQL backtrack of the simulated RDS. */
import type { DbClusterBacktrack } from '../../activities/aws/ports';
import { SEC, err, type ClusterState, type RdsState } from './state';

/** `BacktrackDBCluster` (Aurora MySQL, not in a global database): rewinds the canary rows after 5–20 s. */
export function backtrack(rds: RdsState, c: ClusterState, backtrackTo: number): DbClusterBacktrack {
  if (c.engine !== 'aurora-mysql') {
    throw err('InvalidDBClusterStateFault', `Backtrack is not enabled for the ${c.engine} engine.`);
  }
  if (c.globalId) {
    throw err(
      'InvalidDBClusterStateFault',
      `Backtrack is not supported for DB cluster ${c.id} because it is a member of global database ${c.globalId}.`,
    );
  }
  if (!c.backtrackWindowSeconds) {
    throw err('InvalidDBClusterStateFault', `Backtrack is not enabled for DB cluster ${c.id}.`);
  }
  if (c.status !== 'available') {
    throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is not in an available state (status ${c.status}).`);
  }
  const now = rds.world.now();
  if (backtrackTo > now) throw err('InvalidParameterValue', `The backtrack time ${new Date(backtrackTo).toISOString()} is in the future.`);
  const earliest = Math.max(c.createdAt, now - c.backtrackWindowSeconds * SEC);
  if (backtrackTo < earliest) {
    throw err(
      'InvalidDBClusterStateFault',
      `The backtrack time is earlier than the earliest backtrack time ${new Date(earliest).toISOString()} of DB cluster ${c.id}.`,
    );
  }
  const b = {
    backtrackIdentifier: rds.uuid(),
    status: 'applying',
    backtrackTo,
    backtrackedFrom: now,
    backtrackRequestCreationTime: now,
  };
  c.backtracks.push(b);
  rds.mutate(now, () => {
    c.status = 'backtracking';
  });
  rds.world.record({
    service: 'rds',
    resource: c.id,
    event: 'backtrack-requested',
    at: now,
    detail: { backtrackTo, id: b.backtrackIdentifier },
  });
  const t1 = now + rds.world.between(...rds.durations.backtrack);
  rds.transition(t1, () => {
    const removed = rds.sim.canary.rewind(c.arn, backtrackTo);
    b.status = 'completed';
    c.status = 'available';
    rds.world.record({
      service: 'rds',
      resource: c.id,
      event: 'backtrack-completed',
      at: t1,
      detail: { backtrackTo, rowsRemoved: removed, id: b.backtrackIdentifier },
    });
    rds.event(c, t1, `Backtrack to ${new Date(backtrackTo).toISOString()} completed.`, ['backtrack']);
  });
  return { ...b };
}

/** `DescribeDBClusterBacktracks`: all backtracks of `c`, or the one named (404 when unknown). */
export function describeBacktracks(c: ClusterState, backtrackIdentifier: string | undefined): DbClusterBacktrack[] {
  const list = c.backtracks.filter((b) => backtrackIdentifier === undefined || b.backtrackIdentifier === backtrackIdentifier);
  if (backtrackIdentifier !== undefined && list.length === 0) {
    throw err('DBClusterBacktrackNotFoundFault', `Backtrack ${backtrackIdentifier} not found for DB cluster ${c.id}.`, 404);
  }
  return list.map((b) => ({ ...b }));
}
