/**
 * State of the simulated RDS / Aurora: the resource types, the durations of each transition, and
 * `RdsState`, the container every RDS module works on (maps of clusters, instances, global
 * clusters, snapshots and events, plus lookups, ARNs and the ground-truth-recording `mutate` /
 * `transition`).
 */
import type { AuroraEngine, DbClusterBacktrack, GlobalClusterFailoverState, RdsEvent } from '../../activities/aws/ports';
import type { SimAws } from '../index';
import { SimAwsError, type SimWorld } from '../world';

/** One simulated second (ms). */
export const SEC = 1000;
/** One simulated minute (ms). */
export const MIN = 60 * SEC;

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

/** A DB instance of a cluster. */
export interface InstanceState {
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

/** A regional DB cluster. */
export interface ClusterState {
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

/** A global cluster. */
export interface GlobalState {
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

/** An automated cluster snapshot. */
export interface SnapshotState {
  readonly id: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly clusterId: string;
  readonly engine: AuroraEngine;
  readonly createdAt: number;
}

/** An RDS event with the region it was raised in. */
export interface StoredEvent extends RdsEvent {
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
  /** Who makes the calls when not the client: `fis` for an FIS action's own calls (see `SimApiCallRecord.caller`). */
  readonly caller?: string;
}

/** An RDS error (not retryable by the sim). */
export function err(name: string, message: string, status = 400): SimAwsError {
  return new SimAwsError(name, message, status, false);
}

/** Aurora engine of a runbook engine name. */
export function engineOf(e: 'postgres' | 'mysql'): AuroraEngine {
  return e === 'postgres' ? 'aurora-postgresql' : 'aurora-mysql';
}

/** Engine version the sim reports for an engine. */
export function versionOf(e: AuroraEngine): string {
  return e === 'aurora-postgresql' ? '15.4' : '8.0.mysql_aurora.3.05.2';
}

/** Lost canary rows grouped by run id, sequence numbers sorted. */
export function lostSeqs(rows: readonly { runId: string; seq: number }[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const r of rows) (out[r.runId] ??= []).push(r.seq);
  for (const k of Object.keys(out)) out[k]!.sort((a, b) => a - b);
  return out;
}

/** The state container shared by the RDS modules (composition: `RdsSim` holds one). */
export class RdsState {
  readonly clusters = new Map<string, ClusterState>();
  readonly instances = new Map<string, InstanceState>();
  readonly globals = new Map<string, GlobalState>();
  readonly snapshots = new Map<string, SnapshotState>();
  readonly events: StoredEvent[] = [];
  /** Instances stopped by an AZ impairment, `region/az` → ids. */
  readonly impairedAzs = new Set<string>();
  defaultAccount?: string;
  /** The operation durations of this simulated RDS ([min, max] simulated ms); settable (`RdsSim.configure`, the sim server's `POST /config`). */
  readonly durations: { -readonly [K in keyof typeof RDS_DURATIONS]: readonly [number, number] } = { ...RDS_DURATIONS };

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

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

  addInstance(c: ClusterState, id: string, az: string, cls: string, status: string, tags: Readonly<Record<string, string>>): InstanceState {
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
  transition(at: number, fn: () => void): void {
    this.world.schedule(at, () => this.mutate(at, fn));
  }

  /** Runs `fn` now and records `cluster-writable` / `cluster-unwritable` for clusters it flipped. */
  mutate(at: number, fn: () => void): void {
    const before = new Map<string, boolean>();
    for (const c of this.clusters.values()) before.set(c.arn, this.isWritableCluster(c.arn));
    fn();
    for (const c of this.clusters.values()) {
      const was = before.get(c.arn) ?? false;
      const is = this.isWritableCluster(c.arn);
      if (was !== is) {
        this.world.record({
          service: 'rds',
          resource: c.id,
          event: is ? 'cluster-writable' : 'cluster-unwritable',
          at,
          detail: { arn: c.arn, region: c.region },
        });
      }
    }
  }

  event(c: ClusterState, date: number, message: string, categories: string[], sourceIdentifier = c.id, sourceType = 'db-cluster'): void {
    this.events.push({ region: c.region, sourceIdentifier, sourceType, message, eventCategories: categories, date });
  }

  globalEndpoint(g: GlobalState): string {
    return `${g.id}.global-sim.global.rds.amazonaws.com`;
  }

  clusterArn(account: string, region: string, id: string): string {
    return `arn:aws:rds:${region}:${account}:cluster:${id}`;
  }
  instanceArn(account: string, region: string, id: string): string {
    return `arn:aws:rds:${region}:${account}:db:${id}`;
  }
  globalArn(account: string, id: string): string {
    return `arn:aws:rds::${account}:global-cluster:${id}`;
  }

  globalById(id: string, account?: string): GlobalState {
    for (const g of this.globals.values()) {
      if ((g.id === id || g.arn === id) && (account === undefined || g.account === account)) return g;
    }
    throw err('GlobalClusterNotFoundFault', `Global cluster ${id} not found.`, 404);
  }

  clusterIn(region: string, ref: string, account?: string): ClusterState {
    for (const c of this.clusters.values()) {
      if (c.arn === ref) return c;
      if (c.id === ref && c.region === region && (account === undefined || c.account === account)) return c;
    }
    throw err('DBClusterNotFoundFault', `DBCluster ${ref} not found.`, 404);
  }

  /** An ARN anywhere, or an identifier in `region`. */
  clusterByRef(ref: string, region: string, account?: string): ClusterState {
    return this.clusterIn(region, ref, account);
  }

  clusterByIdAnywhere(id: string): ClusterState {
    for (const c of this.clusters.values()) if (c.id === id || c.arn === id) return c;
    throw err('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
  }

  instanceIn(region: string, ref: string, account?: string): InstanceState {
    for (const i of this.instances.values()) {
      if (i.arn === ref || (i.id === ref && i.region === region && (account === undefined || i.account === account))) return i;
    }
    throw err('DBInstanceNotFoundFault', `DBInstance ${ref} not found.`, 404);
  }

  uuid(): string {
    const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(this.world.rng() * 16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  }
}
