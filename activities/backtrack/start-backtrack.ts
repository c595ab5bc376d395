/**
 * `startBacktrack`: BacktrackDBCluster to T, the drill's one mutation of AWS and its point of no
 * return (the whole cluster rewinds). Reads the cluster's backtrack list first, so a retry that
 * finds its own request reuses it.
 */
import type { ActivityDeps } from '../deps';
import type { DbClusterBacktrack } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { BacktrackPlan, BacktrackPoint, BacktrackStarted } from '../../contracts/backtrack-drill';

function sameTarget(b: DbClusterBacktrack, to: number): boolean {
  // Aurora may move BacktrackTo to the nearest consistent time: accept a request within 60 s of T.
  return Math.abs(b.backtrackTo - to) <= 60_000 && b.status !== 'failed';
}

/** BacktrackDBCluster to T; a retry that finds a backtrack to T already requested reuses it. */
export async function startBacktrack(deps: ActivityDeps, plan: BacktrackPlan, point: BacktrackPoint): Promise<BacktrackStarted> {
  const rds = deps.aws.rds(plan.target);
  const existing = await withAwsErrors(
    () => rds.describeDbClusterBacktracks({ dbClusterIdentifier: plan.clusterId }),
    `rds.describeDbClusterBacktracks(${plan.clusterId})`,
  );
  const mine = existing.find((b) => sameTarget(b, point.backtrackTo) && (b.backtrackRequestCreationTime ?? Infinity) >= point.backtrackTo);
  if (mine) {
    return {
      backtrackIdentifier: mine.backtrackIdentifier,
      startedAt: mine.backtrackRequestCreationTime ?? deps.clock.now(),
      backtrackTo: mine.backtrackTo,
      alreadyExisted: true,
    };
  }
  const startedAt = deps.clock.now();
  const b = await withAwsErrors(
    () => rds.backtrackDbCluster({ dbClusterIdentifier: plan.clusterId, backtrackTo: point.backtrackTo }),
    `rds.backtrackDbCluster(${plan.clusterId})`,
  );
  return {
    backtrackIdentifier: b.backtrackIdentifier,
    startedAt: b.backtrackRequestCreationTime ?? startedAt,
    backtrackTo: b.backtrackTo,
    alreadyExisted: false,
  };
}
