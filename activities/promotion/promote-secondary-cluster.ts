/**
 * The point of no return of a promotion.
 *
 * `promoteSecondaryCluster` sends exactly one of SwitchoverGlobalCluster (in the current primary's
 * region), FailoverGlobalCluster with AllowDataLoss (in the target's region) or
 * RemoveFromGlobalCluster (in the target's region). RDS has no idempotency token for these, so it
 * reads the state first (aws-dr-api.md §1.8): an operation already in flight towards the target,
 * or a target that is already the writer / already detached, is reported and not sent again. A
 * retried activity or a restarted worker therefore never promotes twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { activityHooks } from './activity-context';
import type { MutationResult, PlanMember, PromotionMode } from '../../contracts/promotion';

/** Input of `promoteSecondaryCluster` and `awaitClusterWritable`. */
export interface PromoteInput {
  readonly mode: PromotionMode;
  readonly account: string;
  readonly globalClusterId: string;
  readonly source: PlanMember & { readonly arn: string };
  readonly target: PlanMember & { readonly arn: string };
}

/** Failure type when another global operation (not ours) is in flight (non-retryable). */
export const CONFLICTING_GLOBAL_OPERATION = 'ConflictingGlobalOperation';

/** Reads, then sends the promote call unless it was already sent or already took effect. */
export async function promoteSecondaryCluster(deps: ActivityDeps, input: PromoteInput): Promise<MutationResult> {
  const { heartbeat } = activityHooks();
  heartbeat({ step: 'promote', phase: 'read' });
  const targetRds = deps.aws.rds({ region: input.target.region, accountId: input.account });
  const ctx = (op: string): string => `rds.${op}(${input.globalClusterId} → ${input.target.clusterId})`;

  if (input.mode === 'detach') {
    const cluster = await withAwsErrors(() => targetRds.describeDbCluster(input.target.clusterId), ctx('describeDbCluster'));
    if (!cluster.globalClusterIdentifier) {
      return {
        effect: 'already-done',
        at: deps.clock.now(),
        detail: `${input.target.clusterId} is already standalone (no global cluster)`,
      };
    }
    if (cluster.status === 'promoting') {
      return { effect: 'already-in-progress', at: deps.clock.now(), detail: `${input.target.clusterId} is already promoting` };
    }
    heartbeat({ step: 'promote', phase: 'call' });
    const at = deps.clock.now();
    await withAwsErrors(
      () => targetRds.removeFromGlobalCluster({ globalClusterIdentifier: input.globalClusterId, dbClusterArn: input.target.arn }),
      ctx('removeFromGlobalCluster'),
    );
    return { effect: 'called', at, detail: `RemoveFromGlobalCluster sent in ${input.target.region}` };
  }

  const gc = await withAwsErrors(() => targetRds.describeGlobalCluster(input.globalClusterId), ctx('describeGlobalCluster'));
  const targetMember = gc.members.find((m) => m.dbClusterArn === input.target.arn);
  if (gc.failoverState) {
    if (gc.failoverState.toDbClusterArn === input.target.arn) {
      return {
        effect: 'already-in-progress',
        at: deps.clock.now(),
        detail: `${gc.failoverState.status} to ${input.target.clusterId} already in progress`,
      };
    }
    throw ApplicationFailure.create({
      type: CONFLICTING_GLOBAL_OPERATION,
      message: `${input.globalClusterId}: a ${gc.failoverState.status} towards ${gc.failoverState.toDbClusterArn ?? '?'} is in progress (not started by this run); not promoting`,
      nonRetryable: true,
    });
  }
  if (targetMember?.isWriter) {
    return { effect: 'already-done', at: deps.clock.now(), detail: `${input.target.clusterId} is already the writer` };
  }

  heartbeat({ step: 'promote', phase: 'call' });
  const at = deps.clock.now();
  if (input.mode === 'switchover') {
    const sourceRds = deps.aws.rds({ region: input.source.region, accountId: input.account });
    await withAwsErrors(
      () => sourceRds.switchoverGlobalCluster({ globalClusterIdentifier: input.globalClusterId, targetDbClusterArn: input.target.arn }),
      ctx('switchoverGlobalCluster'),
    );
    return { effect: 'called', at, detail: `SwitchoverGlobalCluster sent in ${input.source.region}` };
  }
  await withAwsErrors(
    () =>
      targetRds.failoverGlobalCluster({
        globalClusterIdentifier: input.globalClusterId,
        targetDbClusterArn: input.target.arn,
        allowDataLoss: true,
      }),
    ctx('failoverGlobalCluster'),
  );
  return { effect: 'called', at, detail: `FailoverGlobalCluster (AllowDataLoss) sent in ${input.target.region}` };
}
