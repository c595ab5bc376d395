/**
 * The simulated canary data plane (implements `CanaryConnector`) and the row storage behind it.
 *
 * Rows live per Aurora cluster (keyed by cluster ARN). An endpoint resolves at every operation,
 * like a fresh DNS lookup with Aurora's 5 s TTL ignored: the global writer endpoint goes to the
 * current primary's writer, a cluster endpoint to that cluster. A write succeeds only while the
 * resolved cluster accepts writes (`RdsSim.isWritableCluster`), otherwise it rejects with a
 * connection-style error (`ConnectionRefused`). Committed rows replicate to each connected
 * secondary after that secondary's replication lag; `RdsSim` decides what happens to rows still in
 * flight at a role change (drained for a switchover, lost for a failover or detach).
 */
import type { CanaryAck } from '../lib/measurement-types';
import type { CanaryConnector, CanaryStore, CanaryTarget } from '../activities/canary/canary-store';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

/** seq → commit time (`at`, the writer's clock). */
type RunRows = Map<number, number>;
/** runId → rows. */
type TableRows = Map<string, RunRows>;

/** One committed row on its way to a secondary. */
export interface PendingRow {
  readonly table: string;
  readonly runId: string;
  readonly seq: number;
  readonly at: number;
  /** Simulated ms at which it becomes visible on the secondary. */
  readonly visibleAt: number;
}

/** Rows of one cluster plus what is still replicating into it. */
interface ClusterData {
  /** `database.table` → rows. */
  readonly tables: Map<string, TableRows>;
  pending: PendingRow[];
  /** Replication into this cluster stopped at this instant (source impaired, failover, detach). */
  cutAt?: number;
}

/** Thrown (as `name`) when the endpoint does not resolve to any simulated cluster. */
export const UNKNOWN_HOST = 'UnknownHost';
/** Thrown (as `name`) when the resolved cluster does not accept the operation now. */
export const CONNECTION_REFUSED = 'ConnectionRefused';

/** Simulated canary data plane: resolves endpoints to simulated clusters and stores/replicates rows. */
export class CanarySim implements CanaryConnector {
  private readonly data = new Map<string, ClusterData>();

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Nothing to seed: tables are created by `ensureTable`, like on a real database. */
  seed(_rb: Runbook): void {}

  /** Opens a store on `target.endpoint`; rejects with `UnknownHost` when it resolves to nothing. */
  async connect(target: CanaryTarget): Promise<CanaryStore> {
    this.world.advance();
    if (!this.sim.rdsSim.resolveEndpoint(target.endpoint)) {
      throw new SimAwsError(UNKNOWN_HOST, `getaddrinfo ENOTFOUND ${target.endpoint}`, 0, true);
    }
    return new SimCanaryStore(this, target);
  }

  // ------------------------------------------------------------ storage used by the stores

  /** Rows and replication state of a cluster (created empty on first use). */
  cluster(arn: string): ClusterData {
    let d = this.data.get(arn);
    if (!d) {
      d = { tables: new Map(), pending: [] };
      this.data.set(arn, d);
    }
    return d;
  }

  /** Applies the rows whose replication delay has elapsed by `upTo` (and before any cut). */
  flush(arn: string, upTo: number): void {
    const d = this.data.get(arn);
    if (!d || d.pending.length === 0) return;
    const limit = Math.min(upTo, d.cutAt ?? Infinity);
    const keep: PendingRow[] = [];
    for (const p of d.pending) {
      if (p.visibleAt <= limit) putRow(d, p.table, p.runId, p.seq, p.at);
      else keep.push(p);
    }
    d.pending = keep;
  }

  /** Stops replication into `arn` at `at` (rows due later will never arrive unless uncut). */
  cut(arn: string, at: number): void {
    const d = this.cluster(arn);
    d.cutAt = Math.min(d.cutAt ?? Infinity, at);
  }

  /** Resumes replication into `arn` (rows held back arrive, none are lost). */
  uncut(arn: string): void {
    const d = this.data.get(arn);
    if (d) d.cutAt = undefined;
  }

  /** Applies every row still in flight to `arn` (switchover: replication drains first, RPO 0). */
  drain(arn: string): void {
    const d = this.data.get(arn);
    if (!d) return;
    d.cutAt = undefined;
    this.flush(arn, Infinity);
  }

  /** Applies rows up to the cut and drops the rest (the unreplicated tail); returns the dropped rows. */
  dropUnreplicated(arn: string, at: number): PendingRow[] {
    this.flush(arn, at);
    const d = this.cluster(arn);
    const lost = d.pending;
    d.pending = [];
    d.cutAt = undefined;
    return lost;
  }

  /** Replaces the rows of `to` with a copy of `from`'s rows with `at <= asOf` (resync, PITR, snapshot). */
  copyRows(from: string, to: string, asOf = Infinity): number {
    this.flush(from, this.world.now());
    const src = this.cluster(from);
    const dst = this.cluster(to);
    dst.tables.clear();
    dst.pending = [];
    dst.cutAt = undefined;
    let n = 0;
    for (const [table, runs] of src.tables) {
      const t: TableRows = new Map();
      for (const [runId, rows] of runs) {
        const copy: RunRows = new Map();
        for (const [seq, at] of rows) {
          if (at <= asOf) {
            copy.set(seq, at);
            n++;
          }
        }
        t.set(runId, copy);
      }
      dst.tables.set(table, t);
    }
    return n;
  }

  /** Removes rows committed after `to` (Backtrack); returns how many. */
  rewind(arn: string, to: number): number {
    const d = this.cluster(arn);
    let n = 0;
    for (const runs of d.tables.values()) {
      for (const rows of runs.values()) {
        for (const [seq, at] of rows) {
          if (at > to) {
            rows.delete(seq);
            n++;
          }
        }
      }
    }
    return n;
  }

  /** Forgets a deleted cluster's rows. */
  drop(arn: string): void {
    this.data.delete(arn);
  }

  /** Number of rows of `runId` on a cluster (visible now), for tests and benchmarks. */
  countRows(arn: string, table: string, runId: string): number {
    this.flush(arn, this.world.now());
    return this.data.get(arn)?.tables.get(table)?.get(runId)?.size ?? 0;
  }
}

function putRow(d: ClusterData, table: string, runId: string, seq: number, at: number): void {
  let runs = d.tables.get(table);
  if (!runs) {
    runs = new Map();
    d.tables.set(table, runs);
  }
  let rows = runs.get(runId);
  if (!rows) {
    rows = new Map();
    runs.set(runId, rows);
  }
  rows.set(seq, at);
}

/** A "connection" to one endpoint; the endpoint is resolved again at every operation. */
class SimCanaryStore implements CanaryStore {
  private readonly table: string;
  constructor(
    private readonly canary: CanarySim,
    private readonly target: CanaryTarget,
  ) {
    this.table = `${target.database}.${target.table}`;
  }

  private resolve(mode: 'write' | 'read'): string {
    const world = this.canary.world;
    world.advance();
    const rds = this.canary.sim.rdsSim;
    const resolved = rds.resolveEndpoint(this.target.endpoint);
    if (!resolved) throw new SimAwsError(UNKNOWN_HOST, `getaddrinfo ENOTFOUND ${this.target.endpoint}`, 0, true);
    const ok = mode === 'write' ? rds.isWritableCluster(resolved) : rds.isReadableCluster(resolved);
    if (!ok) {
      const why = mode === 'write' ? 'does not accept writes' : 'is not reachable';
      throw new SimAwsError(CONNECTION_REFUSED, `connect ECONNREFUSED ${this.target.endpoint}: cluster ${resolved} ${why} now`, 0, true);
    }
    return resolved;
  }

  private tableOf(arn: string): TableRows {
    const t = this.canary.cluster(arn).tables.get(this.table);
    if (!t)
      throw new SimAwsError(
        'UndefinedTable',
        `relation "${this.target.table}" does not exist in database ${this.target.database}`,
        0,
        false,
      );
    return t;
  }

  async ensureTable(): Promise<void> {
    const arn = this.resolve('write');
    for (const a of [arn, ...this.canary.sim.rdsSim.replicaTargets(arn).map((r) => r.arn)]) {
      const d = this.canary.cluster(a);
      if (!d.tables.has(this.table)) d.tables.set(this.table, new Map());
    }
  }

  async write(runId: string, seq: number, at: number): Promise<CanaryAck> {
    const arn = this.resolve('write');
    const d = this.canary.cluster(arn);
    this.tableOf(arn);
    putRow(d, this.table, runId, seq, at);
    const now = this.canary.world.now();
    for (const r of this.canary.sim.rdsSim.replicaTargets(arn)) {
      this.canary.cluster(r.arn).pending.push({ table: this.table, runId, seq, at, visibleAt: now + r.lagMs });
    }
    return { seq, at };
  }

  async presentSeqs(runId: string, fromSeq: number, toSeq: number): Promise<number[]> {
    const arn = this.resolve('read');
    this.canary.flush(arn, this.canary.world.now());
    const rows = this.tableOf(arn).get(runId);
    if (!rows) return [];
    const out: number[] = [];
    if (toSeq - fromSeq < rows.size) {
      for (let s = fromSeq; s <= toSeq; s++) if (rows.has(s)) out.push(s);
    } else {
      for (const s of rows.keys()) if (s >= fromSeq && s <= toSeq) out.push(s);
      out.sort((a, b) => a - b);
    }
    return out;
  }

  async rows(runId: string, fromSeq: number, toSeq: number): Promise<CanaryAck[]> {
    const arn = this.resolve('read');
    this.canary.flush(arn, this.canary.world.now());
    const out: CanaryAck[] = [];
    for (const [seq, at] of this.tableOf(arn).get(runId) ?? []) if (seq >= fromSeq && seq <= toSeq) out.push({ seq, at });
    return out.sort((a, b) => a.seq - b.seq);
  }

  async newest(runId: string): Promise<CanaryAck | undefined> {
    const arn = this.resolve('read');
    this.canary.flush(arn, this.canary.world.now());
    const rows = this.tableOf(arn).get(runId);
    if (!rows || rows.size === 0) return undefined;
    let best = -Infinity;
    for (const s of rows.keys()) if (s > best) best = s;
    return { seq: best, at: rows.get(best)! };
  }

  async deleteRun(runId: string): Promise<number> {
    const arn = this.resolve('write');
    const n = this.tableOf(arn).get(runId)?.size ?? 0;
    // The delete replicates like any write; applied at once here (canary cleanup only).
    for (const a of [arn, ...this.canary.sim.rdsSim.replicaTargets(arn).map((r) => r.arn)]) {
      const d = this.canary.cluster(a);
      d.tables.get(this.table)?.delete(runId);
      d.pending = d.pending.filter((p) => !(p.table === this.table && p.runId === runId));
    }
    return n;
  }

  /**
   * The SQL the restore drills' checks use, on the canary table only (the sim has no SQL engine):
   * `select count(*) from <table>` → rows of every run; `select max(at) from <table>` → newest
   * commit time (epoch ms). Anything else rejects with `UnsupportedQuery`.
   */
  async query(sql: string): Promise<number> {
    const arn = this.resolve('read');
    this.canary.flush(arn, this.canary.world.now());
    const m = /^\s*select\s+(count\(\*\)|max\(at\))\s+from\s+([a-z_][a-z0-9_.]*)\s*;?\s*$/i.exec(sql);
    const table = m?.[2]?.split('.').pop();
    if (!m || table !== this.target.table) {
      throw new SimAwsError(
        'UnsupportedQuery',
        `the simulated canary runs only "select count(*) | max(at) from ${this.target.table}", got: ${sql}`,
        0,
        false,
      );
    }
    let count = 0;
    let newest = 0;
    for (const rows of this.tableOf(arn).values()) {
      count += rows.size;
      for (const at of rows.values()) newest = Math.max(newest, at);
    }
    return m[1]!.toLowerCase() === 'count(*)' ? count : newest;
  }

  async close(): Promise<void> {}
}
