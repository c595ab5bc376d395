/** `awaitRestoredInstanceAvailable`: the wait until the restored instance is available (no mutation). */
import type { ActivityDeps } from '../deps';
import type { DbInstance } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import { observed, pollInActivity, type WaitRunner } from './aws-helpers';
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
  const r = await withAwsErrors(
    () =>
      wait<DbInstance>(deps, {
        read: () => rds.describeDbInstance(plan.tempInstanceId),
        done: (i) => i.status === 'available',
        failed: (i) => (INSTANCE_FAILED.has(i.status) ? `instance is ${i.status}` : undefined),
        intervalMs: plan.pollIntervalMs,
        fastIntervalMs: plan.pollIntervalMs,
        timeoutMs: plan.waitTimeoutMs,
        what: `restored instance ${plan.tempInstanceId} available`,
      }),
    `await ${plan.tempInstanceId} available`,
  );
  return observed(r);
}
