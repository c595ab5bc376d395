/**
 * The simulated ElastiCache (Valkey / Redis OSS, cluster mode disabled): replication groups with one
 * node group `0001`, the primary in AZ `a` and a replica in AZ `b` of the group's region, Multi-AZ
 * with automatic failover. `TestFailover` moves the primary to the replica's AZ after 30–60 s;
 * an AZ power interruption (FIS) fails a primary in that AZ over to the replica in 15–30 s and
 * blocks failovers onto that AZ until `restoreAzPower`.
 */
import type { AwsTarget, ElastiCacheApi, ReplicationGroup } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

/** TestFailover budget per customer (shards per rolling 24 h, aws-dr-api.md §6). */
const TEST_FAILOVER_BUDGET = 15;
const DAY_MS = 86_400_000;

interface Node {
  readonly cacheClusterId: string;
  role: 'primary' | 'replica';
  readonly availabilityZone: string;
}

interface Group {
  readonly id: string;
  readonly region: string;
  readonly account: string;
  readonly tags: Readonly<Record<string, string>>;
  status: string;
  nodeGroupStatus: string;
  readonly nodes: Node[];
  /** A failover (test or AZ power) is under way. */
  failingOver: boolean;
}

/** Sim-side view of a replication group for FIS target resolution. */
export interface SimReplicationGroup {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly availabilityZones: readonly string[];
}

/** The simulated ElastiCache. */
export class ElastiCacheSim {
  private readonly groups = new Map<string, Group>();
  private readonly poweredOff = new Set<string>();
  private readonly testFailovers: { account: string; at: number }[] = [];

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Creates the runbook's replication groups, available, primary in AZ a and replica in AZ b. */
  seed(rb: Runbook): void {
    const tags: Record<string, string> = { ...rb.blastRadius.requiredTags, 'gameday:service': rb.service };
    if (rb.fis) tags[rb.fis.targetTag.key] = rb.fis.targetTag.value;
    for (const g of rb.elasticache.replicationGroups) {
      const k = `${g.region}|${g.id}`;
      if (this.groups.has(k)) continue;
      this.groups.set(k, {
        id: g.id,
        region: g.region,
        account: rb.account,
        tags,
        status: 'available',
        nodeGroupStatus: 'available',
        failingOver: false,
        nodes: [
          { cacheClusterId: `${g.id}-001`, role: 'primary', availabilityZone: `${g.region}a` },
          { cacheClusterId: `${g.id}-002`, role: 'replica', availabilityZone: `${g.region}b` },
        ],
      });
    }
  }

  /** Replication groups of a region, for FIS target resolution (no API accounting). */
  list(region: string): SimReplicationGroup[] {
    return [...this.groups.values()]
      .filter((g) => g.region === region)
      .map((g) => ({
        id: g.id,
        arn: `arn:aws:elasticache:${g.region}:${g.account}:replicationgroup:${g.id}`,
        region: g.region,
        tags: g.tags,
        availabilityZones: g.nodes.map((n) => n.availabilityZone),
      }));
  }

  /** AZ of the current primary of a group (no API accounting). */
  primaryAz(region: string, replicationGroupId: string): string | undefined {
    return this.groups.get(`${region}|${replicationGroupId}`)?.nodes.find((n) => n.role === 'primary')?.availabilityZone;
  }

  /**
   * Interrupts the power of `az` for the given groups (default: every group of the region): a
   * primary there fails over to a replica in another powered AZ after 15–30 s (recorded).
   */
  interruptAzPower(region: string, az: string, replicationGroupIds?: readonly string[]): void {
    const now = this.world.now();
    this.poweredOff.add(az);
    this.world.record({
      service: 'elasticache',
      resource: az,
      event: 'elasticache-az-power-interrupted',
      at: now,
      detail: { region, replicationGroupIds },
    });
    for (const g of this.groups.values()) {
      if (g.region !== region || (replicationGroupIds && !replicationGroupIds.includes(g.id))) continue;
      const primary = g.nodes.find((n) => n.role === 'primary');
      if (primary?.availabilityZone !== az || g.failingOver) continue;
      this.failover(g, now + this.world.between(15_000, 30_000), 'az-power-interruption', 5_000, 15_000);
    }
  }

  /** Restores the power of `az`; nodes there recover as replicas (recorded). */
  restoreAzPower(region: string, az: string): void {
    if (!this.poweredOff.delete(az)) return;
    this.world.record({
      service: 'elasticache',
      resource: az,
      event: 'elasticache-az-power-restored',
      at: this.world.now(),
      detail: { region },
    });
  }

  /** The ElastiCacheApi port of one region. */
  api(target?: Partial<AwsTarget>): ElastiCacheApi {
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(account, 'elasticache', op, () => {
        // A regional control plane in an impaired region answers 500 (see SimWorld.impairedRegions).
        this.world.assertRegionReachable('elasticache', region);
        return fn();
      });
    return {
      describeReplicationGroup: (id) => call('describeReplicationGroups', () => this.view(this.group(region, id))),
      testFailover: (input) =>
        call('testFailover', () => {
          const g = this.group(region, input.replicationGroupId);
          if (input.nodeGroupId !== '0001')
            throw new SimAwsError('NodeGroupNotFoundFault', `Node group ${input.nodeGroupId} not found in replication group ${g.id}`, 404);
          if (g.failingOver)
            throw new SimAwsError(
              'TestFailoverNotAvailableFault',
              `A failover is already in progress for node group ${input.nodeGroupId} of replication group ${g.id}`,
              400,
            );
          if (g.status !== 'available')
            throw new SimAwsError('InvalidReplicationGroupStateFault', `Replication group ${g.id} is ${g.status}, not available`, 400);
          const target = g.nodes.find((n) => n.role === 'replica' && !this.poweredOff.has(n.availabilityZone));
          if (!target)
            throw new SimAwsError(
              'InvalidReplicationGroupStateFault',
              `Replication group ${g.id} has no healthy replica to fail over to`,
              400,
            );
          const now = this.world.now();
          const recent = this.testFailovers.filter((t) => t.account === account && t.at > now - DAY_MS);
          if (recent.length >= TEST_FAILOVER_BUDGET) {
            throw new SimAwsError(
              'APICallRateForCustomerExceededFault',
              `TestFailover is limited to ${TEST_FAILOVER_BUDGET} shards per rolling 24 hours`,
              400,
            );
          }
          this.testFailovers.push({ account, at: now });
          this.world.record({
            service: 'elasticache',
            resource: g.id,
            event: 'elasticache-test-failover-requested',
            at: now,
            detail: { nodeGroupId: input.nodeGroupId },
          });
          this.failover(g, now + this.world.between(30_000, 60_000), 'test-failover', 10_000, 30_000);
          return this.view(g);
        }),
    };
  }

  // ---------------------------------------------------------------- internals

  /** modifying now → primary moves at `switchAt` (recorded) → available again `settle` ms later (recorded). */
  private failover(g: Group, switchAt: number, cause: string, settleMin: number, settleMax: number): void {
    g.failingOver = true;
    g.status = 'modifying';
    g.nodeGroupStatus = 'modifying';
    this.world.schedule(switchAt, () => {
      const from = g.nodes.find((n) => n.role === 'primary')!;
      const to = g.nodes.find((n) => n.role === 'replica' && !this.poweredOff.has(n.availabilityZone));
      if (to) {
        from.role = 'replica';
        to.role = 'primary';
        this.world.record({
          service: 'elasticache',
          resource: g.id,
          event: 'elasticache-primary-changed',
          at: switchAt,
          detail: { cause, from: from.cacheClusterId, to: to.cacheClusterId, availabilityZone: to.availabilityZone },
        });
      }
      const availableAt = switchAt + this.world.between(settleMin, settleMax);
      this.world.schedule(availableAt, () => {
        g.failingOver = false;
        g.status = 'available';
        g.nodeGroupStatus = 'available';
        this.world.record({ service: 'elasticache', resource: g.id, event: 'elasticache-available', at: availableAt, detail: { cause } });
      });
    });
  }

  private group(region: string, id: string): Group {
    const g = this.groups.get(`${region}|${id}`);
    if (!g) throw new SimAwsError('ReplicationGroupNotFoundFault', `Replication group ${id} not found in ${region}`, 404);
    return g;
  }

  private view(g: Group): ReplicationGroup {
    return {
      replicationGroupId: g.id,
      status: g.status,
      automaticFailover: 'enabled',
      multiAz: 'enabled',
      nodeGroups: [
        {
          nodeGroupId: '0001',
          status: g.nodeGroupStatus,
          members: g.nodes.map((n) => ({ cacheClusterId: n.cacheClusterId, currentRole: n.role, availabilityZone: n.availabilityZone })),
        },
      ],
    };
  }
}
