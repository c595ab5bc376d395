/** `awaitSourceRestorable`: the wait before a restore to the latest time (no mutation). */
import type { ActivityDeps } from '../deps';
import { withAwsErrors } from '../aws/errors';
import { observed, pollInActivity, type WaitRunner } from './aws-helpers';
import type { Observed } from '../../contracts/drill';
import type { RestorePlan } from '../../contracts/restore-verification';

/**
 * Waits until the source's latest restorable time reaches `after` (the marker rows are then inside
 * the restorable range), so a restore to the latest time must contain them.
 */
export async function awaitSourceRestorable(
  deps: ActivityDeps,
  plan: RestorePlan,
  after: number,
  wait: WaitRunner = pollInActivity,
): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await withAwsErrors(
    () =>
      wait(deps, {
        read: () => rds.describeDbCluster(plan.clusterId),
        done: (c) => c.latestRestorableTime === undefined || c.latestRestorableTime >= after,
        intervalMs: plan.pollIntervalMs,
        fastIntervalMs: plan.pollIntervalMs,
        timeoutMs: 30 * 60_000,
        what: `latest restorable time of ${plan.clusterId} reaching the marker rows`,
      }),
    `await restorable ${plan.clusterId}`,
  );
  return observed(r, r.state.latestRestorableTime === undefined ? 'latest restorable time not reported' : undefined);
}
