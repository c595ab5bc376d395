/**
 * The simulated Route 53: hosted zones with record sets, changes that go PENDING → INSYNC after a
 * realistic propagation delay, and health checks whose status follows the simulated health of the
 * region they watch (or, for ARC routing, the routing control's state) after interval × threshold.
 *
 * Two copies of each zone's records are kept: `records` (what the control plane lists, updated at
 * once by a change) and `served` (what the name servers answer, updated when the change goes
 * INSYNC). `currentTarget` answers from `served` and the health checks, like a DNS resolver would.
 */
import type { ChangeInfo, HealthCheckStatus, RecordChange, ResourceRecordSet, Route53Api, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { durationRange } from './duration-range';
import { declaredPrimaryRegion, every, randomId, regionHealth } from './region-health';
import { SimAwsError, type SimWorld } from './world';

/** Health checker interval (s) × failure threshold: how often a check is evaluated and how many evaluations flip it. */
const HC_INTERVAL_MS = 10_000;
const HC_FAILURE_THRESHOLD = 3;
/** Propagation window of a change, simulated ms. */
const INSYNC_MIN_MS = 30_000;
const INSYNC_MAX_MS = 90_000;
const CHECKER_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
];

interface HostedZone {
  readonly id: string;
  /** Domain of the zone, lower case, no trailing dot. */
  readonly domain: string;
  records: ResourceRecordSet[];
  served: ResourceRecordSet[];
  /** setIdentifier → region, from the seed. */
  readonly regionBySetId: Map<string, string>;
  /** INSYNC instant of the last change, so changes of a zone go INSYNC in order. */
  lastInsyncAt: number;
}

interface HealthCheck {
  readonly id: string;
  /** `region`: follows regionHealth; `routing-control`: follows an ARC routing control. */
  readonly kind: 'region' | 'routing-control';
  readonly rb: Runbook;
  readonly region: string;
  readonly routingControlArn?: string;
  healthy: boolean;
  /** Consecutive evaluations disagreeing with `healthy`. */
  streak: number;
  reason: string;
}

interface Change {
  readonly id: string;
  readonly hostedZoneId: string;
  status: 'PENDING' | 'INSYNC';
  readonly submittedAt: number;
  insyncAt: number;
}

const normName = (n: string): string => n.toLowerCase().replace(/\.$/, '');
const key = (r: ResourceRecordSet): string => `${normName(r.name)}|${r.type}|${r.setIdentifier ?? ''}`;
const describe = (r: ResourceRecordSet): string =>
  `[name='${normName(r.name)}.', type='${r.type}'${r.setIdentifier ? `, set-identifier='${r.setIdentifier}'` : ''}]`;
const canon = (r: ResourceRecordSet): string =>
  JSON.stringify(
    Object.entries({ ...r, name: normName(r.name) })
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
const sameValues = (a: ResourceRecordSet, b: ResourceRecordSet): boolean => canon(a) === canon(b);

/** Simulated writer endpoint of a regional Aurora cluster (the record value seeded in DNS). */
export function simClusterEndpoint(clusterId: string, region: string): string {
  return `${clusterId}.cluster-sim.${region}.rds.amazonaws.com`;
}

/** The simulated Route 53 (global service; `api(target)` only selects the account for accounting). */
export class Route53Sim {
  private readonly zones = new Map<string, HostedZone>();
  private readonly healthChecks = new Map<string, HealthCheck>();
  private readonly changes = new Map<string, Change>();
  private monitoring = false;
  /** [min, max] simulated ms a record change stays PENDING before INSYNC (`setPropagation`). */
  private propagation: readonly [number, number] = [INSYNC_MIN_MS, INSYNC_MAX_MS];

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /**
   * Sets how long record changes submitted from now on take to be INSYNC ([min, max] simulated ms);
   * `undefined` leaves it. Returns the range in effect.
   */
  setPropagation(range: unknown): readonly [number, number] {
    if (range !== undefined) this.propagation = durationRange('route53 propagation', range);
    return this.propagation;
  }

  /** Creates the runbook's hosted zone, records and health checks in their steady state. */
  seed(rb: Runbook): void {
    const r53 = rb.route53;
    if (!r53) return;
    const primary = declaredPrimaryRegion(rb);
    const regions = rb.aurora?.members.map((m) => m.region) ?? rb.blastRadius.regions;
    const endpoint = (region: string): string => {
      const member = rb.aurora?.members.find((m) => m.region === region);
      return simClusterEndpoint(member?.clusterId ?? `${rb.service}-${region}`, region);
    };
    const zone = this.zoneFor(r53.hostedZoneId, r53.recordName);
    const add = (r: ResourceRecordSet, region: string): void => {
      zone.records = zone.records.filter((x) => key(x) !== key(r));
      zone.records.push(r);
      if (r.setIdentifier) zone.regionBySetId.set(r.setIdentifier, region);
    };
    const routing = r53.routing;
    if (routing.policy === 'weighted') {
      for (const [region, setId] of Object.entries(routing.setIds)) {
        const hc = r53.healthChecks[region];
        if (hc) this.addHealthCheck({ id: hc, kind: 'region', rb, region });
        add(
          {
            name: r53.recordName,
            type: 'CNAME',
            setIdentifier: setId,
            weight: region === primary ? 100 : 0,
            ttl: 60,
            values: [endpoint(region)],
            ...(hc ? { healthCheckId: hc } : {}),
          },
          region,
        );
      }
    } else {
      const secondary = regions.find((r) => r !== primary) ?? primary;
      const setIds =
        routing.policy === 'failover'
          ? { [primary]: routing.primarySetId, [secondary]: routing.secondarySetId }
          : { [primary]: `${rb.service}-${primary}`, [secondary]: `${rb.service}-${secondary}` };
      for (const [region, role] of [
        [primary, 'PRIMARY'],
        [secondary, 'SECONDARY'],
      ] as const) {
        const hc = r53.healthChecks[region] ?? `hc-${rb.service}-${region}`;
        const rcArn = routing.policy === 'arc' ? routing.routingControls[region] : undefined;
        this.addHealthCheck({ id: hc, kind: rcArn ? 'routing-control' : 'region', rb, region, routingControlArn: rcArn });
        add(
          {
            name: r53.recordName,
            type: 'CNAME',
            setIdentifier: setIds[region],
            failover: role,
            ttl: 60,
            values: [endpoint(region)],
            healthCheckId: hc,
          },
          region,
        );
      }
    }
    zone.served = zone.records.map((r) => ({ ...r }));
    if (!this.monitoring) {
      this.monitoring = true;
      every(this.sim, HC_INTERVAL_MS, (at) => this.evaluateHealthChecks(at));
    }
  }

  /** The Route53Api port, bound to an account (only used for API-call accounting). */
  api(target?: Partial<AwsTarget>): Route53Api {
    const account = target?.accountId ?? 'default';
    const call = <T>(op: string, fn: () => T): Promise<T> => this.world.call(account, 'route53', op, fn);
    return {
      listResourceRecordSets: (input) =>
        call('listResourceRecordSets', () => {
          const zone = this.zone(input.hostedZoneId);
          const sorted = [...zone.records].sort((a, b) => key(a).localeCompare(key(b)));
          // Like AWS, `name` is the starting point of the listing (records at or after it, in order).
          const from = input.name ? sorted.filter((r) => normName(r.name) >= normName(input.name!)) : sorted;
          return from.map((r) => ({ ...r }));
        }),
      changeResourceRecordSets: (input) => call('changeResourceRecordSets', () => this.change(input.hostedZoneId, input.changes)),
      getChange: (changeId) =>
        call('getChange', () => {
          const c = this.changes.get(changeId.replace(/^\/change\//, ''));
          if (!c) throw new SimAwsError('NoSuchChange', `A change with the specified change ID does not exist: ${changeId}`, 404);
          return this.changeInfo(c);
        }),
      getHealthCheckStatus: (healthCheckId) => call('getHealthCheckStatus', () => this.healthCheckStatus(healthCheckId)),
    };
  }

  /**
   * The region the record's traffic currently goes to, as a resolver sees it (served records and
   * health checks, failover and weighted rules of aws-dr-api.md §5.1); undefined if no such record.
   */
  currentTarget(recordName: string): string | undefined {
    const shares = this.trafficShares(recordName);
    let best: string | undefined;
    for (const [region, share] of Object.entries(shares)) if (best === undefined || share > shares[best]!) best = region;
    return best;
  }

  /** Share of the record's traffic per region, in [0, 1], from the served records and health checks. */
  trafficShares(recordName: string): Record<string, number> {
    const name = normName(recordName);
    for (const zone of this.zones.values()) {
      const set = zone.served.filter((r) => normName(r.name) === name);
      if (set.length === 0) continue;
      const healthy = (r: ResourceRecordSet): boolean =>
        r.healthCheckId ? (this.healthChecks.get(r.healthCheckId)?.healthy ?? true) : true;
      const regionOf = (r: ResourceRecordSet): string => this.regionOf(zone, r);
      const primary = set.find((r) => r.failover === 'PRIMARY');
      const secondary = set.find((r) => r.failover === 'SECONDARY');
      if (primary || secondary) {
        const chosen = primary && (healthy(primary) || !secondary || !healthy(secondary)) ? primary : secondary!;
        return { [regionOf(chosen)]: 1 };
      }
      if (set.some((r) => r.weight !== undefined)) {
        const live = set.filter(healthy);
        const pool = live.length > 0 ? live : set;
        const total = pool.reduce((s, r) => s + (r.weight ?? 0), 0);
        const shares: Record<string, number> = {};
        for (const r of pool) shares[regionOf(r)] = (shares[regionOf(r)] ?? 0) + (total === 0 ? 1 / pool.length : (r.weight ?? 0) / total);
        return shares;
      }
      return { [regionOf(set[0]!)]: 1 };
    }
    return {};
  }

  /**
   * What the name servers answer for the record now (served records and health checks, like
   * `currentTarget`): the region chosen, its values and TTL; undefined if no such record.
   */
  answer(recordName: string): { region: string; values: string[]; ttlSeconds: number } | undefined {
    const region = this.currentTarget(recordName);
    if (!region) return undefined;
    const name = normName(recordName);
    for (const zone of this.zones.values()) {
      const r = zone.served.find((x) => normName(x.name) === name && this.regionOf(zone, x) === region);
      if (r) return { region, values: [...(r.values ?? (r.aliasTarget ? [r.aliasTarget.dnsName] : []))], ttlSeconds: r.ttl ?? 60 };
    }
    return undefined;
  }

  /** Whether a health check currently reports healthy (undefined for an unknown id). */
  healthCheckHealthy(healthCheckId: string): boolean | undefined {
    return this.healthChecks.get(healthCheckId)?.healthy;
  }

  // ---------------------------------------------------------------- internals

  private zoneFor(id: string, recordName: string): HostedZone {
    let zone = this.zones.get(id);
    if (!zone) {
      const labels = normName(recordName).split('.');
      zone = {
        id,
        domain: labels.length > 2 ? labels.slice(1).join('.') : labels.join('.'),
        records: [],
        served: [],
        regionBySetId: new Map(),
        lastInsyncAt: 0,
      };
      this.zones.set(id, zone);
    }
    return zone;
  }

  private zone(id: string): HostedZone {
    const zone = this.zones.get(id.replace(/^\/hostedzone\//, ''));
    if (!zone) throw new SimAwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
    return zone;
  }

  private addHealthCheck(hc: Omit<HealthCheck, 'healthy' | 'streak' | 'reason'>): void {
    if (!this.healthChecks.has(hc.id)) this.healthChecks.set(hc.id, { ...hc, healthy: true, streak: 0, reason: 'seeded healthy' });
  }

  private regionOf(zone: HostedZone, r: ResourceRecordSet): string {
    return (
      r.region ??
      (r.setIdentifier ? zone.regionBySetId.get(r.setIdentifier) : undefined) ??
      /\b([a-z]{2}(?:-gov)?-[a-z]+-\d)\b/.exec([...(r.values ?? []), r.aliasTarget?.dnsName ?? ''].join(' '))?.[1] ??
      'unknown'
    );
  }

  private invalid(messages: string[]): never {
    throw new SimAwsError('InvalidChangeBatch', messages.join('; '), 400);
  }

  private change(hostedZoneId: string, changes: readonly RecordChange[]): ChangeInfo {
    const zone = this.zone(hostedZoneId);
    if (changes.length === 0)
      throw new SimAwsError('InvalidInput', 'Invalid request: Expected at least one change in ChangeBatch.Changes', 400);
    const next = new Map(zone.records.map((r) => [key(r), r]));
    const touched = new Map<string, string>();
    const problems: string[] = [];
    for (const { action, recordSet: r } of changes) {
      const k = key(r);
      const name = normName(r.name);
      if (name !== zone.domain && !name.endsWith(`.${zone.domain}`)) {
        problems.push(`RRSet with DNS name ${name}. is not permitted in zone ${zone.domain}.`);
        continue;
      }
      // The same record may appear twice only as DELETE then CREATE (how a record is replaced).
      const prior = touched.get(k);
      if (prior !== undefined && !(prior === 'DELETE' && action === 'CREATE')) {
        problems.push(`The request contains an invalid set of changes for a resource record set ${describe(r)}`);
        continue;
      }
      touched.set(k, action);
      if (r.healthCheckId && !this.healthChecks.has(r.healthCheckId)) {
        throw new SimAwsError('NoSuchHealthCheck', `A health check with id ${r.healthCheckId} does not exist.`, 404);
      }
      if (r.weight !== undefined && (r.weight < 0 || r.weight > 255 || !Number.isInteger(r.weight)))
        problems.push(`Invalid weight ${r.weight} for ${describe(r)}: expected an integer 0-255`);
      const existing = next.get(k);
      if (action === 'CREATE') {
        if (existing) problems.push(`Tried to create resource record set ${describe(r)} but it already exists`);
        else next.set(k, r);
      } else if (action === 'DELETE') {
        if (!existing) problems.push(`Tried to delete resource record set ${describe(r)} but it was not found`);
        else if (!sameValues(existing, r))
          problems.push(`Tried to delete resource record set ${describe(r)} but the values provided do not match the current values`);
        else next.delete(k);
      } else if (action === 'UPSERT') {
        next.set(k, r);
      } else {
        problems.push(`Unknown action ${String(action)}: expected CREATE, DELETE or UPSERT`);
      }
    }
    // Routing-policy consistency per name+type: all failover, all weighted, or one simple record.
    const groups = new Map<string, ResourceRecordSet[]>();
    for (const r of next.values()) {
      const g = `${normName(r.name)}|${r.type}`;
      groups.set(g, [...(groups.get(g) ?? []), r]);
    }
    for (const set of groups.values()) {
      const failover = set.filter((r) => r.failover !== undefined).length;
      const weighted = set.filter((r) => r.weight !== undefined).length;
      const head = describe({ ...set[0]!, setIdentifier: undefined });
      if ((failover > 0 && failover < set.length) || (weighted > 0 && weighted < set.length)) {
        problems.push(`RRSet ${head} mixes routing policies; DELETE and CREATE in one batch to change the policy`);
      } else if (set.length > 1 && set.some((r) => !r.setIdentifier)) {
        problems.push(`RRSet ${head} has several records, each needs a SetIdentifier`);
      } else if (
        failover > 0 &&
        (set.filter((r) => r.failover === 'PRIMARY').length > 1 || set.filter((r) => r.failover === 'SECONDARY').length > 1)
      ) {
        problems.push(`RRSet ${head} may have one PRIMARY and one SECONDARY failover record`);
      }
    }
    if (problems.length > 0) this.invalid(problems);

    // Valid: commit to the control plane now, to the name servers at INSYNC.
    zone.records = [...next.values()].map((r) => ({ ...r }));
    const now = this.world.now();
    const id = randomId(this.sim, 'C', 13);
    const insyncAt = Math.max(now + this.world.between(...this.propagation), zone.lastInsyncAt + 1000);
    zone.lastInsyncAt = insyncAt;
    const c: Change = { id, hostedZoneId: zone.id, status: 'PENDING', submittedAt: now, insyncAt };
    this.changes.set(id, c);
    const batch = changes.map((x) => ({ action: x.action, recordSet: { ...x.recordSet } }));
    this.world.record({
      service: 'route53',
      resource: zone.id,
      event: 'change-submitted',
      at: now,
      detail: { changeId: id, changes: batch.length },
    });
    this.world.schedule(insyncAt, () => {
      const served = new Map(zone.served.map((r) => [key(r), r]));
      for (const { action, recordSet } of batch) {
        if (action === 'DELETE') served.delete(key(recordSet));
        else served.set(key(recordSet), recordSet);
      }
      zone.served = [...served.values()];
      c.status = 'INSYNC';
      this.world.record({ service: 'route53', resource: zone.id, event: 'change-insync', at: insyncAt, detail: { changeId: id } });
    });
    return this.changeInfo(c);
  }

  private changeInfo(c: Change): ChangeInfo {
    return { id: `/change/${c.id}`, status: c.status, submittedAt: c.submittedAt };
  }

  private rawHealth(hc: HealthCheck): { healthy: boolean; reason: string } {
    if (hc.kind === 'routing-control' && hc.routingControlArn) {
      const state = this.sim.arcSim.state(hc.routingControlArn);
      return { healthy: state === 'On', reason: `routing control ${hc.routingControlArn} is ${state ?? 'unknown'}` };
    }
    return regionHealth(this.sim, hc.rb, hc.region);
  }

  private evaluateHealthChecks(at: number): void {
    for (const hc of this.healthChecks.values()) {
      const raw = this.rawHealth(hc);
      if (raw.healthy === hc.healthy) {
        hc.streak = 0;
        continue;
      }
      hc.streak += 1;
      // RECOVERY_CONTROL checks follow the control at the next evaluation; endpoint checks need `threshold` failures.
      if (hc.streak >= (hc.kind === 'routing-control' ? 1 : HC_FAILURE_THRESHOLD)) {
        hc.healthy = raw.healthy;
        hc.reason = raw.reason;
        hc.streak = 0;
        this.world.record({
          service: 'route53',
          resource: hc.id,
          event: 'health-check-status-changed',
          at,
          detail: { healthy: hc.healthy, region: hc.region, reason: hc.reason },
        });
      }
    }
  }

  private healthCheckStatus(id: string): HealthCheckStatus {
    const hc = this.healthChecks.get(id);
    if (!hc) throw new SimAwsError('NoSuchHealthCheck', `A health check with id ${id} does not exist.`, 404);
    const status = hc.healthy ? 'Success: HTTP Status Code 200, OK' : `Failure: ${hc.reason}`;
    return { healthCheckId: id, healthy: hc.healthy, observations: CHECKER_REGIONS.map((region) => ({ region, status })) };
  }
}
