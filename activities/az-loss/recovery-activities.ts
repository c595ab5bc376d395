/**
 * Read-only activities of the AZ-loss game day: the steady-state check before the fault and the
 * per-component recovery watches after it. Each watch polls (heartbeating) until its component
 * serves again from outside the lost AZ and returns `component-impaired` / `component-recovered`
 * timeline events; the poll interval is the measurement's resolution (the true recovery lies in
 * (previous read, observed read]). An Auto Scaling group (`ec2:<asg>`) recovers when it again has
 * its desired capacity of InService, Healthy instances, its lost instances replaced (outside the AZ
 * when the AZ itself is lost).
 */
import { withAwsErrors } from '../aws/errors';
import { PollTimeoutError, pollUntil } from '../aws/poll';
import type { AlarmState, AutoScalingGroup, DbCluster, ReplicationGroup } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { activityHooks, readRiding } from '../promotion/activity-context';
import type { TimelineEvent } from '../../lib/measurement-types';
import type { AzComponent, ComponentWatchResult, FisRef, SteadyState, SteadyStateCheck } from './types';

/** Where a cluster's writer is. */
interface WriterPlace {
  readonly cluster: DbCluster;
  readonly writer?: string;
  readonly writerAz?: string;
  readonly writerStatus?: string;
}

/** Input of a component watch. */
export interface WatchComponentInput extends FisRef {
  readonly az: string;
  readonly component: AzComponent;
  /** When the fault began (experiment start); the component-impaired time when FIS gives no action start. */
  readonly faultAt: number;
  readonly experimentId: string;
  /** FIS action ids that hit this kind of component, e.g. `aws:rds:failover-db-cluster`. */
  readonly actionIds: readonly string[];
  /** Action name → actionId of the template, to find the action's start time. */
  readonly templateActions: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

const check = (name: string, ok: boolean, expected: string, found: string): SteadyStateCheck => ({ name, ok, expected, found });

/**
 * FIS actions that take an AZ away from an Auto Scaling group (launches refused, or the AZ cut off):
 * with one of them in the template, replacements must come up outside the AZ.
 */
const AZ_LOSING_ACTIONS: readonly string[] = [
  'aws:ec2:asg-insufficient-instance-capacity-error',
  'aws:ec2:api-insufficient-instance-capacity-error',
  'aws:network:disrupt-connectivity',
];

/** Instances of a group that serve: `InService` and `Healthy`. */
function servingInstances(g: AutoScalingGroup): AutoScalingGroup['instances'] {
  return g.instances.filter((i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy');
}

/** One-line state of a group for notes, e.g. `desired 3: i-1@us-east-1b InService/Healthy, …`. */
function describeGroup(g: AutoScalingGroup): string {
  const list = g.instances.map((i) => `${i.instanceId}@${i.availabilityZone} ${i.lifecycleState}/${i.healthStatus}`).join(', ');
  return `desired ${g.desiredCapacity}: ${list || 'no instances'}`;
}

/** Builds the steady-state and recovery-watch activities bound to `deps`. */
export function createRecoveryActivities(deps: ActivityDeps) {
  const rds = (ref: FisRef) => deps.aws.rds({ region: ref.region, accountId: ref.account });
  const cache = (ref: FisRef) => deps.aws.elasticache({ region: ref.region, accountId: ref.account });
  const cw = (ref: FisRef) => deps.aws.cloudwatch({ region: ref.region, accountId: ref.account });
  const asg = (ref: FisRef) => deps.aws.autoscaling({ region: ref.region, accountId: ref.account });

  async function writerPlace(ref: FisRef, clusterId: string): Promise<WriterPlace> {
    const api = rds(ref);
    const cluster = await withAwsErrors(() => api.describeDbCluster(clusterId), `rds.describeDbCluster(${clusterId})`);
    const writer = cluster.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier;
    if (!writer) return { cluster };
    const inst = await withAwsErrors(() => api.describeDbInstance(writer), `rds.describeDbInstance(${writer})`);
    return { cluster, writer, ...(inst.availabilityZone ? { writerAz: inst.availabilityZone } : {}), writerStatus: inst.status };
  }

  function primaries(rg: ReplicationGroup): { nodeGroupId: string; az?: string; status: string }[] {
    return rg.nodeGroups.map((g) => ({ nodeGroupId: g.nodeGroupId, status: g.status, az: g.members.find((m) => m.currentRole === 'primary')?.availabilityZone }));
  }

  async function alarms(ref: FisRef, names: readonly string[]): Promise<AlarmState[]> {
    if (names.length === 0) return [];
    return withAwsErrors(() => cw(ref).describeAlarms(names), `cloudwatch.describeAlarms(${names.join(',')})`);
  }

  /** Start time of the first template action of `actionIds` in the experiment (FIS-reported), if any. */
  async function actionStart(input: WatchComponentInput): Promise<number | undefined> {
    const e = await withAwsErrors(() => deps.aws.fis({ region: input.region, accountId: input.account }).getExperiment(input.experimentId), `fis.getExperiment(${input.experimentId})`);
    const starts = Object.entries(e.actions ?? {})
      .filter(([name]) => input.actionIds.includes(input.templateActions[name] ?? ''))
      .map(([, a]) => a.startTime)
      .filter((t): t is number => t !== undefined);
    return starts.length > 0 ? Math.min(...starts) : undefined;
  }

  return {
    /**
     * Steady state before the fault: every component available and multi-AZ, the stop-condition
     * and health alarms not in ALARM; also says which components have their writer/primary in the AZ.
     */
    async checkAzSteadyState(input: FisRef & { az: string; components: readonly AzComponent[]; stopConditionAlarms: readonly string[]; healthAlarms: readonly string[] }): Promise<SteadyState> {
      const checks: SteadyStateCheck[] = [];
      const inAz: string[] = [];
      for (const c of input.components) {
        if (c.kind === 'aurora') {
          const p = await writerPlace(input, c.clusterId);
          checks.push(check(`${c.id}: status`, p.cluster.status === 'available', 'available', p.cluster.status));
          const readers = p.cluster.members.filter((m) => !m.isClusterWriter).length;
          checks.push(check(`${c.id}: a reader to fail over to`, readers > 0, 'at least one reader', `${readers} reader(s)`));
          if (p.writerAz === input.az) inAz.push(c.id);
          checks.push(check(`${c.id}: writer`, p.writer !== undefined, 'a writer instance', p.writer ? `${p.writer} in ${p.writerAz ?? '?'}` : 'none'));
        } else if (c.kind === 'elasticache') {
          const rg = await withAwsErrors(() => cache(input).describeReplicationGroup(c.replicationGroupId), `elasticache.describeReplicationGroup(${c.replicationGroupId})`);
          checks.push(check(`${c.id}: status`, rg.status === 'available', 'available', rg.status));
          checks.push(check(`${c.id}: automatic failover`, rg.automaticFailover === 'enabled' && rg.multiAz === 'enabled', 'enabled, Multi-AZ', `${rg.automaticFailover}, Multi-AZ ${rg.multiAz}`));
          if (primaries(rg).some((p) => p.az === input.az)) inAz.push(c.id);
        } else if (c.kind === 'ec2') {
          const g = await withAwsErrors(() => asg(input).describeAutoScalingGroup(c.autoScalingGroup), `autoscaling.describeAutoScalingGroup(${c.autoScalingGroup})`);
          const serving = servingInstances(g);
          checks.push(check(`${c.id}: capacity`, serving.length >= g.desiredCapacity, `${g.desiredCapacity} InService Healthy instance(s)`, `${serving.length} (${describeGroup(g)})`));
          checks.push(check(`${c.id}: AZs to launch into`, g.availabilityZones.some((z) => z !== input.az), `an AZ other than ${input.az}`, g.availabilityZones.join(', ') || 'none'));
          if (serving.some((i) => i.availabilityZone === input.az)) inAz.push(c.id);
        }
      }
      for (const a of await alarms(input, input.stopConditionAlarms)) {
        checks.push(check(`stop condition ${a.alarmName}`, a.stateValue !== 'ALARM', 'not in ALARM', a.stateValue));
      }
      for (const a of await alarms(input, input.healthAlarms)) {
        checks.push(check(`health ${a.alarmName}`, a.stateValue === 'OK', 'OK', a.stateValue));
      }
      return { ok: checks.every((x) => x.ok), checks, inAz, at: deps.clock.now() };
    },

    /**
     * Watches one component until it serves again outside the AZ: Aurora — cluster available with
     * an available writer in another AZ; ElastiCache — group available with every primary outside
     * the AZ; Auto Scaling group — desired capacity InService and Healthy again, the instances seen
     * stopped/unhealthy in the AZ not among them, and none in the AZ when the template also takes
     * the AZ away (launches refused or network cut, {@link AZ_LOSING_ACTIONS}). Returns
     * `component-impaired` (FIS action start, else the fault start) and `component-recovered` (the
     * read that first saw recovery), or a note when it did not recover in time.
     */
    async watchComponentRecovery(input: WatchComponentInput): Promise<ComponentWatchResult> {
      const c = input.component;
      const hooks = activityHooks();
      const source = 'watchComponentRecovery';
      const riding = hooks.signal ? { signal: hooks.signal } : {};
      // EC2: instances of the AZ seen stopped/unhealthy must be replaced; when the template also
      // takes the AZ away (launches refused, network cut), the replacements must be elsewhere.
      const azLost = Object.values(input.templateActions).some((id) => AZ_LOSING_ACTIONS.includes(id));
      const lostInstances = new Set<string>();
      let firstInAz: readonly string[] | undefined;
      const read = c.kind === 'ec2'
        ? async () => {
            const g = await readRiding(() => asg(input).describeAutoScalingGroup(c.autoScalingGroup), deps.clock, riding);
            const listed = new Set(g.instances.map((i) => i.instanceId));
            firstInAz ??= g.instances.filter((i) => i.availabilityZone === input.az).map((i) => i.instanceId);
            for (const id of firstInAz) if (!listed.has(id)) lostInstances.add(id); // gone between two reads
            for (const i of g.instances) {
              if (i.availabilityZone === input.az && (i.healthStatus !== 'Healthy' || !['InService', 'Pending'].includes(i.lifecycleState))) lostInstances.add(i.instanceId);
            }
            const serving = servingInstances(g).filter((i) => !lostInstances.has(i.instanceId));
            const eligible = azLost ? serving.filter((i) => i.availabilityZone !== input.az) : serving;
            const ok = eligible.length >= g.desiredCapacity && (azLost || lostInstances.size > 0);
            const impaired = lostInstances.size > 0 || servingInstances(g).length < g.desiredCapacity;
            return { ok, impaired, what: `${eligible.length}/${g.desiredCapacity} InService Healthy${azLost ? ` outside ${input.az}` : ''}, ${lostInstances.size} lost in ${input.az} (${describeGroup(g)})` };
          }
        : c.kind === 'aurora'
        ? async () => {
            const p = await readRiding(() => writerPlace(input, c.clusterId), deps.clock, hooks.signal ? { signal: hooks.signal } : {});
            const ok = p.cluster.status === 'available' && p.writerAz !== undefined && p.writerAz !== input.az && p.writerStatus === 'available';
            return { ok, impaired: p.cluster.status !== 'available' || p.writerStatus !== 'available', what: `${p.cluster.status}, writer ${p.writer ?? 'none'} in ${p.writerAz ?? '?'}` };
          }
        : async () => {
            const rg = await readRiding(() => cache(input).describeReplicationGroup(c.replicationGroupId), deps.clock, hooks.signal ? { signal: hooks.signal } : {});
            const ps = primaries(rg);
            const ok = rg.status === 'available' && ps.every((p) => p.az !== undefined && p.az !== input.az && p.status === 'available');
            return { ok, impaired: rg.status !== 'available' || ps.some((p) => p.az === undefined || p.status !== 'available'), what: `${rg.status}, primaries ${ps.map((p) => `${p.nodeGroupId}@${p.az ?? 'none'}`).join(' ')}` };
          };
      let detectedAt: number | undefined;
      let last = '';
      try {
        const res = await pollUntil({
          read: async () => {
            const s = await read();
            if (s.impaired && detectedAt === undefined) detectedAt = deps.clock.now();
            last = s.what;
            return s;
          },
          done: (s) => s.ok,
          clock: deps.clock,
          intervalMs: input.pollIntervalMs,
          fastIntervalMs: input.pollIntervalMs,
          timeoutMs: input.timeoutMs,
          heartbeat: hooks.heartbeat,
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          what: `${c.id} to serve outside ${input.az}`,
        });
        const impairedAt = (await actionStart(input)) ?? input.faultAt;
        const events: TimelineEvent[] = [
          { name: 'component-impaired', at: impairedAt, source, component: c.id, detail: `FIS action on ${c.id} started (fault in ${input.az})` },
          ...(detectedAt !== undefined ? [{ name: 'failure-detected' as const, at: detectedAt, source, component: c.id, detail: `${c.id} seen impaired` }] : []),
          { name: 'component-recovered', at: res.observedAt, source, component: c.id, detail: `${c.id}: ${last} (previous read ${res.previousReadAt ?? 'none'})` },
        ];
        return { component: c.id, events, polls: res.polls, recoveredWindow: { ...(res.previousReadAt !== undefined ? { previousReadAt: res.previousReadAt } : {}), observedAt: res.observedAt } };
      } catch (err) {
        if (err instanceof PollTimeoutError) {
          const impairedAt = (await actionStart(input)) ?? input.faultAt;
          return {
            component: c.id,
            events: [{ name: 'component-impaired', at: impairedAt, source, component: c.id, detail: `fault in ${input.az}` }],
            polls: 0,
            note: `${c.id} did not recover within ${Math.round(input.timeoutMs / 1000)} s (last seen: ${last})`,
          };
        }
        throw err;
      }
    },

    /** Waits until every health alarm of the region is OK; returns when that was first seen. */
    async awaitHealthAlarmsOk(input: FisRef & { alarms: readonly string[]; timeoutMs: number; pollIntervalMs: number }): Promise<{ observedAt: number; previousReadAt?: number; states: string }> {
      const hooks = activityHooks();
      const res = await pollUntil({
        read: () => alarms(input, input.alarms),
        done: (s) => s.length === input.alarms.length && s.every((a) => a.stateValue === 'OK'),
        clock: deps.clock,
        intervalMs: input.pollIntervalMs,
        fastIntervalMs: input.pollIntervalMs,
        timeoutMs: input.timeoutMs,
        heartbeat: hooks.heartbeat,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        what: `health alarms ${input.alarms.join(', ')} to be OK`,
      });
      return { observedAt: res.observedAt, ...(res.previousReadAt !== undefined ? { previousReadAt: res.previousReadAt } : {}), states: res.state.map((a) => `${a.alarmName}=${a.stateValue}`).join(', ') };
    },

    /** The clock's current time (sim ms in sim mode), for timeline events the workflow records. */
    async readClock(): Promise<number> {
      return deps.clock.now();
    },
  };
}
