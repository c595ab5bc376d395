/**
 * The wait until a promoted cluster accepts writes.
 */
import type { DbCluster, GlobalCluster } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { awaitAwsState, waitTiming } from './activity-poll';
import { findRdsEvent, writerEventOf, writesBlockedEventOf } from './writer-event';
import { OPERATION_DURATIONS } from '../../lib/poll-schedule';
import type { PollSettings, PromotionMode, WaitResult } from '../../contracts/promotion';
import type { PromoteInput } from './promote-secondary-cluster';

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

/**
 * Waits until the promoted cluster accepts writes (aws-dr-api.md §1.4, layers 1 and 2), then reads
 * AWS's own time of the change from the RDS event log (layer 3, `writer-event.ts`): `aws` is set
 * when the event was found in the window (`since` or the last read without the change, the read
 * that saw it], else `awsNote` says why the observation window stands.
 */
export async function awaitClusterWritable(
  deps: ActivityDeps,
  input: PromoteInput & {
    readonly poll: PollSettings;
    readonly timeoutMs: number;
    /** Clock ms before which the promotion cannot have happened (the promote call's issue time). */
    readonly since?: number;
  },
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
    ...(input.mode === 'detach'
      ? {}
      : { expected: input.mode === 'switchover' ? OPERATION_DURATIONS.globalSwitchover : OPERATION_DURATIONS.globalFailover }),
  });
  const event = writerEventOf(input.mode, input.target.clusterId, input.target.region);
  const since = r.previousReadAt ?? input.since;
  const found =
    event === undefined
      ? { note: 'AWS documents no RDS event for a detach (RemoveFromGlobalCluster); the observation window is used' }
      : since === undefined
        ? { note: `${event.id} not looked up: no lower bound for the promotion's time was given` }
        : await findRdsEvent(rds, input.target.clusterId, event, { since, until: r.observedAt });
  // A managed failover replicates until Aurora fences the old primary: AWS's time of the fence
  // bounds the RPO (lib/timeline.ts). Read in the old primary's region; unreachable = not used.
  const blocked =
    input.mode === 'failover' && input.since !== undefined
      ? await findRdsEvent(
          deps.aws.rds({ region: input.source.region, accountId: input.account }),
          undefined,
          writesBlockedEventOf(input.source.clusterId, input.source.region),
          { since: input.since, until: r.observedAt },
        )
      : undefined;
  return {
    ...waitTiming(r),
    ...(blocked && 'stamp' in blocked ? { writesBlocked: blocked.stamp } : {}),
    ...('stamp' in found ? { aws: found.stamp } : { awsNote: found.note }),
    ...(r.state.cluster.endpoint !== undefined ? { endpoint: r.state.cluster.endpoint } : {}),
    detail: `writer ${r.state.cluster.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier ?? '?'} in ${input.target.region}`,
  };
}
