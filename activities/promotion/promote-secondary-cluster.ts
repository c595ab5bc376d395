/**
 * The point of no return of a promotion, and the wait for its outcome.
 *
 * `promoteSecondaryCluster` sends exactly one of SwitchoverGlobalCluster (in the current primary's
 * region), FailoverGlobalCluster with AllowDataLoss (in the target's region) or
 * RemoveFromGlobalCluster (in the target's region). RDS has no idempotency token for these, so it
 * reads the state first (aws-dr-api.md §1.8): an operation already in flight towards the target,
 * or a target that is already the writer / already detached, is reported and not sent again. A
 * retried activity or a restarted worker therefore never promotes twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { DbCluster, GlobalCluster } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { activityHooks } from './activity-context';
import { awaitAwsState, waitTiming } from './activity-poll';
import type { MutationResult, PlanMember, PollSettings, PromotionMode, WaitResult } from '../../contracts/promotion';

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

interface WritableState {
  readonly gc?: GlobalCluster;
  readonly cluster: DbCluster;
}

/**
 * True when the promoted cluster accepts writes: it is the global writer (switchover / failover;
 * Aurora may still be finishing the operation, `failoverState` clearing later) or standalone
 * (detach), and the regional view is available with a writer instance.
 */
export function isWritable(mode: PromotionMode, targetArn: string, s: WritableState): boolean {
  const regional = s.cluster.status === 'available' && s.cluster.members.some((m) => m.isClusterWriter);
  if (mode === 'detach') return regional && !s.cluster.globalClusterIdentifier;
  const member = s.gc?.members.find((m) => m.dbClusterArn === targetArn);
  return regional && member?.isWriter === true;
}

/** Waits until the promoted cluster accepts writes (aws-dr-api.md §1.4, layers 1 and 2). */
export async function awaitClusterWritable(
  deps: ActivityDeps,
  input: PromoteInput & { readonly poll: PollSettings; readonly timeoutMs: number },
): Promise<WaitResult> {
  const rds = deps.aws.rds({ region: input.target.region, accountId: input.account });
  const r = await awaitAwsState<WritableState>(deps.clock, {
    what: `${input.target.clusterId} writable after ${input.mode}`,
    read: async () => {
      const gc = input.mode === 'detach' ? undefined : await rds.describeGlobalCluster(input.globalClusterId);
      const cluster = await rds.describeDbCluster(input.target.clusterId);
      return { gc, cluster };
    },
    done: (s) => isWritable(input.mode, input.target.arn, s),
    failed: (s) =>
      s.cluster.status === 'failed' || s.cluster.status === 'inaccessible-encryption-credentials'
        ? `cluster status ${s.cluster.status}`
        : undefined,
    poll: input.poll,
    timeoutMs: input.timeoutMs,
    context: `await ${input.target.clusterId} writable`,
  });
  return {
    ...waitTiming(r),
    ...(r.state.cluster.endpoint !== undefined ? { endpoint: r.state.cluster.endpoint } : {}),
    detail: `writer ${r.state.cluster.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier ?? '?'} in ${input.target.region}`,
  };
}
