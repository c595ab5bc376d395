/** `awaitBacktrackComplete`: the wait until the backtrack completed and the cluster is available again. */
import type { ActivityDeps } from '../deps';
import type { DbCluster, DbClusterBacktrack } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { Observed } from '../../contracts/drill';
import type { BacktrackPlan, BacktrackStarted } from '../../contracts/backtrack-drill';
import { observed, pollInActivity, type WaitRunner } from '../restore/aws-helpers';

/**
 * Waits until the backtrack is `completed` and the cluster is `available` again; each read is two
 * calls (the backtrack, then the cluster). `wait` runs the reads: in one activity every 1 s, or
 * one call per attempt on the budget queue (`budgetWait`).
 */
export async function awaitBacktrackComplete(
  deps: ActivityDeps,
  plan: BacktrackPlan,
  started: BacktrackStarted,
  wait: WaitRunner = pollInActivity,
): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await withAwsErrors(
    () =>
      wait<{ backtrack?: DbClusterBacktrack; cluster: DbCluster }>(deps, {
        read: async () => {
          const list = await rds.describeDbClusterBacktracks({
            dbClusterIdentifier: plan.clusterId,
            backtrackIdentifier: started.backtrackIdentifier,
          });
          const cluster = await rds.describeDbCluster(plan.clusterId);
          return { backtrack: list.find((b) => b.backtrackIdentifier === started.backtrackIdentifier), cluster };
        },
        done: (s) => s.backtrack?.status === 'completed' && s.cluster.status === 'available',
        failed: (s) => (s.backtrack?.status === 'failed' ? `backtrack ${started.backtrackIdentifier} failed` : undefined),
        intervalMs: 1000,
        fastIntervalMs: 1000,
        timeoutMs: plan.waitTimeoutMs,
        what: `backtrack of ${plan.clusterId} completed`,
      }),
    `await backtrack ${started.backtrackIdentifier}`,
  );
  return observed(r);
}
