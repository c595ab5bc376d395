/**
 * The simulated CloudWatch: metric alarms whose state follows the simulated health of a region
 * (ALARM when the service's writer does not accept writes there or the region is impaired, OK when
 * it recovers) after a realistic evaluation delay (one 60 s period), `setAlarmState` as in the
 * real API (the alarm returns to its evaluated state after a period), HealthyHostCount alarms on a
 * target group (the instance-termination scenario's service alarm), stored custom metrics with
 * `getMetricData`, and the Aurora global-database lag metrics sampled from the RDS simulator.
 *
 * Alarms are regional, like the real service: `describeAlarms` only sees the port's region.
 */
import type { AlarmState, AlarmStateValue, AwsTarget, CloudWatchApi, MetricDatum, MetricQuery } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { currentWriterRegion, declaredPrimaryRegion, every, rdsHooks, regionHealth } from './region-health';
import { SimAwsError, type SimWorld } from './world';

/** How often alarms are evaluated (simulated ms). */
const EVAL_EVERY_MS = 10_000;
/** How long the evaluated state must disagree with the alarm's state before it transitions: one period. */
const EVAL_PERIOD_MS = 60_000;
/** How often the Aurora global lag metrics are sampled (their native period). */
const LAG_SAMPLE_MS = 60_000;
/** The Aurora lag metrics answered from the RDS simulator (namespace `AWS/RDS`, dimension `DBClusterIdentifier`, ms). */
export const AURORA_LAG_METRICS = ['AuroraGlobalDBReplicationLag', 'AuroraGlobalDBRPOLag'] as const;

interface Alarm {
  readonly name: string;
  readonly region: string;
  /** What the alarm watches: the health of `rb`'s service in `region`; undefined = nothing (stays OK). */
  readonly follows?: { readonly rb: Runbook; readonly region: string };
  /** A HealthyHostCount alarm: ALARM while the target group has fewer healthy targets than its group's desired capacity. */
  readonly targetGroupArn?: string;
  state: AlarmStateValue;
  reason: string;
  updatedAt: number;
  /** Since when the evaluated state has disagreed with `state`. */
  disagreeSince?: number;
}

/** One stored datapoint. */
export interface StoredDatum extends MetricDatum {
  readonly region: string;
  readonly namespace: string;
  readonly timestamp: number;
}

/** An alarm state transition, as delivered to listeners (FIS stop conditions). */
export interface AlarmTransition {
  readonly alarmName: string;
  readonly region: string;
  readonly from: AlarmStateValue;
  readonly to: AlarmStateValue;
  readonly reason: string;
  readonly at: number;
}

const sameDims = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/** The simulated CloudWatch. */
export class CloudWatchSim {
  private readonly alarms = new Map<string, Alarm>();
  private readonly data: StoredDatum[] = [];
  private readonly runbooks: Runbook[] = [];
  private readonly listeners: ((t: AlarmTransition) => void)[] = [];
  private monitoring = false;

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Creates the runbook's health alarms (per region) and stop-condition alarms (in the primary region), all OK. */
  seed(rb: Runbook): void {
    this.runbooks.push(rb);
    for (const [region, names] of Object.entries(rb.alarms.health)) {
      for (const name of names) this.createAlarm(region, name, { rb, region });
    }
    const home = declaredPrimaryRegion(rb);
    for (const name of rb.alarms.stopConditions) if (!this.findAlarm(name)) this.createAlarm(home, name);
    const it = rb.instanceTermination;
    if (it) this.createAlarm(it.targetGroupArn.split(':')[3]!, it.serviceAlarm, undefined, it.targetGroupArn);
    if (!this.monitoring) {
      this.monitoring = true;
      every(this.sim, EVAL_EVERY_MS, (at) => this.evaluate(at));
      every(this.sim, LAG_SAMPLE_MS, (at) => this.sampleAuroraLag(at));
    }
  }

  /**
   * Control: creates an alarm (OK), optionally following the health of `follows.rb` in
   * `follows.region`, or the healthy host count of a target group (`targetGroupArn`).
   */
  createAlarm(region: string, name: string, follows?: { rb: Runbook; region: string }, targetGroupArn?: string): void {
    const k = `${region}|${name}`;
    if (this.alarms.has(k)) return;
    this.alarms.set(k, {
      name,
      region,
      follows,
      ...(targetGroupArn ? { targetGroupArn } : {}),
      state: 'OK',
      reason: 'Seeded in OK state',
      updatedAt: this.world.now(),
    });
  }

  /**
   * Control with the semantics of `SetAlarmState`: sets the state now (recorded, listeners told);
   * the alarm returns to its evaluated state after one evaluation period. `region` is needed only
   * when two regions hold alarms of the same name. Throws `ResourceNotFound` for an unknown alarm.
   */
  setAlarmState(alarmName: string, state: AlarmStateValue, reason: string, region?: string): void {
    const alarm = this.findAlarm(alarmName, region);
    if (!alarm) throw new SimAwsError('ResourceNotFound', `Alarm ${alarmName} does not exist`, 404);
    if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(state))
      throw new SimAwsError('InvalidFormat', `StateValue ${state} is invalid: expected OK, ALARM or INSUFFICIENT_DATA`, 400);
    this.transition(alarm, state, reason, this.world.now());
    alarm.disagreeSince = undefined;
  }

  /** Current state of an alarm by name (undefined if unknown); no API accounting. */
  alarmState(alarmName: string, region?: string): AlarmStateValue | undefined {
    return this.findAlarm(alarmName, region)?.state;
  }

  /** Subscribes to every alarm state transition (called synchronously at the transition instant). */
  onStateChange(listener: (t: AlarmTransition) => void): void {
    this.listeners.push(listener);
  }

  /** Stored datapoints of a namespace (all regions unless `region`), oldest first; for tests and reports. */
  metrics(namespace: string, region?: string): StoredDatum[] {
    return this.data
      .filter((d) => d.namespace === namespace && (region === undefined || d.region === region))
      .sort((a, b) => a.timestamp - b.timestamp);
  }

  /** The CloudWatchApi port of one region. */
  api(target?: Partial<AwsTarget>): CloudWatchApi {
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(account, 'cloudwatch', op, () => {
        // A regional control plane in an impaired region answers 500 (see SimWorld.impairedRegions).
        this.world.assertRegionReachable('cloudwatch', region);
        return fn();
      });
    return {
      describeAlarms: (alarmNames) =>
        call('describeAlarms', () => {
          if (alarmNames.length > 100)
            throw new SimAwsError('InvalidParameterValueException', `AlarmNames has ${alarmNames.length} members: at most 100`, 400);
          // Like AWS, unknown names are simply absent from the answer.
          return alarmNames
            .map((n) => this.alarms.get(`${region}|${n}`))
            .filter((a): a is Alarm => a !== undefined)
            .map((a): AlarmState => ({ alarmName: a.name, stateValue: a.state, stateReason: a.reason, stateUpdatedAt: a.updatedAt }));
        }),
      putMetricData: (namespace, data) => call('putMetricData', () => this.putMetricData(region, namespace, data)),
      getMetricData: (query) => call('getMetricData', () => this.getMetricData(region, query)),
    };
  }

  // ---------------------------------------------------------------- internals

  private findAlarm(name: string, region?: string): Alarm | undefined {
    if (region !== undefined) return this.alarms.get(`${region}|${name}`);
    const matches = [...this.alarms.values()].filter((a) => a.name === name);
    if (matches.length > 1)
      throw new SimAwsError(
        'InvalidParameterValueException',
        `Alarm ${name} exists in ${matches.map((a) => a.region).join(', ')}: pass the region`,
        400,
      );
    return matches[0];
  }

  private transition(alarm: Alarm, to: AlarmStateValue, reason: string, at: number): void {
    const from = alarm.state;
    alarm.reason = reason;
    alarm.updatedAt = at;
    if (from === to) return;
    alarm.state = to;
    this.world.record({
      service: 'cloudwatch',
      resource: alarm.name,
      event: 'alarm-state-changed',
      at,
      detail: { region: alarm.region, from, to, reason },
    });
    for (const l of this.listeners) l({ alarmName: alarm.name, region: alarm.region, from, to, reason, at });
  }

  private evaluated(alarm: Alarm): { state: AlarmStateValue; reason: string } {
    const hosts = alarm.targetGroupArn ? this.sim.elbv2Sim.healthyCount(alarm.targetGroupArn) : undefined;
    if (hosts) {
      const why = `Threshold Crossed: HealthyHostCount ${hosts.healthy} ${hosts.healthy < hosts.desired ? '<' : '>='} ${hosts.desired}`;
      return { state: hosts.healthy < hosts.desired ? 'ALARM' : 'OK', reason: why };
    }
    if (!alarm.follows) return { state: 'OK', reason: 'Threshold Crossed: no datapoint breaching the threshold' };
    const h = regionHealth(this.sim, alarm.follows.rb, alarm.follows.region);
    return h.healthy
      ? { state: 'OK', reason: `Threshold Crossed: ${h.reason}` }
      : { state: 'ALARM', reason: `Threshold Crossed: ${h.reason}` };
  }

  private evaluate(at: number): void {
    for (const alarm of this.alarms.values()) {
      const e = this.evaluated(alarm);
      if (e.state === alarm.state) {
        alarm.disagreeSince = undefined;
        continue;
      }
      alarm.disagreeSince ??= at;
      if (at - alarm.disagreeSince >= EVAL_PERIOD_MS) {
        alarm.disagreeSince = undefined;
        this.transition(alarm, e.state, e.reason, at);
      }
    }
  }

  private sampleAuroraLag(at: number): void {
    const lagOf = rdsHooks(this.sim).replicationLagMs;
    if (!lagOf) return;
    for (const rb of this.runbooks) {
      if (!rb.aurora?.globalClusterId) continue;
      const writer = currentWriterRegion(this.sim, rb);
      for (const m of rb.aurora.members) {
        if (m.region === writer) continue;
        let lag: number | undefined;
        try {
          lag = lagOf(m.clusterId);
        } catch {
          lag = undefined; // a detached or deleted cluster publishes no global lag
        }
        if (lag === undefined) continue;
        for (const metricName of AURORA_LAG_METRICS) {
          this.data.push({
            region: m.region,
            namespace: 'AWS/RDS',
            metricName,
            value: lag,
            unit: 'Milliseconds',
            dimensions: { DBClusterIdentifier: m.clusterId },
            timestamp: at,
          });
        }
      }
    }
  }

  private putMetricData(region: string, namespace: string, data: readonly MetricDatum[]): void {
    if (!namespace || namespace.length > 255)
      throw new SimAwsError('InvalidParameterValueException', 'Namespace must be 1-255 characters', 400);
    if (namespace.startsWith('AWS/'))
      throw new SimAwsError(
        'InvalidParameterValueException',
        `The value ${namespace} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved`,
        400,
      );
    if (data.length === 0) throw new SimAwsError('MissingRequiredParameterException', 'The parameter MetricData is required', 400);
    if (data.length > 1000)
      throw new SimAwsError('InvalidParameterValueException', `MetricData has ${data.length} members: at most 1000`, 400);
    const now = this.world.now();
    for (const [i, d] of data.entries()) {
      if (!Number.isFinite(d.value))
        throw new SimAwsError(
          'InvalidParameterValueException',
          `The value ${d.value} for parameter MetricData.member.${i + 1}.Value is invalid`,
          400,
        );
      if (Object.keys(d.dimensions).length > 30)
        throw new SimAwsError('InvalidParameterValueException', `MetricData.member.${i + 1}.Dimensions has more than 30 members`, 400);
    }
    for (const d of data) this.data.push({ ...d, region, namespace, timestamp: d.timestamp ?? now });
  }

  private getMetricData(region: string, q: MetricQuery): { timestamps: number[]; values: number[] } {
    const p = q.periodSeconds;
    if (!(p > 0 && (p % 60 === 0 || [1, 5, 10, 20, 30].includes(p)))) {
      throw new SimAwsError(
        'InvalidParameterValueException',
        `Period ${p} is invalid: a multiple of 60, or 1, 5, 10, 20 or 30 for high resolution`,
        400,
      );
    }
    if (q.endTime <= q.startTime) throw new SimAwsError('InvalidParameterValueException', 'EndTime must be after StartTime', 400);
    const points = this.data
      .filter(
        (d) => d.region === region && d.namespace === q.namespace && d.metricName === q.metricName && sameDims(d.dimensions, q.dimensions),
      )
      .map((d) => ({ t: d.timestamp, v: d.value }));
    const now = this.world.now();
    const cluster = q.dimensions['DBClusterIdentifier'];
    if (
      q.namespace === 'AWS/RDS' &&
      (AURORA_LAG_METRICS as readonly string[]).includes(q.metricName) &&
      cluster &&
      now >= q.startTime &&
      now < q.endTime
    ) {
      const live = this.liveLag(cluster, region);
      if (live !== undefined) points.push({ t: now, v: live });
    }
    const periodMs = p * 1000;
    const buckets = new Map<number, number[]>();
    for (const pt of points) {
      if (pt.t < q.startTime || pt.t >= q.endTime) continue;
      const b = q.startTime + Math.floor((pt.t - q.startTime) / periodMs) * periodMs;
      buckets.set(b, [...(buckets.get(b) ?? []), pt.v]);
    }
    const timestamps = [...buckets.keys()].sort((a, b) => a - b);
    const stat = (vs: number[]): number => {
      switch (q.stat) {
        case 'Average':
          return vs.reduce((s, v) => s + v, 0) / vs.length;
        case 'Maximum':
          return Math.max(...vs);
        case 'Minimum':
          return Math.min(...vs);
        case 'Sum':
          return vs.reduce((s, v) => s + v, 0);
        case 'SampleCount':
          return vs.length;
      }
    };
    return { timestamps, values: timestamps.map((t) => stat(buckets.get(t)!)) };
  }

  /** Live lag of a secondary cluster in `region` (undefined if it is the writer or not modelled). */
  private liveLag(clusterId: string, region: string): number | undefined {
    const rb = this.runbooks.find((r) => r.aurora?.members.some((m) => m.clusterId === clusterId && m.region === region));
    if (!rb?.aurora?.globalClusterId || currentWriterRegion(this.sim, rb) === region) return undefined;
    try {
      return rdsHooks(this.sim).replicationLagMs?.(clusterId);
    } catch {
      return undefined;
    }
  }
}
