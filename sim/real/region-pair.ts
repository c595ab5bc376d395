/**
 * A "region pair" of real database servers on this machine with asynchronous replication
 * (PostgreSQL streaming replication in `pg-pair.ts`, MariaDB binlog replication in
 * `mariadb-pair.ts`), the replication link through a delaying TCP proxy (`delay-proxy.ts`) so the
 * lag is real: what is lost at promotion is exactly what the standby had not received when the
 * primary was cut. Applications (the canary) reach the writer through `writerEndpoint`, a proxy
 * the control plane repoints like Aurora's global writer endpoint.
 *
 * A run: `awaitInSync` → writes → `loseRegion` (or `detachStandby` for a split brain) →
 * `promoteStandby` → `repointWriter` → ground truth (`oldPrimaryRows` / `newWriterRows`) →
 * `cleanCanary` → `reprotect` (the old primary rebuilt as the standby; roles swap).
 */
import type { DbCredentials } from '../../activities/aws/ports';

/** A loopback host:port. */
export interface PairEndpoint {
  readonly host: '127.0.0.1';
  readonly port: number;
}

/** Canary rows of one run: seq → the `at` column. */
export type CanaryRows = Map<number, number>;

/** A real primary/standby pair with real replication lag (see the module doc). */
export interface RegionPair {
  readonly engine: 'postgres' | 'mysql';
  /** Database the canary writes in. */
  readonly database: string;
  /** The canary user's credentials (local servers made for the run). */
  readonly credentials: DbCredentials;
  /** The writer endpoint applications use; repointed by `repointWriter`. */
  readonly writerEndpoint: PairEndpoint;
  /** Ports of the two members, by role right now. */
  members(): { readonly primary: PairEndpoint; readonly standby: PairEndpoint };
  /** One-way delay of the replication link, wall ms (applies to bytes sent from now on). */
  setLag(ms: number): void;
  /** Resolves once the standby is connected and has applied everything the primary had when called. */
  awaitInSync(timeoutMs?: number): Promise<void>;
  /**
   * Region loss: the replication link and the writer endpoint are cut (bytes in flight dropped)
   * and the primary is stopped hard. Returns the wall ms it began.
   */
  loseRegion(): Promise<number>;
  /** Detach-style: the replication link is cut; the primary stays up, writable, behind the endpoint. */
  detachStandby(): Promise<number>;
  /** Promotes the standby for real; resolves when it accepts writes (wall ms of request and finish). */
  promoteStandby(): Promise<{ readonly requestedAt: number; readonly finishedAt: number }>;
  /** Points the writer endpoint at the promoted standby and drops connections to the old primary. */
  repointWriter(): void;
  /** Rows of `runId` on the old primary, read with it (re)started in isolation, by its own data. */
  oldPrimaryRows(table: string, runId: string): Promise<CanaryRows>;
  /** Rows of `runId` on the new writer. */
  newWriterRows(table: string, runId: string): Promise<CanaryRows>;
  /** Deletes the rows of `runId` on every member (old primary in isolation included). */
  cleanCanary(table: string, runId: string): Promise<{ readonly member: string; readonly deleted: number }[]>;
  /** Rebuilds the old primary as the standby of the new writer; the pair is ready for another run. */
  reprotect(): Promise<void>;
  /** Stops both servers and the proxies and removes the data directories. */
  destroy(): Promise<void>;
}
