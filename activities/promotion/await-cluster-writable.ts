/**
 * The wait until a promoted cluster accepts writes.
 */
import type { DbCluster, GlobalCluster } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { awaitAwsState, waitTiming } from './activity-poll';
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
