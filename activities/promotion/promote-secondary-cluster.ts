/**
 * The point of no return of a promotion.
 *
 * `promoteSecondaryCluster` sends exactly one of SwitchoverGlobalCluster (in the current primary's
 * region), FailoverGlobalCluster with AllowDataLoss (in the target's region) or
 * RemoveFromGlobalCluster (in the target's region). RDS has no idempotency token for these, so it
 * reads the state first (aws-dr-api.md §1.8): an operation already in flight towards the target,
 * or a target that is already the writer / already detached, is reported and not sent again. A
 * retried activity or a restarted worker therefore never promotes twice.
 *
 * Time of the call. `at` is read just before the call is sent and heartbeated with it, so a retry
 * that finds the operation in flight or done (the worker died after sending it) reports when it
 * was sent, not when the retry looked: AWS's own time of a switchover's start (RDS-EVENT-0181)
 * first, else the issue time the earlier attempt heartbeated, else the retry's own time marked
 * `atSource: 'found-later'` (the truth is earlier; the report names the gap).
 */
import { ApplicationFailure } from '@temporalio/common';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { activityHooks, attemptInfo } from './activity-context';
import { findRdsEvent, switchoverStartedEventOf } from './writer-event';
import type { MutationResult, PlanMember, PromotionMode } from '../../contracts/promotion';

/** Input of `promoteSecondaryCluster` and `awaitClusterWritable`. */
export interface PromoteInput {
  readonly mode: PromotionMode;
  readonly account: string;
  readonly globalClusterId: string;
  readonly source: PlanMember & { readonly arn: string };
  readonly target: PlanMember & { readonly arn: string };
  /** Clock ms the promotion was requested: nothing of it happened before (bounds AWS event lookups). */
  readonly requestedAt?: number;
}

/** When an operation this attempt found already in flight or done was really sent (see the module doc). */
async function sentAt(deps: ActivityDeps, input: PromoteInput): Promise<Pick<MutationResult, 'at' | 'atSource'> & { note?: string }> {
  const now = deps.clock.now();
  if (input.mode === 'switchover' && input.requestedAt !== undefined) {
    const rds = deps.aws.rds({ region: input.target.region, accountId: input.account });
    const ev = switchoverStartedEventOf(input.target.clusterId, input.target.region);
    const found = await findRdsEvent(rds, input.target.clusterId, ev, { since: input.requestedAt, until: now });
    if ('stamp' in found) return { at: found.stamp.at, atSource: 'aws', note: found.stamp.detail };
  }
  const prev = attemptInfo().previous;
  if (prev?.step === 'promote' && prev.phase === 'call' && typeof prev.issuedAt === 'number') {
    return { at: prev.issuedAt, atSource: 'earlier-attempt', note: 'sent by an earlier attempt (its heartbeated issue time)' };
  }
  return { at: now, atSource: 'found-later', note: 'found by this attempt; when it was sent is not known (earlier than this)' };
}

/** An `already-in-progress` / `already-done` result, timed by {@link sentAt}. */
async function found(
  deps: ActivityDeps,
  input: PromoteInput,
  effect: 'already-in-progress' | 'already-done',
  detail: string,
): Promise<MutationResult> {
  const t = await sentAt(deps, input);
  return { effect, at: t.at, ...(t.atSource ? { atSource: t.atSource } : {}), detail: t.note ? `${detail}; ${t.note}` : detail };
}

/** Failure type when another global operation (not ours) is in flight (non-retryable). */
export const CONFLICTING_GLOBAL_OPERATION = 'ConflictingGlobalOperation';

/** Reads, then sends the promote call unless it was already sent or already took effect. */
export async function promoteSecondaryCluster(deps: ActivityDeps, input: PromoteInput): Promise<MutationResult> {
  const { heartbeat } = activityHooks();
  // No heartbeat before the read: an attempt's first heartbeat reaches the server at once, and it
  // must be the one carrying the call's issue time (a later one may be throttled away by a crash).
  const targetRds = deps.aws.rds({ region: input.target.region, accountId: input.account });
  const ctx = (op: string): string => `rds.${op}(${input.globalClusterId} → ${input.target.clusterId})`;

  if (input.mode === 'detach') {
    const cluster = await withAwsErrors(() => targetRds.describeDbCluster(input.target.clusterId), ctx('describeDbCluster'));
    if (!cluster.globalClusterIdentifier) {
      return found(deps, input, 'already-done', `${input.target.clusterId} is already standalone (no global cluster)`);
    }
    if (cluster.status === 'promoting') return found(deps, input, 'already-in-progress', `${input.target.clusterId} is already promoting`);
    const at = deps.clock.now();
    heartbeat({ step: 'promote', phase: 'call', issuedAt: at });
    await withAwsErrors(
      () => targetRds.removeFromGlobalCluster({ globalClusterIdentifier: input.globalClusterId, dbClusterArn: input.target.arn }),
      ctx('removeFromGlobalCluster'),
    );
    return { effect: 'called', at, returnedAt: deps.clock.now(), detail: `RemoveFromGlobalCluster sent in ${input.target.region}` };
  }

  const gc = await withAwsErrors(() => targetRds.describeGlobalCluster(input.globalClusterId), ctx('describeGlobalCluster'));
  const targetMember = gc.members.find((m) => m.dbClusterArn === input.target.arn);
  if (gc.failoverState) {
    if (gc.failoverState.toDbClusterArn === input.target.arn) {
      return found(deps, input, 'already-in-progress', `${gc.failoverState.status} to ${input.target.clusterId} already in progress`);
    }
    throw ApplicationFailure.create({
      type: CONFLICTING_GLOBAL_OPERATION,
      message: `${input.globalClusterId}: a ${gc.failoverState.status} towards ${gc.failoverState.toDbClusterArn ?? '?'} is in progress (not started by this run); not promoting`,
      nonRetryable: true,
    });
  }
  if (targetMember?.isWriter) return found(deps, input, 'already-done', `${input.target.clusterId} is already the writer`);

  const at = deps.clock.now();
  heartbeat({ step: 'promote', phase: 'call', issuedAt: at });
  if (input.mode === 'switchover') {
    const sourceRds = deps.aws.rds({ region: input.source.region, accountId: input.account });
    await withAwsErrors(
      () => sourceRds.switchoverGlobalCluster({ globalClusterIdentifier: input.globalClusterId, targetDbClusterArn: input.target.arn }),
      ctx('switchoverGlobalCluster'),
    );
    return { effect: 'called', at, returnedAt: deps.clock.now(), detail: `SwitchoverGlobalCluster sent in ${input.source.region}` };
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
  return {
    effect: 'called',
    at,
    returnedAt: deps.clock.now(),
    detail: `FailoverGlobalCluster (AllowDataLoss) sent in ${input.target.region}`,
  };
}
