/**
 * The simulated Elastic Load Balancing v2: the load balancers a runbook names as its entry points
 * (`regionCut.loadBalancers`, one node per entry-point subnet of AZs a/b/c) and the target group of
 * its instance-termination scenario (`instanceTermination.targetGroupArn`, the targets being the
 * Auto Scaling group's instances).
 *
 * - A load balancer answers while at least one of its entry-point subnets is not cut by a FIS
 *   network disruption (`FisSim.isSubnetCut`); `regionHealth` makes the region unhealthy when one
 *   of its load balancers does not answer, which the Route 53 health checks and the health alarms
 *   then see with their own delays.
 * - Target health follows the ALB health checker: interval {@link TG_INTERVAL_MS}, a target goes
 *   `unhealthy` after {@link TG_UNHEALTHY_THRESHOLD} failed checks once its instance stops
 *   serving, `draining` for {@link TG_DEREGISTRATION_DELAY_MS} once the group deregisters it, and a
 *   new instance is `initial` from the moment the group puts it in service until
 *   {@link TG_HEALTHY_THRESHOLD} checks passed. Every change is in the ground-truth log
 *   (`target-health-changed`, with the healthy count).
 */
import type { AwsTarget, ElbV2Api, LoadBalancer, TargetHealth } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import { entrySubnetId } from './ec2';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

/** Health-check interval of the target group (simulated ms). */
export const TG_INTERVAL_MS = 10_000;
/** Consecutive passed checks before a new target is healthy. */
export const TG_HEALTHY_THRESHOLD = 3;
/** Consecutive failed checks before a target whose instance stopped serving is unhealthy. */
export const TG_UNHEALTHY_THRESHOLD = 2;
/** How long a deregistered target drains before it leaves the group (simulated ms). */
export const TG_DEREGISTRATION_DELAY_MS = 30_000;

interface SimLoadBalancer {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly subnets: readonly string[];
}

interface Target {
  state: 'initial' | 'healthy' | 'unhealthy' | 'draining';
  reason?: string;
  /** Bumped at each transition, so a scheduled change meant for an earlier state is dropped. */
  generation: number;
}

interface TargetGroup {
  readonly arn: string;
  readonly region: string;
  readonly asg: string;
  readonly targets: Map<string, Target>;
}

/** The simulated ELBv2 (load balancers and one target group per runbook). */
export class ElbV2Sim {
  private readonly lbs = new Map<string, SimLoadBalancer>();
  private readonly groups = new Map<string, TargetGroup>();

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Creates the runbook's entry-point load balancers and its target group (the group's running instances healthy). */
  seed(rb: Runbook): void {
    for (const [region, names] of Object.entries(rb.regionCut?.loadBalancers ?? {})) {
      for (const name of names) {
        if (this.lbs.has(`${region}|${name}`)) continue;
        const arn = `arn:aws:elasticloadbalancing:${region}:${rb.account}:loadbalancer/app/${name}/sim`;
        const subnets = ['a', 'b', 'c'].map((l) => entrySubnetId(rb.service, `${region}${l}`));
        this.lbs.set(`${region}|${name}`, { name, arn, region, subnets });
      }
    }
    const it = rb.instanceTermination;
    if (!it || this.groups.has(it.targetGroupArn)) return;
    const region = it.targetGroupArn.split(':')[3]!;
    const g: TargetGroup = { arn: it.targetGroupArn, region, asg: it.autoScalingGroup, targets: new Map() };
    for (const i of this.sim.fisSim.ec2.asgInstances(it.autoScalingGroup)) {
      if (i.state === 'running') g.targets.set(i.id, { state: 'healthy', generation: 0 });
    }
    this.groups.set(g.arn, g);
  }

  /** Whether a load balancer answers (some entry-point subnet not cut). */
  answering(region: string, name: string): boolean {
    const lb = this.lbs.get(`${region}|${name}`);
    return !lb || lb.subnets.some((s) => !this.sim.fisSim.isSubnetCut(s));
  }

  /** Healthy targets of a group and the desired capacity of its Auto Scaling group. */
  healthyCount(arn: string): { healthy: number; desired: number } | undefined {
    const g = this.groups.get(arn);
    if (!g) return undefined;
    const desired = this.sim.fisSim.ec2.asgSnapshot(g.region, g.asg)?.desired ?? 0;
    return { healthy: [...g.targets.values()].filter((t) => t.state === 'healthy').length, desired };
  }

  /** Hook (EC2): the instance stopped serving at `at`; its target fails `TG_UNHEALTHY_THRESHOLD` checks. */
  instanceDown(instanceId: string, at: number): void {
    for (const g of this.groups.values()) {
      const t = g.targets.get(instanceId);
      if (!t || t.state === 'draining' || t.state === 'unhealthy') continue;
      this.later(g, instanceId, t, at + TG_INTERVAL_MS * TG_UNHEALTHY_THRESHOLD, 'unhealthy', 'Target.FailedHealthChecks');
    }
  }

  /** Hook (Auto Scaling): the group terminated the instance and deregistered it at `at`. */
  instanceDeregistered(instanceId: string, at: number): void {
    for (const g of this.groups.values()) {
      const t = g.targets.get(instanceId);
      if (!t || t.state === 'draining') continue;
      this.set(g, instanceId, t, 'draining', at, 'Target.DeregistrationInProgress');
      const gen = t.generation;
      const goneAt = at + TG_DEREGISTRATION_DELAY_MS;
      this.world.schedule(goneAt, () => {
        if (t.generation !== gen) return;
        g.targets.delete(instanceId);
        this.record(g, instanceId, 'deregistered', goneAt);
      });
    }
  }

  /** Hook (Auto Scaling): the group put a new instance in service at `at` (registered, `initial`). */
  instanceInService(asg: string, instanceId: string, at: number): void {
    for (const g of this.groups.values()) {
      if (g.asg !== asg) continue;
      const t: Target = { state: 'initial', reason: 'Elb.RegistrationInProgress', generation: 0 };
      g.targets.set(instanceId, t);
      this.record(g, instanceId, 'initial', at);
      this.later(g, instanceId, t, at + TG_INTERVAL_MS * TG_HEALTHY_THRESHOLD, 'healthy');
    }
  }

  /** The ElbV2Api port of one region. */
  api(target?: Partial<AwsTarget>): ElbV2Api {
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(account, 'elasticloadbalancing', op, () => {
        this.world.assertRegionReachable('elasticloadbalancing', region);
        return fn();
      });
    return {
      describeLoadBalancers: (names) =>
        call('describeLoadBalancers', () =>
          names.map((name): LoadBalancer => {
            const lb = this.lbs.get(`${region}|${name}`);
            if (!lb) throw new SimAwsError('LoadBalancerNotFoundException', `Load balancers '[${name}]' not found`, 400);
            return { name, arn: lb.arn, state: 'active', dnsName: `${name}.${region}.elb.amazonaws.com` };
          }),
        ),
      describeTargetHealth: (arn) =>
        call('describeTargetHealth', () => {
          const g = this.groups.get(arn);
          if (!g || g.region !== region) throw new SimAwsError('TargetGroupNotFoundException', `Target groups '${arn}' not found`, 400);
          return [...g.targets.entries()].map(([targetId, t]): TargetHealth => ({
            targetId,
            state: t.state,
            ...(t.reason ? { reason: t.reason } : {}),
          }));
        }),
    };
  }

  private later(g: TargetGroup, id: string, t: Target, at: number, state: Target['state'], reason?: string): void {
    const gen = t.generation;
    this.world.schedule(at, () => {
      if (t.generation === gen && g.targets.get(id) === t) this.set(g, id, t, state, at, reason);
    });
  }

  private set(g: TargetGroup, id: string, t: Target, state: Target['state'], at: number, reason?: string): void {
    t.state = state;
    t.reason = reason;
    t.generation += 1;
    this.record(g, id, state, at);
  }

  private record(g: TargetGroup, targetId: string, state: string, at: number): void {
    const healthy = [...g.targets.values()].filter((t) => t.state === 'healthy').length;
    this.world.record({
      service: 'elasticloadbalancing',
      resource: g.arn,
      event: 'target-health-changed',
      at,
      detail: { targetId, state, healthy },
    });
  }
}
