/**
 * Read-only activities of the AZ-loss game day: the steady-state check before the fault and the
 * recovery watches. Every watch starts BEFORE the fault: a baseline read, a `watchArmed` signal to
 * the workflow (which starts the experiment only when all are armed), then polls (heartbeating a
 * resumable checkpoint) until its thing serves again from outside the lost AZ. The poll interval
 * is the measurement's resolution: the true recovery lies in (previous read, observed read].
 * - `watchComponentRecovery`: one component — Aurora writer, ElastiCache primaries, or an Auto
 *   Scaling group (`ec2:<asg>`: desired capacity InService and Healthy again, its lost instances
 *   replaced, outside the AZ when the AZ itself is lost).
 * - `watchServiceHealth`: app-healthy — the data path (Aurora, ElastiCache) serving outside the AZ
 *   and the region's health alarms OK in the same poll.
 */
import { Context } from '@temporalio/activity';
import { withAwsErrors } from '../aws/errors';
import { PollTimeoutError, pollUntil } from '../aws/poll';
import type { AlarmState, AutoScalingGroup, DbCluster, ReplicationGroup } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { activityHooks, readRiding } from '../promotion/activity-context';
import { watchArmedSignal, type WatchArmed } from '../../workflows/messages';
import type {
  AzComponent,
  ComponentWatchResult,
  FisRef,
  ServiceWatchResult,
  SteadyState,
  SteadyStateCheck,
  WatchCheckpoint,
  WatchNotify,
  WatchObservation,
} from './types';

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
  /** Action name → actionId of the template (whether the template takes the AZ away from a group). */
  readonly templateActions: Readonly<Record<string, string>>;
  /**
   * Budget of each phase, clock ms: to be seen impaired (or recovered) after the baseline read,
   * then to recover after being seen impaired. The recovery timeout of the run.
   */
  readonly timeoutMs: number;
  /** Poll interval, clock ms: the resolution of the observed recovery. */
  readonly pollIntervalMs: number;
  /** Workflow to signal `watchArmed` after the baseline read; absent = no signal (direct calls). */
  readonly notify?: WatchNotify;
}

/** Input of the app-healthy watch (`watchServiceHealth`). */
export interface WatchServiceInput extends FisRef {
  readonly az: string;
  /** The data path: components (Aurora, ElastiCache) that must serve outside the AZ. */
  readonly components: readonly AzComponent[];
  /** Health alarms of the region; all must be OK. */
  readonly alarms: readonly string[];
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly notify?: WatchNotify;
}

/** Name of the app-healthy watch in `watchArmed` signals and checkpoints. */
export const SERVICE_WATCH = 'service';

/** One read of a watched thing. */
interface ComponentRead {
  readonly ok: boolean;
  readonly impaired: boolean;
  readonly what: string;
}

/** What EC2 reads remember between polls (and attempts, via the checkpoint). */
interface ReadState {
  firstInAz?: string[];
  readonly lost: Set<string>;
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
    return rg.nodeGroups.map((g) => ({
      nodeGroupId: g.nodeGroupId,
      status: g.status,
      az: g.members.find((m) => m.currentRole === 'primary')?.availabilityZone,
    }));
  }

  async function alarms(ref: FisRef, names: readonly string[]): Promise<AlarmState[]> {
    if (names.length === 0) return [];
    return withAwsErrors(() => cw(ref).describeAlarms(names), `cloudwatch.describeAlarms(${names.join(',')})`);
  }

  /**
   * A read of component `c` against `az`: `ok` = it serves outside the AZ (see
   * `watchComponentRecovery`), `impaired` = it does not serve fully. EC2 reads update `st`
   * (instances of the AZ first listed, instances seen lost), which the checkpoint carries.
   */
  function componentReader(
    ref: FisRef & { readonly az: string },
    c: AzComponent,
    azLost: boolean,
    st: ReadState,
    signal?: AbortSignal,
  ): () => Promise<ComponentRead> {
    const riding = signal ? { signal } : {};
    if (c.kind === 'ec2') {
      return async () => {
        const g = await readRiding(() => asg(ref).describeAutoScalingGroup(c.autoScalingGroup), deps.clock, riding);
        const listed = new Set(g.instances.map((i) => i.instanceId));
        st.firstInAz ??= g.instances.filter((i) => i.availabilityZone === ref.az).map((i) => i.instanceId);
        for (const id of st.firstInAz) if (!listed.has(id)) st.lost.add(id); // gone between two reads
        for (const i of g.instances) {
          if (i.availabilityZone === ref.az && (i.healthStatus !== 'Healthy' || !['InService', 'Pending'].includes(i.lifecycleState)))
            st.lost.add(i.instanceId);
        }
        const serving = servingInstances(g).filter((i) => !st.lost.has(i.instanceId));
        const eligible = azLost ? serving.filter((i) => i.availabilityZone !== ref.az) : serving;
        const ok = eligible.length >= g.desiredCapacity && (azLost || st.lost.size > 0);
        const impaired = st.lost.size > 0 || servingInstances(g).length < g.desiredCapacity;
        return {
          ok,
          impaired,
          what: `${eligible.length}/${g.desiredCapacity} InService Healthy${azLost ? ` outside ${ref.az}` : ''}, ${st.lost.size} lost in ${ref.az} (${describeGroup(g)})`,
        };
      };
    }
    if (c.kind === 'aurora') {
      return async () => {
        const p = await readRiding(() => writerPlace(ref, c.clusterId), deps.clock, riding);
        const ok = p.cluster.status === 'available' && p.writerAz !== undefined && p.writerAz !== ref.az && p.writerStatus === 'available';
        return {
          ok,
          impaired: p.cluster.status !== 'available' || p.writerStatus !== 'available',
          what: `${p.cluster.status}, writer ${p.writer ?? 'none'} in ${p.writerAz ?? '?'}`,
        };
      };
    }
    return async () => {
      const rg = await readRiding(() => cache(ref).describeReplicationGroup(c.replicationGroupId), deps.clock, riding);
      const ps = primaries(rg);
      const ok = rg.status === 'available' && ps.every((p) => p.az !== undefined && p.az !== ref.az && p.status === 'available');
      return {
        ok,
        impaired: rg.status !== 'available' || ps.some((p) => p.az === undefined || p.status !== 'available'),
        what: `${rg.status}, primaries ${ps.map((p) => `${p.nodeGroupId}@${p.az ?? 'none'}`).join(' ')}`,
      };
    };
  }

  /** The checkpoint of a previous attempt of watch `watch`, if this attempt is a retry of it. */
  function resumeCheckpoint(watch: string): WatchCheckpoint | undefined {
    let details: unknown;
    try {
      details = Context.current().info.heartbeatDetails;
    } catch {
      return undefined; // not inside an activity (bench, direct calls): nothing to resume
    }
    const cp = details as Partial<WatchCheckpoint> | undefined;
    return cp && typeof cp === 'object' && cp.v === 1 && cp.watch === watch && typeof cp.lastReadAt === 'number'
      ? (cp as WatchCheckpoint)
      : undefined;
  }

  /** Tells the workflow that a watch has made its baseline read (no-op without `notify`). */
  async function notifyArmed(notify: WatchNotify | undefined, armed: WatchArmed): Promise<void> {
    if (!notify) return;
    await Context.current().client.workflow.getHandle(notify.workflowId, notify.runId).signal(watchArmedSignal, armed);
  }

  /**
   * The shared loop of the watches: baseline read + arm signal (fresh attempt) or resume from the
   * checkpoint (retry), then `pollUntil` with a checkpoint heartbeat after every read.
   */
  async function runWatch(w: {
    readonly watch: string;
    readonly what: string;
    readonly input: { readonly timeoutMs: number; readonly pollIntervalMs: number; readonly notify?: WatchNotify };
    readonly hooks: ReturnType<typeof activityHooks>;
    readonly resumed: WatchCheckpoint | undefined;
    readonly read: () => Promise<ComponentRead>;
    readonly checkpointExtra: () => Pick<WatchCheckpoint, 'lost' | 'firstInAz'>;
  }): Promise<WatchObservation> {
    const { input, hooks } = w;
    let cp: WatchCheckpoint;
    if (w.resumed) {
      cp = { ...w.resumed, attempts: w.resumed.attempts + 1 };
      deps.logger.info(
        { watch: w.watch, lastReadAt: cp.lastReadAt, polls: cp.polls },
        'recovery watch resumed from its heartbeat checkpoint',
      );
      if (!cp.armed) {
        // The previous attempt died between its baseline checkpoint and the signal: send it again
        // (the workflow keeps the first one per watch).
        await notifyArmed(input.notify, { watch: w.watch, at: cp.firstReadAt, baseline: cp.baseline });
        cp = { ...cp, armed: true };
        hooks.heartbeat(cp);
      }
    } else {
      const base = await w.read();
      const at = deps.clock.now();
      cp = {
        v: 1,
        watch: w.watch,
        firstReadAt: at,
        baseline: base.what,
        armed: false,
        lastReadAt: at,
        polls: 1,
        last: base.what,
        attempts: 1,
        ...w.checkpointExtra(),
      };
      if (base.ok) {
        return {
          polls: 1,
          firstReadAt: at,
          baseline: base.what,
          last: base.what,
          attempts: 1,
          note: `${w.watch}: not measured: already serving outside the AZ at the baseline read before the fault (${base.what})`,
        };
      }
      hooks.heartbeat(cp); // checkpoint the baseline first: a retry after the signal must not take a new one
      await notifyArmed(input.notify, { watch: w.watch, at, baseline: base.what });
      cp = { ...cp, armed: true };
      hooks.heartbeat(cp);
    }
    // Two phases, each with its own deadline: until the thing is seen impaired (or already
    // recovered) within `timeoutMs` of the baseline, then until it recovers within `timeoutMs` of
    // being seen impaired — so time spent before the fault (arming, starting the experiment) never
    // eats into the recovery budget.
    const poll = (done: (s: ComponentRead) => boolean, deadlineAt: number, what: string) =>
      pollUntil({
        read: async () => {
          const s = await w.read();
          if (s.impaired && cp.detectedAt === undefined) cp = { ...cp, detectedAt: deps.clock.now() };
          cp = { ...cp, last: s.what };
          return s;
        },
        done,
        clock: deps.clock,
        intervalMs: input.pollIntervalMs,
        fastIntervalMs: input.pollIntervalMs,
        timeoutMs: Math.max(0, deadlineAt - deps.clock.now()),
        heartbeat: (d) => {
          const at = (d as { at?: number }).at ?? deps.clock.now();
          cp = { ...cp, ...w.checkpointExtra(), lastReadAt: at, polls: cp.polls + 1 };
          hooks.heartbeat(cp);
        },
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        what,
      });
    let priorReadAt = cp.lastReadAt;
    const observed = (): Omit<WatchObservation, 'recoveredWindow' | 'note'> => ({
      polls: cp.polls,
      firstReadAt: cp.firstReadAt,
      baseline: cp.baseline,
      last: cp.last,
      attempts: cp.attempts,
      ...(cp.detectedAt !== undefined ? { detectedAt: cp.detectedAt } : {}),
    });
    try {
      if (cp.detectedAt === undefined) {
        const seen = await poll((s) => s.ok || s.impaired, cp.firstReadAt + input.timeoutMs, `${w.what} (impairment or recovery)`);
        if (seen.state.ok) {
          return { ...observed(), recoveredWindow: { previousReadAt: seen.previousReadAt ?? priorReadAt, observedAt: seen.observedAt } };
        }
        priorReadAt = seen.observedAt;
      }
      const res = await poll((s) => s.ok, cp.detectedAt! + input.timeoutMs, w.what);
      return { ...observed(), recoveredWindow: { previousReadAt: res.previousReadAt ?? priorReadAt, observedAt: res.observedAt } };
    } catch (err) {
      if (err instanceof PollTimeoutError) {
        const limit = `${Math.round(input.timeoutMs / 1000)} s`;
        return {
          ...observed(),
          note:
            cp.detectedAt === undefined
              ? `${w.watch}: not seen impaired nor recovered within ${limit} of its baseline read before the fault (last seen: ${cp.last})`
              : `${w.watch} did not recover within ${limit} of being seen impaired (last seen: ${cp.last})`,
        };
      }
      throw err;
    }
  }

  return {
    /**
     * Steady state before the fault: every component available and multi-AZ, the stop-condition
     * and health alarms not in ALARM; also says which components have their writer/primary in the AZ.
     */
    async checkAzSteadyState(
      input: FisRef & {
        az: string;
        components: readonly AzComponent[];
        stopConditionAlarms: readonly string[];
        healthAlarms: readonly string[];
      },
    ): Promise<SteadyState> {
      const checks: SteadyStateCheck[] = [];
      const inAz: string[] = [];
      for (const c of input.components) {
        if (c.kind === 'aurora') {
          const p = await writerPlace(input, c.clusterId);
          checks.push(check(`${c.id}: status`, p.cluster.status === 'available', 'available', p.cluster.status));
          const readers = p.cluster.members.filter((m) => !m.isClusterWriter).length;
          checks.push(check(`${c.id}: a reader to fail over to`, readers > 0, 'at least one reader', `${readers} reader(s)`));
          if (p.writerAz === input.az) inAz.push(c.id);
          checks.push(
            check(
              `${c.id}: writer`,
              p.writer !== undefined,
              'a writer instance',
              p.writer ? `${p.writer} in ${p.writerAz ?? '?'}` : 'none',
            ),
          );
        } else if (c.kind === 'elasticache') {
          const rg = await withAwsErrors(
            () => cache(input).describeReplicationGroup(c.replicationGroupId),
            `elasticache.describeReplicationGroup(${c.replicationGroupId})`,
          );
          checks.push(check(`${c.id}: status`, rg.status === 'available', 'available', rg.status));
          checks.push(
            check(
              `${c.id}: automatic failover`,
              rg.automaticFailover === 'enabled' && rg.multiAz === 'enabled',
              'enabled, Multi-AZ',
              `${rg.automaticFailover}, Multi-AZ ${rg.multiAz}`,
            ),
          );
          if (primaries(rg).some((p) => p.az === input.az)) inAz.push(c.id);
        } else if (c.kind === 'ec2') {
          const g = await withAwsErrors(
            () => asg(input).describeAutoScalingGroup(c.autoScalingGroup),
            `autoscaling.describeAutoScalingGroup(${c.autoScalingGroup})`,
          );
          const serving = servingInstances(g);
          checks.push(
            check(
              `${c.id}: capacity`,
              serving.length >= g.desiredCapacity,
              `${g.desiredCapacity} InService Healthy instance(s)`,
              `${serving.length} (${describeGroup(g)})`,
            ),
          );
          checks.push(
            check(
              `${c.id}: AZs to launch into`,
              g.availabilityZones.some((z) => z !== input.az),
              `an AZ other than ${input.az}`,
              g.availabilityZones.join(', ') || 'none',
            ),
          );
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
     * the AZ away (launches refused or network cut, {@link AZ_LOSING_ACTIONS}).
     *
     * Started BEFORE the fault: the first read is the baseline (it must not already show the
     * component recovered, else the result is a note), after which the watch signals
     * `watchArmed` to `input.notify` and keeps polling; the workflow starts the experiment only
     * once every watch is armed, so there is always a read before the recovery and the recovery
     * lies in (previous read, observed read] — one poll interval. Resumable: a retried attempt
     * continues from the heartbeat checkpoint (baseline, lost instances, last read), so it neither
     * re-arms nor forgets an instance it saw lost. Returns observations only; the workflow turns
     * them into timeline events with the FIS action start times.
     */
    async watchComponentRecovery(input: WatchComponentInput): Promise<ComponentWatchResult> {
      const c = input.component;
      const azLost = Object.values(input.templateActions).some((id) => AZ_LOSING_ACTIONS.includes(id));
      const hooks = activityHooks();
      const cp = resumeCheckpoint(c.id);
      const state: ReadState = { lost: new Set(cp?.lost ?? []), ...(cp?.firstInAz ? { firstInAz: [...cp.firstInAz] } : {}) };
      const read = componentReader(input, c, azLost, state, hooks.signal);
      return runWatch({
        watch: c.id,
        what: `${c.id} to serve outside ${input.az}`,
        input,
        hooks,
        resumed: cp,
        read,
        checkpointExtra: () => ({ lost: [...state.lost], ...(state.firstInAz ? { firstInAz: state.firstInAz } : {}) }),
      }).then((r) => ({ component: c.id, ...r }));
    },

    /**
     * The app-healthy watch: polls the service's data path (every given component — the Aurora
     * writer and ElastiCache primaries the fault impairs — serving outside the AZ) and the health
     * alarms of the region, until the data path serves and every alarm is OK in the same poll.
     * Started before the fault and armed like {@link watchComponentRecovery} (its baseline must
     * not be healthy-outside-the-AZ), so `app-healthy` lies in (previous read, observed read].
     * Instance capacity (Auto Scaling groups) is not part of it: the group's instances in the
     * other AZs keep serving, so capacity restoration is a component finding, not service downtime.
     */
    async watchServiceHealth(input: WatchServiceInput): Promise<ServiceWatchResult> {
      const hooks = activityHooks();
      const cp = resumeCheckpoint(SERVICE_WATCH);
      const readers = input.components.map((c) => ({ c, read: componentReader(input, c, false, { lost: new Set() }, hooks.signal) }));
      const read = async (): Promise<ComponentRead> => {
        const parts = await Promise.all(readers.map(async ({ c, read: r }) => ({ c, s: await r() })));
        const states = input.alarms.length > 0 ? await alarms(input, input.alarms) : [];
        const alarmsOk = states.length === input.alarms.length && states.every((a) => a.stateValue === 'OK');
        const alarmText =
          input.alarms.length > 0
            ? input.alarms.map((n) => `${n}=${states.find((a) => a.alarmName === n)?.stateValue ?? 'missing'}`).join(', ')
            : 'no health alarms';
        return {
          ok: parts.every((x) => x.s.ok) && alarmsOk,
          impaired: parts.some((x) => x.s.impaired) || !alarmsOk,
          what: `${parts.map((x) => `${x.c.id}: ${x.s.what}`).join('; ')}; ${alarmText}`,
        };
      };
      return runWatch({
        watch: SERVICE_WATCH,
        what: `the service to serve outside ${input.az} with its health alarms OK`,
        input,
        hooks,
        resumed: cp,
        read,
        checkpointExtra: () => ({}),
      });
    },

    /** Waits until every health alarm of the region is OK; returns when that was first seen. */
    async awaitHealthAlarmsOk(
      input: FisRef & { alarms: readonly string[]; timeoutMs: number; pollIntervalMs: number },
    ): Promise<{ observedAt: number; previousReadAt?: number; states: string }> {
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
      return {
        observedAt: res.observedAt,
        ...(res.previousReadAt !== undefined ? { previousReadAt: res.previousReadAt } : {}),
        states: res.state.map((a) => `${a.alarmName}=${a.stateValue}`).join(', '),
      };
    },

    /** The clock's current time (sim ms in sim mode), for timeline events the workflow records. */
    async readClock(): Promise<number> {
      return deps.clock.now();
    },
  };
}
