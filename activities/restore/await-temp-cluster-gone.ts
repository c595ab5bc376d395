/** `awaitTempClusterGone`: the wait until a deleted temporary cluster no longer exists (cleanup-finished). */
import type { ActivityDeps } from '../deps';
import type { DbCluster } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { Observed, TempResourceRef } from '../../contracts/drill';
import { observed, pollInActivity, type WaitRunner, readOrUndefined } from './aws-helpers';

/** Waits until the temporary cluster no longer exists (cleanup-finished). */
export async function awaitTempClusterGone(
  deps: ActivityDeps,
  ref: TempResourceRef,
  pollIntervalMs: number,
  timeoutMs: number,
  wait: WaitRunner = pollInActivity,
): Promise<Observed> {
  const rds = deps.aws.rds(ref.target);
  const r = await withAwsErrors(
    () =>
      wait<DbCluster | undefined>(deps, {
        read: () => readOrUndefined(() => rds.describeDbCluster(ref.clusterId)),
        done: (c) => c === undefined,
        intervalMs: pollIntervalMs,
        fastIntervalMs: pollIntervalMs,
        timeoutMs,
        what: `temporary cluster ${ref.clusterId} deleted`,
      }),
    `await ${ref.clusterId} deleted`,
  );
  return observed(r);
}
