/** `awaitRestoredClusterAvailable`: the wait until the restored cluster is available (no mutation). */
import type { ActivityDeps } from '../deps';
import { awaitRestoredAvailable, observed, pollInActivity, type WaitRunner } from './aws-helpers';
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
  const r = await awaitRestoredAvailable(deps, plan, wait, {
    noun: 'cluster',
    id: plan.tempClusterId,
    read: () => rds.describeDbCluster(plan.tempClusterId),
    failedStates: CLUSTER_FAILED,
  });
  return observed(r, r.state.endpoint);
}
