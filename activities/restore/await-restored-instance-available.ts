/** `awaitRestoredInstanceAvailable`: the wait until the restored instance is available (no mutation). */
import type { ActivityDeps } from '../deps';
import { awaitRestoredAvailable, observed, pollInActivity, type WaitRunner } from './aws-helpers';
import type { Observed } from '../../contracts/drill';
import type { RestorePlan } from '../../contracts/restore-verification';

const INSTANCE_FAILED = new Set([
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'deleting',
  'deleted',
  'storage-full',
]);

/** Waits until the restored instance is `available` (the restore is then usable: restore-available). */
export async function awaitRestoredInstanceAvailable(
  deps: ActivityDeps,
  plan: RestorePlan,
  wait: WaitRunner = pollInActivity,
): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await awaitRestoredAvailable(deps, plan, wait, {
    noun: 'instance',
    id: plan.tempInstanceId,
    read: () => rds.describeDbInstance(plan.tempInstanceId),
    failedStates: INSTANCE_FAILED,
  });
  return observed(r);
}
