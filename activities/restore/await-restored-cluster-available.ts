/** `awaitRestoredClusterAvailable`: the wait until the restored cluster is available (no mutation). */
import type { ActivityDeps } from '../deps';
import type { DbCluster } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import { observed, pollInActivity, type WaitRunner } from './aws-helpers';
import type { Observed } from '../../contracts/drill';
import type { RestorePlan } from '../../contracts/restore-verification';

const CLUSTER_FAILED = new Set([
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'deleting',
  'deleted',
  'inaccessible-encryption-credentials',
]);

/** Waits until the restored cluster is `available`; returns its writer endpoint in `detail`. */
export async function awaitRestoredClusterAvailable(
  deps: ActivityDeps,
  plan: RestorePlan,
  wait: WaitRunner = pollInActivity,
): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await withAwsErrors(
    () =>
      wait<DbCluster>(deps, {
        read: () => rds.describeDbCluster(plan.tempClusterId),
        done: (c) => c.status === 'available',
        failed: (c) => (CLUSTER_FAILED.has(c.status) ? `cluster is ${c.status}` : undefined),
        intervalMs: plan.pollIntervalMs,
        fastIntervalMs: plan.pollIntervalMs,
        timeoutMs: plan.waitTimeoutMs,
        what: `restored cluster ${plan.tempClusterId} available`,
      }),
    `await ${plan.tempClusterId} available`,
  );
  return observed(r, r.state.endpoint);
}
