/**
 * Failback: the wait until the old primary's region replicates again within RPO.
 */
import type { ActivityDeps } from '../deps';
import { REPLICATION_LAG_METRIC } from '../preflight/check-replication-lag';
import { awaitAwsState, waitTiming } from './activity-poll';
import type { PollSettings, WaitResult } from '../../contracts/promotion';

/**
 * Waits until `secondary` is a replicating secondary of the global cluster again (member, not the
 * writer, `synchronizationStatus` connected when reported, no operation in flight) with its
 * replication lag within `rpoMs` (when CloudWatch reports it): "re-protected".
 */
export async function awaitReProtected(
  deps: ActivityDeps,
  input: {
    readonly account: string;
    readonly globalClusterId: string;
    readonly secondary: { readonly region: string; readonly clusterId: string; readonly arn: string };
    readonly rpoMs: number;
    readonly poll: PollSettings;
    readonly timeoutMs: number;
  },
): Promise<WaitResult> {
  const rds = deps.aws.rds({ region: input.secondary.region, accountId: input.account });
  const cw = deps.aws.cloudwatch({ region: input.secondary.region, accountId: input.account });
  let lagNote = 'lag not reported by CloudWatch';
  const r = await awaitAwsState(deps.clock, {
    what: `${input.secondary.clusterId} re-protected`,
    read: async () => {
      const gc = await rds.describeGlobalCluster(input.globalClusterId);
      const m = gc.members.find((x) => x.dbClusterArn === input.secondary.arn);
      const replicating = !!m && !m.isWriter && (m.synchronizationStatus ?? 'connected') === 'connected' && gc.failoverState === undefined;
      if (!replicating) return { ok: false };
      const now = deps.clock.now();
      const data = await cw
        .getMetricData({
          namespace: 'AWS/RDS',
          metricName: REPLICATION_LAG_METRIC,
          dimensions: { DBClusterIdentifier: input.secondary.clusterId },
          stat: 'Maximum',
          periodSeconds: 60,
          startTime: now - 60_000,
          endTime: now,
        })
        .catch(() => ({ values: [] as number[], timestamps: [] as number[] }));
      const lag = data.values[data.values.length - 1];
      if (lag === undefined) return { ok: true };
      lagNote = `lag ${Math.round(lag)} ms`;
      return { ok: lag <= input.rpoMs };
    },
    done: (s) => s.ok,
    poll: input.poll,
    timeoutMs: input.timeoutMs,
    context: `await ${input.secondary.clusterId} re-protected`,
  });
  return { ...waitTiming(r), detail: lagNote };
}
