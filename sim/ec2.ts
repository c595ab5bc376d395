/**
 * The small EC2 model FIS acts on: one Auto Scaling group per `runbook.fis.autoScalingGroups`
 * (desired 3, one instance per AZ a/b/c of the runbook's primary region), one subnet per AZ (plus
 * the runbook's `fis.subnetArns`), one EBS volume per instance. Stopped ASG instances are replaced
 * by the group in a healthy AZ after 2–4 minutes (launches blocked by capacity-error faults or AZ
 * impairment go elsewhere, or wait); a replacement is `pending` for 20–60 s, then in service.
 * Every change is recorded in the ground-truth log (`asg-instance-launched`, then
 * `asg-instance-in-service`). `sim/autoscaling.ts` serves the groups through the Auto Scaling port.
 */
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { declaredPrimaryRegion, randomId } from './region-health';

/** A resource FIS can target, with the attributes its filters and parameters look at. */
export interface SimEc2Resource {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  /** AZ(s) the resource lives in. */
  readonly availabilityZones: readonly string[];
  /** PascalCase attribute paths for FIS filters, e.g. `Placement.AvailabilityZone`, `State.Name`. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Lifecycle of a simulated instance (`shutting-down`: terminated by an API call, the group has not noticed yet). */
export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

interface Instance {
  readonly id: string;
  readonly region: string;
  readonly az: string;
  readonly account: string;
  readonly asg?: string;
  readonly tags: Readonly<Record<string, string>>;
  state: InstanceState;
  /** Simulated ms the group terminated it (after its health check failed). */
  terminatedAt?: number;
}

/** A snapshot of one Auto Scaling group and its instances (no API accounting). */
export interface SimAsgSnapshot {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly desired: number;
  readonly azs: readonly string[];
  readonly instances: readonly {
    readonly id: string;
    readonly az: string;
    readonly state: InstanceState;
    readonly terminatedAt?: number;
  }[];
}

interface Asg {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly azs: readonly string[];
  readonly desired: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Replacement launches scheduled but not yet done. */
  pendingLaunches: number;
}

/** Id of the simulated entry-point subnet of a service in an AZ. */
export function entrySubnetId(service: string, az: string): string {
  return `subnet-${service}-entry-${az}`;
}

/** Simulated EC2 instances, Auto Scaling groups, subnets and volumes (no public API port). */
export class Ec2Fleet {
  private readonly instances = new Map<string, Instance>();
  private readonly asgs = new Map<string, Asg>();
  private readonly subnets: SimEc2Resource[] = [];
  /** `region|az` → number of holds blocking launches there. */
  private readonly blocked = new Map<string, number>();

  constructor(private readonly sim: SimAws) {}

  /** Creates the runbook's ASGs (3 running instances across AZs a, b, c) and subnets. */
  seed(rb: Runbook): void {
    if (!rb.fis) return;
    const region = declaredPrimaryRegion(rb);
    const azs = ['a', 'b', 'c'].map((l) => `${region}${l}`);
    const tags: Record<string, string> = {
      ...rb.blastRadius.requiredTags,
      'gameday:service': rb.service,
      [rb.fis.targetTag.key]: rb.fis.targetTag.value,
    };
    for (const az of azs) {
      const id = `subnet-${rb.service}-${az}`;
      if (!this.subnets.some((s) => s.id === id)) {
        this.subnets.push({
          id,
          arn: `arn:aws:ec2:${region}:${rb.account}:subnet/${id}`,
          region,
          tags,
          availabilityZones: [az],
          attributes: { AvailabilityZone: az },
        });
      }
    }
    this.seedEntrySubnets(rb, tags);
    for (const [key, arns] of Object.entries(rb.fis.subnetArns)) {
      for (const arn of arns) {
        const id = arn.split('/').pop() ?? arn;
        const az = /^[a-z]{2}-[a-z]+-\d[a-z]$/.test(key) ? key : undefined;
        if (!this.subnets.some((s) => s.arn === arn)) {
          this.subnets.push({
            id,
            arn,
            region: arn.split(':')[3] ?? region,
            tags,
            availabilityZones: az ? [az] : [],
            attributes: az ? { AvailabilityZone: az } : {},
          });
        }
      }
    }
    for (const name of rb.fis.autoScalingGroups) {
      if (this.asgs.has(name)) continue;
      const asg: Asg = {
        name,
        region,
        account: rb.account,
        azs,
        desired: 3,
        tags: { ...tags, 'aws:autoscaling:groupName': name },
        pendingLaunches: 0,
      };
      this.asgs.set(name, asg);
      for (const az of azs) this.addInstance(asg, az, 'running');
    }
  }

  /** The entry-point subnets (one per AZ a/b/c) of each region of `regionCut.loadBalancers`, tagged with its entry-point tag. */
  private seedEntrySubnets(rb: Runbook, tags: Readonly<Record<string, string>>): void {
    const cut = rb.regionCut;
    if (!cut) return;
    for (const region of Object.keys(cut.loadBalancers)) {
      for (const az of ['a', 'b', 'c'].map((l) => `${region}${l}`)) {
        const id = entrySubnetId(rb.service, az);
        if (this.subnets.some((s) => s.id === id)) continue;
        this.subnets.push({
          id,
          arn: `arn:aws:ec2:${region}:${rb.account}:subnet/${id}`,
          region,
          tags: { ...tags, [cut.entryPointTag.key]: cut.entryPointTag.value },
          availabilityZones: [az],
          attributes: { AvailabilityZone: az, 'gameday:role': 'entry' },
        });
      }
    }
  }

  /** True for an entry-point (load balancer) subnet: a network disruption there silences the load balancer's node, not the AZ. */
  isEntrySubnet(id: string): boolean {
    return this.subnets.some((s) => s.id === id && s.attributes['gameday:role'] === 'entry');
  }

  /** One instance (any state), for the EC2 port. */
  instance(
    id: string,
  ): { id: string; region: string; az: string; state: InstanceState; tags: Readonly<Record<string, string>> } | undefined {
    const i = this.instances.get(id);
    return i && { id: i.id, region: i.region, az: i.az, state: i.state, tags: i.tags };
  }

  /**
   * TerminateInstances: `shutting-down` now (the instance stops serving), and its group notices
   * 10–40 s later (EC2 health check), marks it terminated and launches a replacement at once.
   */
  terminateInstances(ids: readonly string[]): void {
    const world = this.sim.world;
    const now = world.now();
    for (const id of ids) {
      const i = this.instances.get(id);
      if (!i || i.state === 'terminated' || i.state === 'shutting-down') continue;
      i.state = 'shutting-down';
      world.record({ service: 'ec2', resource: i.id, event: 'instance-terminate-requested', at: now, detail: { az: i.az, asg: i.asg } });
      this.sim.elbv2Sim.instanceDown(i.id, now);
      const asg = i.asg ? this.asgs.get(i.asg) : undefined;
      const noticedAt = now + world.between(10_000, 40_000);
      world.schedule(noticedAt, () => {
        if (asg) this.replace(asg, i, noticedAt, 'terminated outside the group (EC2 health check)', 0);
        else {
          i.state = 'terminated';
          i.terminatedAt = noticedAt;
        }
      });
    }
  }

  /** Targetable instances of a region (not terminated). */
  instanceResources(region: string): SimEc2Resource[] {
    return [...this.instances.values()]
      .filter((i) => i.region === region && i.state !== 'terminated' && i.state !== 'shutting-down')
      .map((i) => ({
        id: i.id,
        arn: `arn:aws:ec2:${i.region}:${i.account}:instance/${i.id}`,
        region: i.region,
        tags: i.tags,
        availabilityZones: [i.az],
        attributes: { 'Placement.AvailabilityZone': i.az, 'State.Name': i.state },
      }));
  }

  /** Targetable Auto Scaling groups of a region. */
  asgResources(region: string): SimEc2Resource[] {
    return [...this.asgs.values()]
      .filter((g) => g.region === region)
      .map((g) => ({
        id: g.name,
        arn: `arn:aws:autoscaling:${g.region}:${g.account}:autoScalingGroup:sim:autoScalingGroupName/${g.name}`,
        region: g.region,
        tags: g.tags,
        availabilityZones: g.azs,
        attributes: { AvailabilityZones: g.azs.join(',') },
      }));
  }

  /** Targetable subnets of a region. */
  subnetResources(region: string): SimEc2Resource[] {
    return this.subnets.filter((s) => s.region === region);
  }

  /** Targetable EBS volumes of a region (one per instance, same AZ and tags). */
  volumeResources(region: string): SimEc2Resource[] {
    return this.instanceResources(region).map((i) => ({
      ...i,
      id: i.id.replace(/^i-/, 'vol-'),
      arn: i.arn.replace(/instance\/i-/, 'volume/vol-'),
      attributes: { AvailabilityZone: i.availabilityZones[0]! },
    }));
  }

  /** Instances of an ASG by state (for tests and reports). */
  asgInstances(name: string): { id: string; az: string; state: string }[] {
    return [...this.instances.values()].filter((i) => i.asg === name).map((i) => ({ id: i.id, az: i.az, state: i.state }));
  }

  /** One group's state for the Auto Scaling port, or undefined when no group has that name in `region`. */
  asgSnapshot(region: string, name: string): SimAsgSnapshot | undefined {
    const g = this.asgs.get(name);
    if (!g || g.region !== region) return undefined;
    const instances = [...this.instances.values()]
      .filter((i) => i.asg === name)
      .map((i) => ({ id: i.id, az: i.az, state: i.state, ...(i.terminatedAt !== undefined ? { terminatedAt: i.terminatedAt } : {}) }));
    return { name: g.name, region: g.region, account: g.account, desired: g.desired, azs: g.azs, instances };
  }

  /** Stops instances: `stopping` now, `stopped` 10–30 s later; an ASG replaces each one in a healthy AZ. */
  stopInstances(ids: readonly string[]): void {
    const world = this.sim.world;
    const now = world.now();
    for (const id of ids) {
      const i = this.instances.get(id);
      if (!i || (i.state !== 'running' && i.state !== 'pending')) continue;
      i.state = 'stopping';
      this.sim.elbv2Sim.instanceDown(i.id, now);
      const stoppedAt = now + world.between(10_000, 30_000);
      world.schedule(stoppedAt, () => {
        if (i.state !== 'stopping') return;
        i.state = 'stopped';
        world.record({ service: 'ec2', resource: i.id, event: 'instance-stopped', at: stoppedAt, detail: { az: i.az, asg: i.asg } });
        const asg = i.asg ? this.asgs.get(i.asg) : undefined;
        if (asg) this.replace(asg, i, stoppedAt, 'unhealthy (stopped)', world.between(120_000, 240_000));
      });
    }
  }

  /** Starts stopped (not terminated) instances again: running 20–40 s later. */
  startInstances(ids: readonly string[]): void {
    const world = this.sim.world;
    const now = world.now();
    for (const id of ids) {
      const i = this.instances.get(id);
      if (!i || (i.state !== 'stopped' && i.state !== 'stopping')) continue;
      const at = now + world.between(20_000, 40_000);
      world.schedule(at, () => {
        if (i.state !== 'stopped') return;
        i.state = 'running';
        world.record({ service: 'ec2', resource: i.id, event: 'instance-started', at, detail: { az: i.az } });
        if (i.asg) this.sim.elbv2Sim.instanceInService(i.asg, i.id, at);
      });
    }
  }

  /** Blocks instance launches in these AZs (capacity-error faults, AZ impairment) until `unblockLaunches`. */
  blockLaunches(region: string, azs: readonly string[]): void {
    for (const az of azs) this.blocked.set(`${region}|${az}`, (this.blocked.get(`${region}|${az}`) ?? 0) + 1);
  }

  /** Releases one hold of `blockLaunches`. */
  unblockLaunches(region: string, azs: readonly string[]): void {
    for (const az of azs) {
      const n = (this.blocked.get(`${region}|${az}`) ?? 0) - 1;
      if (n <= 0) this.blocked.delete(`${region}|${az}`);
      else this.blocked.set(`${region}|${az}`, n);
    }
  }

  private addInstance(asg: Asg, az: string, state: Instance['state']): Instance {
    const i: Instance = {
      id: randomId(this.sim, 'i-', 17, '0123456789abcdef'),
      region: asg.region,
      az,
      account: asg.account,
      asg: asg.name,
      tags: asg.tags,
      state,
    };
    this.instances.set(i.id, i);
    return i;
  }

  /** The ASG health check terminates the instance (`cause`) and launches a replacement `launchAfterMs` later. */
  private replace(asg: Asg, old: Instance, at: number, cause: string, launchAfterMs: number): void {
    const world = this.sim.world;
    old.state = 'terminated';
    old.terminatedAt = at;
    world.record({
      service: 'autoscaling',
      resource: asg.name,
      event: 'asg-instance-terminated',
      at,
      detail: { instanceId: old.id, az: old.az, cause },
    });
    this.sim.elbv2Sim.instanceDeregistered(old.id, at);
    asg.pendingLaunches += 1;
    const launch = (t: number): void => {
      const live = [...this.instances.values()].filter((i) => i.asg === asg.name && (i.state === 'running' || i.state === 'pending'));
      const healthy = asg.azs.filter((az) => !this.blocked.has(`${asg.region}|${az}`) && !this.sim.fisSim.isAzImpaired(asg.region, az));
      if (healthy.length === 0) {
        // Every AZ is blocked: the group retries its launch a minute later.
        world.schedule(t + 60_000, () => launch(t + 60_000));
        return;
      }
      const count = (az: string): number => live.filter((i) => i.az === az).length;
      const az = [...healthy].sort((a, b) => count(a) - count(b))[0]!;
      const i = this.addInstance(asg, az, 'pending');
      asg.pendingLaunches -= 1;
      world.record({
        service: 'autoscaling',
        resource: asg.name,
        event: 'asg-instance-launched',
        at: t,
        detail: { instanceId: i.id, az, replaces: old.id },
      });
      // Boot and health-check grace: the group puts the instance in service 20–60 s later.
      const inServiceAt = t + world.between(20_000, 60_000);
      world.schedule(inServiceAt, () => {
        if (i.state !== 'pending') return;
        i.state = 'running';
        world.record({
          service: 'autoscaling',
          resource: asg.name,
          event: 'asg-instance-in-service',
          at: inServiceAt,
          detail: { instanceId: i.id, az, replaces: old.id },
        });
        this.sim.elbv2Sim.instanceInService(asg.name, i.id, inServiceAt);
      });
    };
    const launchAt = at + launchAfterMs;
    world.schedule(launchAt, () => launch(launchAt));
  }
}
