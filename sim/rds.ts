/**
 * Simulated RDS / Aurora: global clusters, regional clusters, instances per AZ, snapshots,
 * backtracks and events, with AWS's state sequences and realistic simulated durations
 * (aws-dr-api.md §1–§4, domain.md §4).
 *
 * Every port call goes through `world.call(account, 'rds', <port method name>, …)` (so faults and
 * API-call counting apply) and fails with `InternalFailure` (500) while its region is impaired.
 * Every real state change is written to the ground-truth log at its scheduled simulated instant;
 * changes in whether a cluster accepts canary writes are recorded automatically as
 * `cluster-writable` / `cluster-unwritable`.
 *
 * Hooks for other simulators (FIS, CloudWatch): `impairAz`, `restoreAz`, `impairRegion`,
 * `restoreRegion`, `writerRegion`, `isWritable`, `replicationLagMs`, `setReplicationLag`.
 */
import type {
  AuroraEngine,
  AwsTarget,
  CreateDbInstanceInput,
  DbCluster,
  DbClusterBacktrack,
  DbInstance,
  GlobalCluster,
  GlobalClusterFailoverState,
  RdsApi,
  RdsEvent,
  RestoreFromSnapshotInput,
  RestoreToPointInTimeInput,
} from '../activities/aws/ports';
import { parseDuration, type Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

const SEC = 1000;
const MIN = 60 * SEC;

/** Simulated durations (ms) of each transition, drawn uniformly in [min, max]. */
export const RDS_DURATIONS = {
  switchoverPending: [5 * SEC, 15 * SEC],
  switchoverTotal: [60 * SEC, 180 * SEC],
  switchoverFinish: [5 * SEC, 20 * SEC],
  failoverPending: [3 * SEC, 10 * SEC],
  failoverTotal: [60 * SEC, 120 * SEC],
  failoverFinish: [5 * SEC, 15 * SEC],
  readdOldPrimary: [2 * MIN, 5 * MIN],
  detach: [30 * SEC, 90 * SEC],
  inRegionFailover: [30 * SEC, 60 * SEC],
  restoreCluster: [5 * MIN, 15 * MIN],
  createInstance: [5 * MIN, 10 * MIN],
  deleteInstance: [1 * MIN, 3 * MIN],
  deleteCluster: [3 * MIN, 5 * MIN],
  backtrack: [5 * SEC, 20 * SEC],
  instanceRestart: [30 * SEC, 90 * SEC],
  replicationLag: [200, 1000],
} as const satisfies Record<string, readonly [number, number]>;

/** PITR: automated backups are kept this long (EarliestRestorableTime = now − retention). */
export const BACKUP_RETENTION_MS = 7 * 24 * 60 * MIN;

/** PITR: LatestRestorableTime lags this far behind now. */
export const LATEST_RESTORABLE_LAG_MS = 5 * MIN;

interface InstanceState {
  readonly id: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly clusterId: string;
  readonly az: string;
  readonly instanceClass: string;
  status: string;
  readonly tags: Record<string, string>;
}

interface ClusterState {
  readonly id: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly engine: AuroraEngine;
  readonly engineVersion: string;
  status: string;
  instanceIds: string[];
  writerId?: string;
  globalId?: string;
  /** Writes blocked by a global operation (demoted/fenced old primary). */
  fenced: boolean;
  syncStatus: 'connected' | 'pending-resync';
  /** Old primary waiting for its region to recover before being re-added as a secondary. */
  awaitingReadd: boolean;
  readonly backtrackWindowSeconds: number;
  readonly createdAt: number;
  readonly subnetGroup?: string;
  readonly tags: Record<string, string>;
  lagMs: number;
  readonly backtracks: { -readonly [K in keyof DbClusterBacktrack]: DbClusterBacktrack[K] }[];
}

interface GlobalState {
  readonly id: string;
  readonly arn: string;
  readonly account: string;
  readonly engine: AuroraEngine;
  readonly engineVersion: string;
  status: string;
  writerArn: string;
  memberArns: string[];
  failoverState?: GlobalClusterFailoverState;
}

interface SnapshotState {
  readonly id: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly clusterId: string;
  readonly engine: AuroraEngine;
  readonly createdAt: number;
}

interface StoredEvent extends RdsEvent {
  readonly region: string;
}

/** How an endpoint was resolved. */
export interface ResolvedEndpoint {
  readonly clusterArn: string;
}

/** Options of a bound RDS port. */
export interface RdsApiOptions {
  /** Aborts a call held by an injected `hang` / `latency` fault. */
  readonly signal?: AbortSignal;
}

function err(name: string, message: string, status = 400): SimAwsError {
  return new SimAwsError(name, message, status, false);
}

function engineOf(e: 'postgres' | 'mysql'): AuroraEngine {
  return e === 'postgres' ? 'aurora-postgresql' : 'aurora-mysql';
}

function versionOf(e: AuroraEngine): string {
  return e === 'aurora-postgresql' ? '15.4' : '8.0.mysql_aurora.3.05.2';
}

export class RdsSim {
  private readonly clusters = new Map<string, ClusterState>();
  private readonly instances = new Map<string, InstanceState>();
  private readonly globals = new Map<string, GlobalState>();
  private readonly snapshots = new Map<string, SnapshotState>();
  private readonly events: StoredEvent[] = [];
  /** Instances stopped by an AZ impairment, `region/az` → ids. */
  private readonly impairedAzs = new Set<string>();
  private defaultAccount?: string;

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  // ================================================================ seeding and drift

  /** Creates the runbook's Aurora resources (global cluster, members, instances, snapshots) in a healthy state; idempotent. */
  seed(rb: Runbook): void {
    const a = rb.aurora;
    if (!a) return;
    const account = rb.account;
    this.defaultAccount ??= account;
    const engine = engineOf(a.engine);
    const tags: Record<string, string> = { ...rb.blastRadius.requiredTags, 'gameday:service': rb.service };
    if (rb.fis) tags[rb.fis.targetTag.key] = rb.fis.targetTag.value;
    const now = this.world.now();
    const backtrack =
      a.backtrackWindow && engine === 'aurora-mysql' ? Math.round(parseDuration(a.backtrackWindow) / SEC) : 0;
    let primaryArn: string | undefined;
    const memberArns: string[] = [];
    for (const m of a.members) {
      const arn = this.clusterArn(account, m.region, m.clusterId);
      memberArns.push(arn);
      if (m.region === a.primaryRegion) primaryArn = arn;
      if (this.clusters.has(arn)) continue;
      const instances = m.instances ?? [
        { id: `${m.clusterId}-a`, az: `${m.region}a` },
        { id: `${m.clusterId}-b`, az: `${m.region}b` },
      ];
      const c: ClusterState = {
        id: m.clusterId,
        arn,
        account,
        region: m.region,
        engine,
        engineVersion: versionOf(engine),
        status: 'available',
        instanceIds: [],
        globalId: a.globalClusterId,
        fenced: false,
        syncStatus: 'connected',
        awaitingReadd: false,
        backtrackWindowSeconds: backtrack,
        createdAt: now - 30 * 24 * 60 * MIN,
        subnetGroup: `${rb.service}-${rb.environment}-db`,
        tags: { ...tags },
        lagMs: Math.round(this.world.between(...RDS_DURATIONS.replicationLag)),
        backtracks: [],
      };
      this.clusters.set(arn, c);
      for (const i of instances) {
        this.addInstance(c, i.id, i.az, 'db.r6g.large', 'available', tags);
        c.writerId ??= i.id;
      }
      const snapTime = now - 6 * 60 * MIN;
      const snapId = `rds:${m.clusterId}-${new Date(snapTime).toISOString().slice(0, 16).replace(/[T:]/g, '-')}`;
      const snapArn = `arn:aws:rds:${m.region}:${account}:cluster-snapshot:${snapId}`;
      this.snapshots.set(snapArn, { id: snapId, arn: snapArn, account, region: m.region, clusterId: m.clusterId, engine, createdAt: snapTime });
    }
    if (a.globalClusterId && primaryArn) {
      const gArn = this.globalArn(account, a.globalClusterId);
      if (!this.globals.has(gArn)) {
        this.globals.set(gArn, {
          id: a.globalClusterId,
          arn: gArn,
          account,
          engine,
          engineVersion: versionOf(engine),
          status: 'available',
          writerArn: primaryArn,
          memberArns,
        });
      }
    }
  }

  /** Drift for tests: makes the member in `region` the writer at once (no transition, no data movement). */
  setWriterRegion(globalId: string, region: string): void {
    const g = this.globalById(globalId);
    const target = g.memberArns.map((a) => this.clusters.get(a)!).find((c) => c.region === region);
    if (!target) throw err('DBClusterNotFoundFault', `global cluster ${globalId} has no member in ${region}`, 404);
    this.mutate(this.world.now(), () => {
      g.writerArn = target.arn;
    });
    this.world.record({ service: 'rds', resource: globalId, event: 'drift-writer-region', detail: { region, writer: target.arn } });
  }

  /** Drift for tests: detaches `clusterId` from its global cluster at once, as a standalone writable cluster. */
  removeMember(globalId: string, clusterId: string): void {
    const g = this.globalById(globalId);
    const c = g.memberArns.map((a) => this.clusters.get(a)!).find((x) => x.id === clusterId);
    if (!c) throw err('DBClusterNotFoundFault', `${clusterId} is not a member of ${globalId}`, 404);
    this.mutate(this.world.now(), () => {
      g.memberArns = g.memberArns.filter((a) => a !== c.arn);
      c.globalId = undefined;
      this.sim.canary.uncut(c.arn);
    });
    this.world.record({ service: 'rds', resource: clusterId, event: 'drift-member-removed', detail: { globalId } });
  }

  /** Sets a secondary's replication lag (simulated ms) for rows written from now on. */
  setReplicationLag(clusterId: string, ms: number): void {
    this.clusterByIdAnywhere(clusterId).lagMs = ms;
  }

  // ================================================================ hooks for FIS / CloudWatch / canary

  /** Region of the current writer (primary) cluster of a global cluster. */
  writerRegion(globalId: string): string {
    return this.clusters.get(this.globalById(globalId).writerArn)!.region;
  }

  /** True while `region` is impaired by `impairRegion` (or by anyone through `world.impairedRegions`). */
  isRegionImpaired(region: string): boolean {
    return this.world.impairedRegions.has(region);
  }

  /** True when the cluster (identifier, any region) accepts canary writes right now. */
  isWritable(clusterId: string): boolean {
    this.world.advance();
    return this.isWritableCluster(this.clusterByIdAnywhere(clusterId).arn);
  }

  /**
   * Replication lag (ms) of a secondary right now: its configured lag, or the time since
   * replication stopped (source region impaired, failover, detach). 0 for a primary/standalone.
   * Feeds CloudWatch `AuroraGlobalDBReplicationLag` / `AuroraGlobalDBRPOLag`.
   */
  replicationLagMs(clusterId: string): number {
    this.world.advance();
    const c = this.clusterByIdAnywhere(clusterId);
    const g = c.globalId ? this.globals.get(this.globalArn(c.account, c.globalId)) : undefined;
    if (!g || g.writerArn === c.arn || !g.memberArns.includes(c.arn)) return 0;
    const cutAt = this.sim.canary.cluster(c.arn).cutAt;
    return cutAt === undefined ? c.lagMs : Math.max(c.lagMs, this.world.now() - cutAt);
  }

  /**
   * AZ power interruption: instances in `az` stop; a writer there fails over in-region to a
   * reader in a healthy AZ after 30–60 s (the cluster shows `failing-over` meanwhile).
   */
  impairAz(region: string, az: string): void {
    const now = this.world.now();
    this.impairedAzs.add(`${region}/${az}`);
    this.world.record({ service: 'rds', resource: az, event: 'az-impaired', detail: { region } });
    this.mutate(now, () => {
      for (const i of this.instances.values()) {
        if (i.region !== region || i.az !== az || i.status === 'deleting') continue;
        i.status = 'stopped';
        this.world.record({ service: 'rds', resource: i.id, event: 'instance-stopped', at: now, detail: { az, cluster: i.clusterId } });
      }
    });
    for (const c of this.clusters.values()) {
      if (c.region !== region || !c.writerId) continue;
      const w = this.instances.get(this.instanceArn(c.account, c.region, c.writerId));
      if (w?.az !== az || c.status !== 'available') continue;
      const reader = this.pickReader(c, undefined);
      if (!reader) continue; // no healthy reader: stays down until the AZ is restored
      this.startInRegionFailover(c, reader.id, now, 'writer instance lost (AZ impaired)');
    }
  }

  /** Ends an AZ impairment: its stopped instances come back after 30–90 s. */
  restoreAz(region: string, az: string): void {
    const now = this.world.now();
    this.impairedAzs.delete(`${region}/${az}`);
    this.world.record({ service: 'rds', resource: az, event: 'az-restored', detail: { region } });
    for (const i of this.instances.values()) {
      if (i.region !== region || i.az !== az || i.status !== 'stopped') continue;
      const at = now + this.world.between(...RDS_DURATIONS.instanceRestart);
      this.transition(at, () => {
        if (i.status !== 'stopped' || !this.instances.has(i.arn)) return;
        i.status = 'available';
        this.world.record({ service: 'rds', resource: i.id, event: 'instance-available', at, detail: { az } });
      });
    }
  }

  /**
   * Regional impairment: every RDS control-plane call in `region` answers InternalFailure (500);
   * its clusters stop accepting canary writes and replication out of the region stops.
   */
  impairRegion(region: string): void {
    const now = this.world.now();
    this.mutate(now, () => {
      this.world.impairedRegions.set(region, now);
      for (const g of this.globals.values()) {
        if (this.clusters.get(g.writerArn)?.region !== region) continue;
        for (const a of g.memberArns) if (a !== g.writerArn) this.sim.canary.cut(a, now);
      }
    });
    this.world.record({ service: 'rds', resource: region, event: 'region-impaired', at: now });
  }

  /** Ends a regional impairment; replication resumes and a demoted old primary there is re-added. */
  restoreRegion(region: string): void {
    const now = this.world.now();
    this.mutate(now, () => {
      this.world.impairedRegions.delete(region);
      for (const g of this.globals.values()) {
        if (this.clusters.get(g.writerArn)?.region !== region || g.failoverState) continue;
        for (const a of g.memberArns) if (a !== g.writerArn) this.sim.canary.uncut(a);
      }
    });
    this.world.record({ service: 'rds', resource: region, event: 'region-restored', at: now });
    for (const c of this.clusters.values()) {
      if (c.region === region && c.awaitingReadd) {
        c.awaitingReadd = false;
        this.scheduleReadd(c, now + this.world.between(...RDS_DURATIONS.readdOldPrimary));
      }
    }
  }

  /** Resolves a canary endpoint to a cluster ARN (global writer, cluster or reader endpoint). */
  resolveEndpoint(endpoint: string): string | undefined {
    const host = endpoint.replace(/^[a-z]+:\/\//, '').split(/[:/]/)[0]!.toLowerCase();
    const [id, kind, region] = host.split('.');
    if (!id || !kind) return undefined;
    if (kind.startsWith('global-')) {
      for (const g of this.globals.values()) if (g.id.toLowerCase() === id) return g.writerArn;
      return undefined;
    }
    if (kind.startsWith('cluster-')) {
      for (const c of this.clusters.values()) {
        if (c.id.toLowerCase() === id && (region === undefined || c.region === region)) return c.arn;
      }
    }
    return undefined;
  }

  /** True when the cluster accepts writes now (writer role, available, writer instance up, region healthy). */
  isWritableCluster(arn: string): boolean {
    const c = this.clusters.get(arn);
    if (!c || c.status !== 'available' || c.fenced) return false;
    if (this.world.impairedRegions.has(c.region)) return false;
    if (c.globalId) {
      const g = this.globals.get(this.globalArn(c.account, c.globalId));
      if (!g || g.writerArn !== c.arn) return false;
    }
    const w = c.writerId ? this.instances.get(this.instanceArn(c.account, c.region, c.writerId)) : undefined;
    return w?.status === 'available';
  }

  /** True when the cluster serves reads now (some instance up, region healthy). */
  isReadableCluster(arn: string): boolean {
    const c = this.clusters.get(arn);
    if (!c || c.status === 'creating' || c.status === 'deleting') return false;
    if (this.world.impairedRegions.has(c.region)) return false;
    return c.instanceIds.some((id) => this.instances.get(this.instanceArn(c.account, c.region, id))?.status === 'available');
  }

  /** Connected secondaries a write on `arn` replicates to, with their lag. */
  replicaTargets(arn: string): { arn: string; lagMs: number }[] {
    const c = this.clusters.get(arn);
    if (!c?.globalId) return [];
    const g = this.globals.get(this.globalArn(c.account, c.globalId));
    if (!g || g.writerArn !== arn) return [];
    const out: { arn: string; lagMs: number }[] = [];
    for (const a of g.memberArns) {
      if (a === arn) continue;
      const s = this.clusters.get(a)!;
      if (s.syncStatus === 'connected') out.push({ arn: a, lagMs: s.lagMs });
    }
    return out;
  }

  /** Automated snapshots (seeded one per cluster), for tests and the restore drill set-up. */
  listSnapshots(clusterId?: string): { id: string; arn: string; region: string; clusterId: string; createdAt: number }[] {
    return [...this.snapshots.values()]
      .filter((s) => clusterId === undefined || s.clusterId === clusterId)
      .map((s) => ({ id: s.id, arn: s.arn, region: s.region, clusterId: s.clusterId, createdAt: s.createdAt }));
  }

  // ================================================================ the port

  /** The `RdsApi` bound to one region/account. */
  api(target: Partial<AwsTarget> = {}, opts: RdsApiOptions = {}): RdsApi {
    const region = target.region ?? 'us-east-1';
    const account = target.accountId;
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(
        account ?? this.defaultAccount ?? '000000000000',
        'rds',
        op,
        () => {
          this.world.assertRegionReachable('rds', region);
          return fn();
        },
        opts.signal,
      );
    return {
      region,
      describeGlobalCluster: (id) => call('describeGlobalCluster', () => this.viewGlobal(this.globalById(id, account))),
      describeDbCluster: (id) => call('describeDbCluster', () => this.viewCluster(this.clusterIn(region, id, account))),
      listDbClusters: (filter) =>
        call('listDbClusters', () =>
          [...this.clusters.values()]
            .filter((c) => c.region === region && (account === undefined || c.account === account))
            .filter((c) => Object.entries(filter?.tags ?? {}).every(([k, v]) => c.tags[k] === v))
            .map((c) => this.viewCluster(c)),
        ),
      describeDbInstance: (id) => call('describeDbInstance', () => this.viewInstance(this.instanceIn(region, id, account))),
      listDbInstances: (filter) =>
        call('listDbInstances', () =>
          [...this.instances.values()]
            .filter((i) => i.region === region && (account === undefined || i.account === account))
            .filter((i) => filter?.dbClusterIdentifier === undefined || i.clusterId === filter.dbClusterIdentifier)
            .map((i) => this.viewInstance(i)),
        ),
      switchoverGlobalCluster: (input) =>
        call('switchoverGlobalCluster', () => this.switchover(input.globalClusterIdentifier, input.targetDbClusterArn, region, account)),
      failoverGlobalCluster: (input) =>
        call('failoverGlobalCluster', () =>
          input.allowDataLoss
            ? this.failover(input.globalClusterIdentifier, input.targetDbClusterArn, region, account)
            : this.switchover(input.globalClusterIdentifier, input.targetDbClusterArn, region, account),
        ),
      removeFromGlobalCluster: (input) =>
        call('removeFromGlobalCluster', () => this.detach(input.globalClusterIdentifier, input.dbClusterArn, region, account)),
      failoverDbCluster: (input) =>
        call('failoverDbCluster', () => this.failoverInRegion(this.clusterIn(region, input.dbClusterIdentifier, account), input.targetDbInstanceIdentifier)),
      backtrackDbCluster: (input) =>
        call('backtrackDbCluster', () => this.backtrack(this.clusterIn(region, input.dbClusterIdentifier, account), input.backtrackTo)),
      describeDbClusterBacktracks: (input) =>
        call('describeDbClusterBacktracks', () => {
          const c = this.clusterIn(region, input.dbClusterIdentifier, account);
          const list = c.backtracks.filter((b) => input.backtrackIdentifier === undefined || b.backtrackIdentifier === input.backtrackIdentifier);
          if (input.backtrackIdentifier !== undefined && list.length === 0) {
            throw err('DBClusterBacktrackNotFoundFault', `Backtrack ${input.backtrackIdentifier} not found for DB cluster ${c.id}.`, 404);
          }
          return list.map((b) => ({ ...b }));
        }),
      restoreDbClusterToPointInTime: (input) => call('restoreDbClusterToPointInTime', () => this.restorePitr(input, region, account)),
      restoreDbClusterFromSnapshot: (input) => call('restoreDbClusterFromSnapshot', () => this.restoreSnapshot(input, region, account)),
      createDbInstance: (input) => call('createDbInstance', () => this.createInstance(input, region, account)),
      deleteDbInstance: (input) => call('deleteDbInstance', () => this.deleteInstance(this.instanceIn(region, input.dbInstanceIdentifier, account))),
      deleteDbCluster: (input) => call('deleteDbCluster', () => this.deleteCluster(this.clusterIn(region, input.dbClusterIdentifier, account))),
      describeEvents: (input) =>
        call('describeEvents', () => {
          const since = input.startTime ?? this.world.now() - 60 * MIN;
          return this.events
            .filter((e) => e.region === region && e.date >= since && e.date <= this.world.now())
            .filter((e) => input.sourceIdentifier === undefined || e.sourceIdentifier === input.sourceIdentifier)
            .sort((a, b) => a.date - b.date)
            .map(({ region: _r, ...e }) => ({ ...e, eventCategories: [...e.eventCategories] }));
        }),
    };
  }

  // ================================================================ global operations

  private switchover(globalId: string, targetRef: string, region: string, account?: string): GlobalCluster {
    const { g, target, primary } = this.globalPromotionParties(globalId, targetRef, region, account);
    if (!this.isWritableCluster(primary.arn)) {
      throw err('InvalidDBClusterStateFault', `The primary DB cluster ${primary.arn} is not available; use FailoverGlobalCluster with AllowDataLoss for an unplanned failover.`);
    }
    const t0 = this.beginGlobalOperation(g, primary, target, 'switchover');
    this.event(target, t0, `Global switchover to DB cluster ${target.id} in Region ${target.region} started.`, ['global-failover']);
    const t1 = t0 + this.world.between(...RDS_DURATIONS.switchoverPending);
    const t2 = Math.max(t0 + this.world.between(...RDS_DURATIONS.switchoverTotal), t1 + target.lagMs + 5 * SEC);
    const t3 = t2 + this.world.between(...RDS_DURATIONS.switchoverFinish);
    this.transition(t1, () => {
      g.failoverState = { ...g.failoverState!, status: 'switching-over' };
      primary.fenced = true;
      this.world.record({ service: 'rds', resource: primary.id, event: 'cluster-writes-blocked', at: t1, detail: { reason: 'switchover: old primary demoted' } });
      this.event(primary, t1, `Old primary DB cluster ${primary.id} in Region ${primary.region} successfully shut down.`, ['global-failover']);
      this.event(target, t1, `Waiting for data synchronization across global cluster members. Current lags behind primary DB cluster: ${target.lagMs} ms.`, ['global-failover']);
    });
    this.transition(t2, () => {
      // Replication drains before the promotion: RPO 0.
      for (const a of g.memberArns) if (a !== primary.arn) this.sim.canary.drain(a);
      for (const a of g.memberArns) if (a !== target.arn && a !== primary.arn) this.sim.canary.copyRows(target.arn, a);
      this.sim.canary.copyRows(target.arn, primary.arn);
      g.writerArn = target.arn;
      primary.fenced = false;
      target.fenced = false;
      this.world.record({ service: 'rds', resource: g.id, event: 'global-promotion-complete', at: t2, detail: { newWriter: target.arn, clusterId: target.id, region: target.region, mode: 'switchover' } });
      this.world.record({ service: 'rds', resource: g.id, event: 'writes-lost', at: t2, detail: { count: 0, mode: 'switchover', newWriter: target.arn } });
      this.event(target, t2, `New primary DB cluster ${target.id} in Region ${target.region} successfully promoted.`, ['global-failover']);
    });
    this.transition(t3, () => {
      this.endGlobalOperation(g, target, t3, 'global-switchover-complete', `Global switchover to DB cluster ${target.id} in Region ${target.region} finished. Replicas might take long to come online.`);
    });
    return this.viewGlobal(g);
  }

  private failover(globalId: string, targetRef: string, region: string, account?: string): GlobalCluster {
    const { g, target, primary } = this.globalPromotionParties(globalId, targetRef, region, account);
    const t0 = this.beginGlobalOperation(g, primary, target, 'failover');
    const t1 = t0 + this.world.between(...RDS_DURATIONS.failoverPending);
    const t2 = Math.max(t0 + this.world.between(...RDS_DURATIONS.failoverTotal), t1 + 5 * SEC);
    const t3 = t2 + this.world.between(...RDS_DURATIONS.failoverFinish);
    this.transition(t1, () => {
      g.failoverState = { ...g.failoverState!, status: 'failing-over' };
      // Replication into the target stops now; whatever has not arrived is the unreplicated tail.
      this.sim.canary.cut(target.arn, t1);
      primary.fenced = true;
      const impaired = this.world.impairedRegions.has(primary.region);
      this.world.record({ service: 'rds', resource: primary.id, event: 'cluster-writes-blocked', at: t1, detail: { reason: 'failover: write fencing', fenced: !impaired } });
      const writer = primary.writerId ?? primary.id;
      this.event(
        primary,
        t1,
        impaired
          ? `Attempt to block writes for DB cluster ${primary.id} timed out.`
          : `Attempt to block writes for DB cluster ${primary.id} succeeded.`,
        ['notification', 'global-database'],
        writer,
        'db-instance',
      );
    });
    this.transition(t2, () => {
      const lost = this.sim.canary.dropUnreplicated(target.arn, t2);
      for (const a of g.memberArns) if (a !== target.arn && a !== primary.arn) this.sim.canary.copyRows(target.arn, a);
      g.writerArn = target.arn;
      target.fenced = false;
      primary.syncStatus = 'pending-resync';
      this.world.record({ service: 'rds', resource: g.id, event: 'global-promotion-complete', at: t2, detail: { newWriter: target.arn, clusterId: target.id, region: target.region, mode: 'failover' } });
      this.world.record({
        service: 'rds',
        resource: g.id,
        event: 'writes-lost',
        at: t2,
        detail: { count: lost.length, mode: 'failover', newWriter: target.arn, cutAt: t1, seqs: lostSeqs(lost) },
      });
    });
    this.transition(t3, () => {
      this.endGlobalOperation(g, target, t3, 'global-failover-complete', `Global failover to DB cluster ${target.id} in Region ${target.region} completed.`);
      if (this.world.impairedRegions.has(primary.region)) primary.awaitingReadd = true;
      else this.scheduleReadd(primary, t3 + this.world.between(...RDS_DURATIONS.readdOldPrimary));
    });
    return this.viewGlobal(g);
  }

  /** The old primary re-joins as a secondary after a failover (its unreplicated tail is discarded). */
  private scheduleReadd(old: ClusterState, at: number): void {
    const g = old.globalId ? this.globals.get(this.globalArn(old.account, old.globalId)) : undefined;
    if (!g) return;
    this.event(old, at - 1, `Started resynchronizing members of DB cluster ${old.id} after global failover.`, ['global-failover']);
    this.transition(at, () => {
      if (!this.clusters.has(old.arn) || !g.memberArns.includes(old.arn) || g.writerArn === old.arn) return;
      this.sim.canary.copyRows(g.writerArn, old.arn);
      old.syncStatus = 'connected';
      old.fenced = false;
      this.world.record({ service: 'rds', resource: old.id, event: 'member-resynced', at, detail: { globalId: g.id, writer: g.writerArn } });
      this.event(old, at, `Finished resynchronizing members of DB cluster ${old.id} after global failover.`, ['global-failover']);
    });
  }

  private detach(globalId: string, clusterRef: string, region: string, account?: string): GlobalCluster {
    const g = this.globalById(globalId, account);
    const c = this.clusterByRef(clusterRef, region, account);
    this.assertMember(g, c);
    this.assertNoGlobalOperation(g);
    const t0 = this.world.now();
    if (g.writerArn === c.arn) {
      if (g.memberArns.length > 1) {
        throw err('InvalidGlobalClusterStateFault', `The primary DB cluster ${c.arn} can't be removed from global cluster ${g.id} while it has secondary clusters; remove the secondaries first.`);
      }
      this.mutate(t0, () => {
        g.memberArns = [];
        c.globalId = undefined;
      });
      this.world.record({ service: 'rds', resource: c.id, event: 'cluster-detached', at: t0, detail: { globalId: g.id } });
      return this.viewGlobal(g);
    }
    this.mutate(t0, () => {
      g.memberArns = g.memberArns.filter((a) => a !== c.arn);
      c.status = 'promoting';
      this.sim.canary.cut(c.arn, t0);
    });
    this.world.record({ service: 'rds', resource: g.id, event: 'global-detach-requested', at: t0, detail: { cluster: c.arn } });
    const t1 = t0 + this.world.between(...RDS_DURATIONS.detach);
    this.transition(t1, () => {
      const lost = this.sim.canary.dropUnreplicated(c.arn, t1);
      c.globalId = undefined;
      c.status = 'available';
      c.fenced = false;
      c.syncStatus = 'connected';
      this.world.record({ service: 'rds', resource: c.id, event: 'cluster-detached', at: t1, detail: { globalId: g.id } });
      this.world.record({ service: 'rds', resource: g.id, event: 'writes-lost', at: t1, detail: { count: lost.length, mode: 'detach', newWriter: c.arn, cutAt: t0, seqs: lostSeqs(lost) } });
      this.event(c, t1, `DB cluster ${c.id} was promoted to a standalone DB cluster.`, ['notification']);
    });
    return this.viewGlobal(g);
  }

  /**
   * Resolves and checks the parties of a switchover or failover: no operation in flight, the target
   * a member of the global cluster but not its writer, and promotable; `primary` is the writer.
   */
  private globalPromotionParties(globalId: string, targetRef: string, region: string, account?: string): { g: GlobalState; target: ClusterState; primary: ClusterState } {
    const g = this.globalById(globalId, account);
    const target = this.clusterByRef(targetRef, region, account);
    this.assertNoGlobalOperation(g);
    this.assertMember(g, target);
    if (g.writerArn === target.arn) {
      throw err('InvalidGlobalClusterStateFault', `The DB cluster ${target.arn} is already the primary cluster of global cluster ${g.id}.`);
    }
    this.assertPromotable(target);
    return { g, target, primary: this.clusters.get(g.writerArn)! };
  }

  /** Starts a switchover or failover now (status, pending `failoverState`, ground truth); returns its start time. */
  private beginGlobalOperation(g: GlobalState, primary: ClusterState, target: ClusterState, kind: 'switchover' | 'failover'): number {
    const t0 = this.world.now();
    g.status = kind === 'switchover' ? 'switching-over' : 'failing-over';
    g.failoverState = { status: 'pending', fromDbClusterArn: primary.arn, toDbClusterArn: target.arn, isDataLossAllowed: kind === 'failover' };
    this.world.record({ service: 'rds', resource: g.id, event: `global-${kind}-requested`, at: t0, detail: { from: primary.arn, to: target.arn } });
    return t0;
  }

  /** Ends a switchover or failover at `at`: the global cluster available again, `event` recorded, `message` and the DNS change in the event log. */
  private endGlobalOperation(g: GlobalState, target: ClusterState, at: number, event: string, message: string): void {
    g.failoverState = undefined;
    g.status = 'available';
    this.world.record({ service: 'rds', resource: g.id, event, at, detail: { newWriter: target.arn } });
    this.event(target, at, message, ['global-failover']);
    this.event(target, at, `Aurora finished changing the DNS name that the global writer endpoint ${this.globalEndpoint(g)} resolves to.`, ['global-failover']);
  }

  private assertMember(g: GlobalState, c: ClusterState): void {
    if (!g.memberArns.includes(c.arn)) {
      throw err('InvalidGlobalClusterStateFault', `The DB cluster ${c.arn} is not a member of global cluster ${g.id}.`);
    }
  }

  private assertNoGlobalOperation(g: GlobalState): void {
    if (g.failoverState) {
      throw err('InvalidGlobalClusterStateFault', `Global cluster ${g.id} is in ${g.failoverState.status} state; wait for the current switchover or failover to finish.`);
    }
  }

  private assertPromotable(c: ClusterState): void {
    if (c.status !== 'available' || !this.isReadableCluster(c.arn)) {
      throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is not in an available state (status ${c.status}) or has no available DB instance.`);
    }
  }

  // ================================================================ in-region failover

  private failoverInRegion(c: ClusterState, targetId?: string): DbCluster {
    if (c.status !== 'available') {
      throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is not in an available state (status ${c.status}).`);
    }
    if (targetId !== undefined) {
      if (!c.instanceIds.includes(targetId)) throw err('DBInstanceNotFoundFault', `DBInstance ${targetId} not found in DB cluster ${c.id}.`, 404);
      const t = this.instances.get(this.instanceArn(c.account, c.region, targetId))!;
      if (t.status !== 'available') throw err('InvalidDBInstanceStateFault', `DB instance ${targetId} is not available (status ${t.status}).`);
    }
    const reader = this.pickReader(c, targetId);
    if (!reader) throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} has no available reader to fail over to.`);
    this.startInRegionFailover(c, reader.id, this.world.now(), 'requested');
    return this.viewCluster(c);
  }

  private pickReader(c: ClusterState, targetId: string | undefined): InstanceState | undefined {
    const avail = c.instanceIds
      .map((id) => this.instances.get(this.instanceArn(c.account, c.region, id))!)
      .filter((i) => i.status === 'available' && (targetId === undefined ? i.id !== c.writerId : i.id === targetId));
    const writerAz = c.writerId ? this.instances.get(this.instanceArn(c.account, c.region, c.writerId))?.az : undefined;
    return avail.find((i) => i.az !== writerAz) ?? avail[0];
  }

  private startInRegionFailover(c: ClusterState, toId: string, t0: number, reason: string): void {
    const from = c.writerId;
    this.mutate(t0, () => {
      c.status = 'failing-over';
    });
    this.world.record({ service: 'rds', resource: c.id, event: 'cluster-failover-requested', at: t0, detail: { from, to: toId, reason } });
    const toAz = this.instances.get(this.instanceArn(c.account, c.region, toId))?.az;
    const fromAz = from ? this.instances.get(this.instanceArn(c.account, c.region, from))?.az : undefined;
    this.event(c, t0, fromAz === toAz ? `Started same AZ failover to DB instance: ${toId}` : `Started cross AZ failover to DB instance: ${toId}`, ['failover']);
    const t1 = t0 + this.world.between(...RDS_DURATIONS.inRegionFailover);
    this.transition(t1, () => {
      if (!this.clusters.has(c.arn)) return;
      let to = this.instances.get(this.instanceArn(c.account, c.region, toId));
      if (to?.status !== 'available') to = this.pickReader(c, undefined);
      c.status = 'available';
      if (!to) {
        this.event(c, t1, 'Cluster failover failed, check the health of your cluster instances and try again.', ['failover']);
        this.world.record({ service: 'rds', resource: c.id, event: 'cluster-failover-failed', at: t1 });
        return;
      }
      c.writerId = to.id;
      this.world.record({ service: 'rds', resource: c.id, event: 'cluster-writer-changed', at: t1, detail: { from, to: to.id, az: to.az } });
      this.event(c, t1, `Completed failover to DB instance: ${to.id}`, ['failover']);
    });
  }

  // ================================================================ backtrack

  private backtrack(c: ClusterState, backtrackTo: number): DbClusterBacktrack {
    if (c.engine !== 'aurora-mysql') {
      throw err('InvalidDBClusterStateFault', `Backtrack is not enabled for the ${c.engine} engine.`);
    }
    if (c.globalId) {
      throw err('InvalidDBClusterStateFault', `Backtrack is not supported for DB cluster ${c.id} because it is a member of global database ${c.globalId}.`);
    }
    if (!c.backtrackWindowSeconds) {
      throw err('InvalidDBClusterStateFault', `Backtrack is not enabled for DB cluster ${c.id}.`);
    }
    if (c.status !== 'available') {
      throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is not in an available state (status ${c.status}).`);
    }
    const now = this.world.now();
    if (backtrackTo > now) throw err('InvalidParameterValue', `The backtrack time ${new Date(backtrackTo).toISOString()} is in the future.`);
    const earliest = Math.max(c.createdAt, now - c.backtrackWindowSeconds * SEC);
    if (backtrackTo < earliest) {
      throw err('InvalidDBClusterStateFault', `The backtrack time is earlier than the earliest backtrack time ${new Date(earliest).toISOString()} of DB cluster ${c.id}.`);
    }
    const b = {
      backtrackIdentifier: this.uuid(),
      status: 'applying',
      backtrackTo,
      backtrackedFrom: now,
      backtrackRequestCreationTime: now,
    };
    c.backtracks.push(b);
    this.mutate(now, () => {
      c.status = 'backtracking';
    });
    this.world.record({ service: 'rds', resource: c.id, event: 'backtrack-requested', at: now, detail: { backtrackTo, id: b.backtrackIdentifier } });
    const t1 = now + this.world.between(...RDS_DURATIONS.backtrack);
    this.transition(t1, () => {
      const removed = this.sim.canary.rewind(c.arn, backtrackTo);
      b.status = 'completed';
      c.status = 'available';
      this.world.record({ service: 'rds', resource: c.id, event: 'backtrack-completed', at: t1, detail: { backtrackTo, rowsRemoved: removed, id: b.backtrackIdentifier } });
      this.event(c, t1, `Backtrack to ${new Date(backtrackTo).toISOString()} completed.`, ['backtrack']);
    });
    return { ...b };
  }

  // ================================================================ restore, create, delete

  private restorePitr(input: RestoreToPointInTimeInput, region: string, account?: string): DbCluster {
    const src = this.clusterIn(region, input.sourceDbClusterIdentifier, account);
    if ((input.restoreToTime === undefined) === !input.useLatestRestorableTime) {
      throw err('InvalidParameterCombination', 'Specify exactly one of RestoreToTime or UseLatestRestorableTime.');
    }
    if (src.status === 'creating' || src.status === 'deleting') {
      throw err('InvalidDBClusterStateFault', `DB cluster ${src.id} is ${src.status}; it has no restorable window yet.`);
    }
    const view = this.viewCluster(src);
    const restoreTo = input.restoreToTime ?? view.latestRestorableTime!;
    if (restoreTo > view.latestRestorableTime! || restoreTo < view.earliestRestorableTime!) {
      throw err(
        'InvalidRestoreFault',
        `The restore time ${new Date(restoreTo).toISOString()} is outside the restorable window ${new Date(view.earliestRestorableTime!).toISOString()} – ${new Date(view.latestRestorableTime!).toISOString()} of DB cluster ${src.id}.`,
      );
    }
    const c = this.createRestoredCluster(input.dbClusterIdentifier, src.account, region, src.engine, input.dbSubnetGroupName ?? src.subnetGroup, input.tags);
    const rows = this.sim.canary.copyRows(src.arn, c.arn, restoreTo);
    this.world.record({ service: 'rds', resource: c.id, event: 'cluster-restore-requested', detail: { source: src.id, restoreTo, rows } });
    return this.viewCluster(c);
  }

  private restoreSnapshot(input: RestoreFromSnapshotInput, region: string, account?: string): DbCluster {
    const snap = [...this.snapshots.values()].find(
      (s) => (s.arn === input.snapshotIdentifier || (s.id === input.snapshotIdentifier && s.region === region)) && (account === undefined || s.account === account),
    );
    if (!snap) throw err('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${input.snapshotIdentifier} not found.`, 404);
    const c = this.createRestoredCluster(input.dbClusterIdentifier, snap.account, region, input.engine, input.dbSubnetGroupName, input.tags);
    const src = this.clusterArn(snap.account, snap.region, snap.clusterId);
    const rows = this.clusters.has(src) ? this.sim.canary.copyRows(src, c.arn, snap.createdAt) : 0;
    this.world.record({ service: 'rds', resource: c.id, event: 'cluster-restore-requested', detail: { snapshot: snap.id, rows } });
    return this.viewCluster(c);
  }

  private createRestoredCluster(
    id: string,
    account: string,
    region: string,
    engine: AuroraEngine,
    subnetGroup: string | undefined,
    tags: Readonly<Record<string, string>>,
  ): ClusterState {
    const arn = this.clusterArn(account, region, id);
    if (this.clusters.has(arn)) throw err('DBClusterAlreadyExistsFault', `DB cluster already exists`);
    const now = this.world.now();
    const c: ClusterState = {
      id,
      arn,
      account,
      region,
      engine,
      engineVersion: versionOf(engine),
      status: 'creating',
      instanceIds: [],
      fenced: false,
      syncStatus: 'connected',
      awaitingReadd: false,
      backtrackWindowSeconds: 0,
      createdAt: now,
      subnetGroup,
      tags: { ...tags },
      lagMs: 0,
      backtracks: [],
    };
    this.clusters.set(arn, c);
    const at = now + this.world.between(...RDS_DURATIONS.restoreCluster);
    this.transition(at, () => {
      if (c.status !== 'creating') return;
      c.status = 'available';
      this.world.record({ service: 'rds', resource: id, event: 'cluster-available', at });
      this.event(c, at, 'DB cluster created', ['creation']);
    });
    return c;
  }

  private createInstance(input: CreateDbInstanceInput, region: string, account?: string): DbInstance {
    const c = this.clusterIn(region, input.dbClusterIdentifier, account);
    if ([...this.instances.values()].some((i) => i.region === region && i.account === c.account && i.id === input.dbInstanceIdentifier)) {
      throw err('DBInstanceAlreadyExistsFault', `DB instance already exists`);
    }
    if (c.status !== 'available') {
      throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is not in an available state (status ${c.status}); create instances once it is available.`);
    }
    if (input.engine !== c.engine) {
      throw err('InvalidParameterCombination', `The engine ${input.engine} does not match the engine ${c.engine} of DB cluster ${c.id}.`);
    }
    const az = input.availabilityZone ?? `${region}a`;
    const i = this.addInstance(c, input.dbInstanceIdentifier, az, input.dbInstanceClass, 'creating', input.tags);
    this.world.record({ service: 'rds', resource: i.id, event: 'instance-create-requested', detail: { cluster: c.id, az } });
    const at = this.world.now() + this.world.between(...RDS_DURATIONS.createInstance);
    this.transition(at, () => {
      if (i.status !== 'creating') return;
      i.status = this.impairedAzs.has(`${region}/${az}`) ? 'stopped' : 'available';
      if (!c.writerId) c.writerId = i.id;
      this.world.record({ service: 'rds', resource: i.id, event: 'instance-available', at, detail: { cluster: c.id, writer: c.writerId === i.id } });
      this.event(c, at, `DB instance ${i.id} created`, ['creation'], i.id, 'db-instance');
    });
    return this.viewInstance(i);
  }

  private deleteInstance(i: InstanceState): DbInstance {
    if (i.status === 'deleting') throw err('InvalidDBInstanceStateFault', `Instance ${i.id} is already being deleted.`);
    const c = this.clusters.get(this.clusterArn(i.account, i.region, i.clusterId));
    const now = this.world.now();
    this.mutate(now, () => {
      i.status = 'deleting';
    });
    this.world.record({ service: 'rds', resource: i.id, event: 'instance-delete-requested', at: now });
    const at = now + this.world.between(...RDS_DURATIONS.deleteInstance);
    this.transition(at, () => {
      this.instances.delete(i.arn);
      if (c) {
        c.instanceIds = c.instanceIds.filter((x) => x !== i.id);
        if (c.writerId === i.id) {
          const next = c.instanceIds.map((x) => this.instances.get(this.instanceArn(c.account, c.region, x))!).find((x) => x.status === 'available');
          c.writerId = next?.id;
          if (next) this.world.record({ service: 'rds', resource: c.id, event: 'cluster-writer-changed', at, detail: { from: i.id, to: next.id, az: next.az } });
        }
      }
      this.world.record({ service: 'rds', resource: i.id, event: 'instance-deleted', at });
    });
    return this.viewInstance(i);
  }

  private deleteCluster(c: ClusterState): DbCluster {
    if (c.globalId) {
      throw err('InvalidGlobalClusterStateFault', `This cluster is a part of a global cluster, please remove it from globalcluster first`);
    }
    if (c.status === 'deleting') throw err('InvalidDBClusterStateFault', `DB cluster ${c.id} is already being deleted.`);
    const live = c.instanceIds.filter((id) => this.instances.get(this.instanceArn(c.account, c.region, id))?.status !== 'deleting');
    if (live.length > 0) {
      throw err('InvalidDBClusterStateFault', 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
    }
    const now = this.world.now();
    this.mutate(now, () => {
      c.status = 'deleting';
    });
    this.world.record({ service: 'rds', resource: c.id, event: 'cluster-delete-requested', at: now });
    const at = now + this.world.between(...RDS_DURATIONS.deleteCluster);
    this.transition(at, () => {
      this.clusters.delete(c.arn);
      for (const id of c.instanceIds) this.instances.delete(this.instanceArn(c.account, c.region, id));
      this.sim.canary.drop(c.arn);
      this.world.record({ service: 'rds', resource: c.id, event: 'cluster-deleted', at });
    });
    return this.viewCluster(c);
  }

  // ================================================================ views

  private viewGlobal(g: GlobalState): GlobalCluster {
    return {
      globalClusterIdentifier: g.id,
      globalClusterArn: g.arn,
      status: g.status,
      engine: g.engine,
      engineVersion: g.engineVersion,
      endpoint: this.globalEndpoint(g),
      members: g.memberArns.map((a) => ({
        dbClusterArn: a,
        isWriter: a === g.writerArn,
        readers: a === g.writerArn ? g.memberArns.filter((x) => x !== a) : [],
        synchronizationStatus: this.clusters.get(a)?.syncStatus ?? 'connected',
      })),
      ...(g.failoverState ? { failoverState: { ...g.failoverState } } : {}),
    };
  }

  private viewCluster(c: ClusterState): DbCluster {
    const now = this.world.now();
    const ready = c.status !== 'creating';
    const g = c.globalId ? this.globals.get(this.globalArn(c.account, c.globalId)) : undefined;
    return {
      dbClusterIdentifier: c.id,
      dbClusterArn: c.arn,
      status: c.status,
      engine: c.engine,
      engineVersion: c.engineVersion,
      endpoint: `${c.id}.cluster-sim.${c.region}.rds.amazonaws.com`,
      readerEndpoint: `${c.id}.cluster-ro-sim.${c.region}.rds.amazonaws.com`,
      members: c.instanceIds.map((id) => ({ dbInstanceIdentifier: id, isClusterWriter: id === c.writerId })),
      ...(c.globalId ? { globalClusterIdentifier: c.globalId } : {}),
      backtrackWindowSeconds: c.backtrackWindowSeconds,
      ...(ready ? { earliestRestorableTime: Math.max(c.createdAt, now - BACKUP_RETENTION_MS), latestRestorableTime: Math.max(c.createdAt, now - LATEST_RESTORABLE_LAG_MS) } : {}),
      ...(c.subnetGroup ? { dbSubnetGroup: c.subnetGroup } : {}),
      tags: { ...c.tags },
      clusterCreateTime: c.createdAt,
      ...(g && g.writerArn !== c.arn && g.memberArns.includes(c.arn) ? { replicationSourceIdentifier: g.writerArn } : {}),
    };
  }

  private viewInstance(i: InstanceState): DbInstance {
    return {
      dbInstanceIdentifier: i.id,
      dbInstanceArn: i.arn,
      dbClusterIdentifier: i.clusterId,
      status: i.status,
      availabilityZone: i.az,
      instanceClass: i.instanceClass,
      tags: { ...i.tags },
    };
  }

  // ================================================================ helpers

  private addInstance(c: ClusterState, id: string, az: string, cls: string, status: string, tags: Readonly<Record<string, string>>): InstanceState {
    const i: InstanceState = {
      id,
      arn: this.instanceArn(c.account, c.region, id),
      account: c.account,
      region: c.region,
      clusterId: c.id,
      az,
      instanceClass: cls,
      status,
      tags: { ...tags },
    };
    this.instances.set(i.arn, i);
    c.instanceIds.push(id);
    return i;
  }

  /** Runs `fn` at `at` (via the scheduler) and records writability changes at that instant. */
  private transition(at: number, fn: () => void): void {
    this.world.schedule(at, () => this.mutate(at, fn));
  }

  /** Runs `fn` now and records `cluster-writable` / `cluster-unwritable` for clusters it flipped. */
  private mutate(at: number, fn: () => void): void {
    const before = new Map<string, boolean>();
    for (const c of this.clusters.values()) before.set(c.arn, this.isWritableCluster(c.arn));
    fn();
    for (const c of this.clusters.values()) {
      const was = before.get(c.arn) ?? false;
      const is = this.isWritableCluster(c.arn);
      if (was !== is) {
        this.world.record({ service: 'rds', resource: c.id, event: is ? 'cluster-writable' : 'cluster-unwritable', at, detail: { arn: c.arn, region: c.region } });
      }
    }
  }

  private event(c: ClusterState, date: number, message: string, categories: string[], sourceIdentifier = c.id, sourceType = 'db-cluster'): void {
    this.events.push({ region: c.region, sourceIdentifier, sourceType, message, eventCategories: categories, date });
  }

  private globalEndpoint(g: GlobalState): string {
    return `${g.id}.global-sim.global.rds.amazonaws.com`;
  }

  private clusterArn(account: string, region: string, id: string): string {
    return `arn:aws:rds:${region}:${account}:cluster:${id}`;
  }
  private instanceArn(account: string, region: string, id: string): string {
    return `arn:aws:rds:${region}:${account}:db:${id}`;
  }
  private globalArn(account: string, id: string): string {
    return `arn:aws:rds::${account}:global-cluster:${id}`;
  }

  private globalById(id: string, account?: string): GlobalState {
    for (const g of this.globals.values()) {
      if ((g.id === id || g.arn === id) && (account === undefined || g.account === account)) return g;
    }
    throw err('GlobalClusterNotFoundFault', `Global cluster ${id} not found.`, 404);
  }

  private clusterIn(region: string, ref: string, account?: string): ClusterState {
    for (const c of this.clusters.values()) {
      if (c.arn === ref) return c;
      if (c.id === ref && c.region === region && (account === undefined || c.account === account)) return c;
    }
    throw err('DBClusterNotFoundFault', `DBCluster ${ref} not found.`, 404);
  }

  /** An ARN anywhere, or an identifier in `region`. */
  private clusterByRef(ref: string, region: string, account?: string): ClusterState {
    return this.clusterIn(region, ref, account);
  }

  private clusterByIdAnywhere(id: string): ClusterState {
    for (const c of this.clusters.values()) if (c.id === id || c.arn === id) return c;
    throw err('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
  }

  private instanceIn(region: string, ref: string, account?: string): InstanceState {
    for (const i of this.instances.values()) {
      if (i.arn === ref || (i.id === ref && i.region === region && (account === undefined || i.account === account))) return i;
    }
    throw err('DBInstanceNotFoundFault', `DBInstance ${ref} not found.`, 404);
  }

  private uuid(): string {
    const hex = (n: number): string =>
      Array.from({ length: n }, () => Math.floor(this.world.rng() * 16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  }
}

function lostSeqs(rows: readonly { runId: string; seq: number }[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const r of rows) (out[r.runId] ??= []).push(r.seq);
  for (const k of Object.keys(out)) out[k]!.sort((a, b) => a - b);
  return out;
}
