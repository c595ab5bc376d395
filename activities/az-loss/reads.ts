/**
 * The reads behind the AZ-loss steady state and recovery watches: where a cluster's writer is,
 * where a replication group's primaries are, which instances of an Auto Scaling group serve, the
 * health alarms, and one read of a watched thing (serving outside the AZ or not).
 */
import type { AzComponent, FisRef, WatchSpec } from '../../contracts/az-loss';
import { withAwsErrors } from '../aws/errors';
import type { AlarmState, AutoScalingGroup, DbCluster, ReplicationGroup } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { readRiding } from '../promotion/activity-context';

/** Where a cluster's writer is. */
export interface WriterPlace {
  readonly cluster: DbCluster;
  readonly writer?: string;
  readonly writerAz?: string;
  readonly writerStatus?: string;
}

/** One read of a watched thing: `ok` = it serves outside the AZ, `impaired` = it does not serve fully. */
export interface WatchRead {
  readonly ok: boolean;
  readonly impaired: boolean;
  readonly what: string;
}

/** What EC2 reads remember between polls (and attempts, via the baseline and the checkpoint). */
export interface ReadState {
  firstInAz?: string[];
  readonly lost: Set<string>;
}

/**
 * FIS actions that take an AZ away from an Auto Scaling group (launches refused, or the AZ cut off):
 * with one of them in the template, replacements must come up outside the AZ.
 */
const AZ_LOSING_ACTIONS: readonly string[] = [
  'aws:ec2:asg-insufficient-instance-capacity-error',
  'aws:ec2:api-insufficient-instance-capacity-error',
  'aws:network:disrupt-connectivity',
];

/** True when the template's actions take the AZ itself away from a group. */
export function takesAzAway(templateActions: Readonly<Record<string, string>>): boolean {
  return Object.values(templateActions).some((id) => AZ_LOSING_ACTIONS.includes(id));
}

/** Instances of a group that serve: `InService` and `Healthy`. */
export function servingInstances(g: AutoScalingGroup): AutoScalingGroup['instances'] {
  return g.instances.filter((i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy');
}

/** One-line state of a group for notes, e.g. `desired 3: i-1@us-east-1b InService/Healthy, …`. */
export function describeGroup(g: AutoScalingGroup): string {
  const list = g.instances.map((i) => `${i.instanceId}@${i.availabilityZone} ${i.lifecycleState}/${i.healthStatus}`).join(', ');
  return `desired ${g.desiredCapacity}: ${list || 'no instances'}`;
}

/** Where a cluster's writer is (cluster, writer instance, its AZ and status). */
export async function writerPlace(deps: ActivityDeps, ref: FisRef, clusterId: string): Promise<WriterPlace> {
  const api = deps.aws.rds({ region: ref.region, accountId: ref.account });
  const cluster = await withAwsErrors(() => api.describeDbCluster(clusterId), `rds.describeDbCluster(${clusterId})`);
  const writer = cluster.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier;
  if (!writer) return { cluster };
  const inst = await withAwsErrors(() => api.describeDbInstance(writer), `rds.describeDbInstance(${writer})`);
  return { cluster, writer, ...(inst.availabilityZone ? { writerAz: inst.availabilityZone } : {}), writerStatus: inst.status };
}

/** The primary of each node group of a replication group, with its AZ and status. */
export function primaries(rg: ReplicationGroup): { nodeGroupId: string; az?: string; status: string }[] {
  return rg.nodeGroups.map((g) => ({
    nodeGroupId: g.nodeGroupId,
    status: g.status,
    az: g.members.find((m) => m.currentRole === 'primary')?.availabilityZone,
  }));
}

/** The states of the named alarms (none for an empty list). */
export async function readAlarms(deps: ActivityDeps, ref: FisRef, names: readonly string[]): Promise<AlarmState[]> {
  if (names.length === 0) return [];
  const cw = deps.aws.cloudwatch({ region: ref.region, accountId: ref.account });
  return withAwsErrors(() => cw.describeAlarms(names), `cloudwatch.describeAlarms(${names.join(',')})`);
}

/**
 * A read of component `c` against `az` (see `watchComponentRecovery` for what "serves outside the
 * AZ" means per kind). EC2 reads update `st` (instances of the AZ first listed, instances seen
 * lost), which the baseline and the checkpoint carry.
 */
export function componentReader(
  deps: ActivityDeps,
  ref: FisRef & { readonly az: string },
  c: AzComponent,
  azLost: boolean,
  st: ReadState,
  signal?: AbortSignal,
): () => Promise<WatchRead> {
  const riding = signal ? { signal } : {};
  if (c.kind === 'ec2') {
    const asg = deps.aws.autoscaling({ region: ref.region, accountId: ref.account });
    return async () => {
      const g = await readRiding(() => asg.describeAutoScalingGroup(c.autoScalingGroup), deps.clock, riding);
      const listed = new Set(g.instances.map((i) => i.instanceId));
      st.firstInAz ??= g.instances.filter((i) => i.availabilityZone === ref.az).map((i) => i.instanceId);
      for (const id of st.firstInAz) if (!listed.has(id)) st.lost.add(id); // gone between two reads
      for (const i of g.instances) {
        if (i.availabilityZone === ref.az && (i.healthStatus !== 'Healthy' || !['InService', 'Pending'].includes(i.lifecycleState)))
          st.lost.add(i.instanceId);
      }
      const serving = servingInstances(g).filter((i) => !st.lost.has(i.instanceId));
      const eligible = azLost ? serving.filter((i) => i.availabilityZone !== ref.az) : serving;
      return {
        ok: eligible.length >= g.desiredCapacity && (azLost || st.lost.size > 0),
        impaired: st.lost.size > 0 || servingInstances(g).length < g.desiredCapacity,
        what: `${eligible.length}/${g.desiredCapacity} InService Healthy${azLost ? ` outside ${ref.az}` : ''}, ${st.lost.size} lost in ${ref.az} (${describeGroup(g)})`,
      };
    };
  }
  if (c.kind === 'aurora') {
    return async () => {
      const p = await readRiding(() => writerPlace(deps, ref, c.clusterId), deps.clock, riding);
      return {
        ok: p.cluster.status === 'available' && p.writerAz !== undefined && p.writerAz !== ref.az && p.writerStatus === 'available',
        impaired: p.cluster.status !== 'available' || p.writerStatus !== 'available',
        what: `${p.cluster.status}, writer ${p.writer ?? 'none'} in ${p.writerAz ?? '?'}`,
      };
    };
  }
  const cache = deps.aws.elasticache({ region: ref.region, accountId: ref.account });
  return async () => {
    const rg = await readRiding(() => cache.describeReplicationGroup(c.replicationGroupId), deps.clock, riding);
    const ps = primaries(rg);
    return {
      ok: rg.status === 'available' && ps.every((p) => p.az !== undefined && p.az !== ref.az && p.status === 'available'),
      impaired: rg.status !== 'available' || ps.some((p) => p.az === undefined || p.status !== 'available'),
      what: `${rg.status}, primaries ${ps.map((p) => `${p.nodeGroupId}@${p.az ?? 'none'}`).join(' ')}`,
    };
  };
}

/**
 * The app-healthy read: every data-path component serving outside the AZ and every health alarm
 * OK, in the same poll.
 */
export function serviceReader(
  deps: ActivityDeps,
  ref: FisRef & { readonly az: string },
  components: readonly AzComponent[],
  alarms: readonly string[],
  signal?: AbortSignal,
): () => Promise<WatchRead> {
  const readers = components.map((c) => ({ c, read: componentReader(deps, ref, c, false, { lost: new Set() }, signal) }));
  return async () => {
    const parts = await Promise.all(readers.map(async ({ c, read }) => ({ c, s: await read() })));
    const states = await readAlarms(deps, ref, alarms);
    const alarmsOk = states.length === alarms.length && states.every((a) => a.stateValue === 'OK');
    const alarmText =
      alarms.length > 0
        ? alarms.map((n) => `${n}=${states.find((a) => a.alarmName === n)?.stateValue ?? 'missing'}`).join(', ')
        : 'no health alarms';
    return {
      ok: parts.every((x) => x.s.ok) && alarmsOk,
      impaired: parts.some((x) => x.s.impaired) || !alarmsOk,
      what: `${parts.map((x) => `${x.c.id}: ${x.s.what}`).join('; ')}; ${alarmText}`,
    };
  };
}

/** Name of the app-healthy watch in baselines and checkpoints. */
export const SERVICE_WATCH = 'service';

/** The watch id of a spec: the component id, or `service`. */
export function watchIdOf(spec: WatchSpec): string {
  return spec.kind === 'component' ? spec.component.id : SERVICE_WATCH;
}
