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
 *
 * The behaviour lives in `sim/rds/` (state, seeding, global-cluster operations, in-region
 * failover, impairments, backtrack, restores, create/delete, events, views); `RdsSim` composes
 * them over one `RdsState`.
 */
import type { AwsTarget, RdsApi } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { durationRange } from './duration-range';
import { backtrack, describeBacktracks } from './rds/backtrack';
import { replicaTargets, replicationLagMs, resolveEndpoint } from './rds/canary-hooks';
import { describeEvents } from './rds/events';
import { detach, failover, switchover } from './rds/global-clusters';
import { impairAz, impairRegion, restoreAz, restoreRegion } from './rds/impairments';
import { failoverInRegion } from './rds/in-region-failover';
import { createInstance, deleteCluster, deleteInstance } from './rds/lifecycle';
import { listSnapshots, restorePitr, restoreSnapshot } from './rds/restore';
import { removeMember, seed, setWriterRegion } from './rds/seed';
import { RdsState, type RdsApiOptions } from './rds/state';
import { viewCluster, viewGlobal, viewInstance } from './rds/views';
import type { SimWorld } from './world';

export { BACKUP_RETENTION_MS, LATEST_RESTORABLE_LAG_MS, RDS_DURATIONS, type RdsApiOptions, type ResolvedEndpoint } from './rds/state';

/** The simulated RDS / Aurora service (see the module comment). */
export class RdsSim {
  private readonly state: RdsState;

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {
    this.state = new RdsState(world, sim);
  }

  // ================================================================ seeding and drift

  /** Creates the runbook's Aurora resources (global cluster, members, instances, snapshots) in a healthy state; idempotent. */
  seed(rb: Runbook): void {
    seed(this.state, rb);
  }

  /** Drift for tests: makes the member in `region` the writer at once (no transition, no data movement). */
  setWriterRegion(globalId: string, region: string): void {
    setWriterRegion(this.state, globalId, region);
  }

  /** Drift for tests: detaches `clusterId` from its global cluster at once, as a standalone writable cluster. */
  removeMember(globalId: string, clusterId: string): void {
    removeMember(this.state, globalId, clusterId);
  }

  /**
   * Sets operation durations ([min, max] simulated ms each, e.g. `{ switchoverTotal: [20_000, 30_000] }`)
   * for operations started from now on; unknown names or bad ranges throw, naming them.
   */
  configureDurations(durations: Readonly<Record<string, unknown>>): Readonly<Record<string, readonly [number, number]>> {
    for (const [name, range] of Object.entries(durations)) {
      if (!(name in this.state.durations)) {
        throw new Error(`rds duration ${name}: unknown; choose from ${Object.keys(this.state.durations).join(', ')}`);
      }
      (this.state.durations as Record<string, readonly [number, number]>)[name] = durationRange(`rds duration ${name}`, range);
    }
    return { ...this.state.durations };
  }

  /**
   * Write fencing took effect at `at` (a fencing automation succeeded): the cluster stops taking
   * writes until a global operation re-adds it as a secondary; recorded as `cluster-writes-blocked`.
   */
  fenceWrites(clusterId: string, at: number): void {
    const c = this.state.clusterByIdAnywhere(clusterId);
    this.state.mutate(at, () => {
      c.fenced = true;
    });
    this.world.record({
      service: 'rds',
      resource: c.id,
      event: 'cluster-writes-blocked',
      at,
      detail: { reason: 'write fencing automation' },
    });
  }

  /** Sets a secondary's replication lag (simulated ms) for rows written from now on. */
  setReplicationLag(clusterId: string, ms: number): void {
    this.state.clusterByIdAnywhere(clusterId).lagMs = ms;
  }

  // ================================================================ hooks for FIS / CloudWatch / canary

  /** Region of the current writer (primary) cluster of a global cluster. */
  writerRegion(globalId: string): string {
    return this.state.clusters.get(this.state.globalById(globalId).writerArn)!.region;
  }

  /** True while `region` is impaired by `impairRegion` (or by anyone through `world.impairedRegions`). */
  isRegionImpaired(region: string): boolean {
    return this.world.impairedRegions.has(region);
  }

  /** True when the cluster (identifier, any region) accepts canary writes right now. */
  isWritable(clusterId: string): boolean {
    this.world.advance();
    return this.state.isWritableCluster(this.state.clusterByIdAnywhere(clusterId).arn);
  }

  /**
   * Replication lag (ms) of a secondary right now: its configured lag, or the time since
   * replication stopped (source region impaired, failover, detach). 0 for a primary/standalone.
   * Feeds CloudWatch `AuroraGlobalDBReplicationLag` / `AuroraGlobalDBRPOLag`.
   */
  replicationLagMs(clusterId: string): number {
    return replicationLagMs(this.state, clusterId);
  }

  /**
   * AZ power interruption: instances in `az` stop; a writer there fails over in-region to a
   * reader in a healthy AZ after 30–60 s (the cluster shows `failing-over` meanwhile).
   */
  impairAz(region: string, az: string): void {
    impairAz(this.state, region, az);
  }

  /** Ends an AZ impairment: its stopped instances come back after 30–90 s. */
  restoreAz(region: string, az: string): void {
    restoreAz(this.state, region, az);
  }

  /**
   * Regional impairment: every RDS control-plane call in `region` answers InternalFailure (500);
   * its clusters stop accepting canary writes and replication out of the region stops.
   */
  impairRegion(region: string): void {
    impairRegion(this.state, region);
  }

  /** Ends a regional impairment; replication resumes and a demoted old primary there is re-added. */
  restoreRegion(region: string): void {
    restoreRegion(this.state, region);
  }

  /** Resolves a canary endpoint to a cluster ARN (global writer, cluster or reader endpoint). */
  resolveEndpoint(endpoint: string): string | undefined {
    return resolveEndpoint(this.state, endpoint);
  }

  /** True when the cluster accepts writes now (writer role, available, writer instance up, region healthy). */
  isWritableCluster(arn: string): boolean {
    return this.state.isWritableCluster(arn);
  }

  /** True when the cluster serves reads now (some instance up, region healthy). */
  isReadableCluster(arn: string): boolean {
    return this.state.isReadableCluster(arn);
  }

  /** Connected secondaries a write on `arn` replicates to, with their lag. */
  replicaTargets(arn: string): { arn: string; lagMs: number }[] {
    return replicaTargets(this.state, arn);
  }

  /** Automated snapshots (seeded one per cluster), for tests and the restore drill set-up. */
  listSnapshots(clusterId?: string): { id: string; arn: string; region: string; clusterId: string; createdAt: number }[] {
    return listSnapshots(this.state, clusterId);
  }

  // ================================================================ the port

  /** The `RdsApi` bound to one region/account. */
  api(target: Partial<AwsTarget> = {}, opts: RdsApiOptions = {}): RdsApi {
    const s = this.state;
    const region = target.region ?? 'us-east-1';
    const account = target.accountId;
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(
        account ?? s.defaultAccount ?? '000000000000',
        'rds',
        op,
        () => {
          this.world.assertRegionReachable('rds', region);
          return fn();
        },
        opts.signal,
        opts.caller,
      );
    return {
      region,
      describeGlobalCluster: (id) => call('describeGlobalCluster', () => viewGlobal(s, s.globalById(id, account))),
      describeDbCluster: (id) => call('describeDbCluster', () => viewCluster(s, s.clusterIn(region, id, account))),
      listDbClusters: (filter) =>
        call('listDbClusters', () =>
          [...s.clusters.values()]
            .filter((c) => c.region === region && (account === undefined || c.account === account))
            .filter((c) => Object.entries(filter?.tags ?? {}).every(([k, v]) => c.tags[k] === v))
            .map((c) => viewCluster(s, c)),
        ),
      describeDbInstance: (id) => call('describeDbInstance', () => viewInstance(s, s.instanceIn(region, id, account))),
      listDbInstances: (filter) =>
        call('listDbInstances', () =>
          [...s.instances.values()]
            .filter((i) => i.region === region && (account === undefined || i.account === account))
            .filter((i) => filter?.dbClusterIdentifier === undefined || i.clusterId === filter.dbClusterIdentifier)
            .map((i) => viewInstance(s, i)),
        ),
      switchoverGlobalCluster: (input) =>
        call('switchoverGlobalCluster', () => switchover(s, input.globalClusterIdentifier, input.targetDbClusterArn, region, account)),
      failoverGlobalCluster: (input) =>
        call('failoverGlobalCluster', () =>
          input.allowDataLoss
            ? failover(s, input.globalClusterIdentifier, input.targetDbClusterArn, region, account)
            : switchover(s, input.globalClusterIdentifier, input.targetDbClusterArn, region, account),
        ),
      removeFromGlobalCluster: (input) =>
        call('removeFromGlobalCluster', () => detach(s, input.globalClusterIdentifier, input.dbClusterArn, region, account)),
      failoverDbCluster: (input) =>
        call('failoverDbCluster', () =>
          failoverInRegion(s, s.clusterIn(region, input.dbClusterIdentifier, account), input.targetDbInstanceIdentifier),
        ),
      backtrackDbCluster: (input) =>
        call('backtrackDbCluster', () => backtrack(s, s.clusterIn(region, input.dbClusterIdentifier, account), input.backtrackTo)),
      describeDbClusterBacktracks: (input) =>
        call('describeDbClusterBacktracks', () =>
          describeBacktracks(s.clusterIn(region, input.dbClusterIdentifier, account), input.backtrackIdentifier),
        ),
      restoreDbClusterToPointInTime: (input) => call('restoreDbClusterToPointInTime', () => restorePitr(s, input, region, account)),
      restoreDbClusterFromSnapshot: (input) => call('restoreDbClusterFromSnapshot', () => restoreSnapshot(s, input, region, account)),
      createDbInstance: (input) => call('createDbInstance', () => createInstance(s, input, region, account)),
      deleteDbInstance: (input) =>
        call('deleteDbInstance', () => deleteInstance(s, s.instanceIn(region, input.dbInstanceIdentifier, account))),
      deleteDbCluster: (input) => call('deleteDbCluster', () => deleteCluster(s, s.clusterIn(region, input.dbClusterIdentifier, account))),
      describeEvents: (input) => call('describeEvents', () => describeEvents(s, region, input)),
    };
  }
}
