/**
 * Port of the canary's data plane: real databases (pg / mysql2, `activities/canary/*-store.ts`)
 * or the simulated AWS (`sim/`), behind one interface.
 */
import type { CanaryAck } from '../../lib/measurement-types';

/** Where the canary writes; credentials are resolved from `secretArn` inside the activity. */
export interface CanaryTarget {
  readonly engine: 'postgres' | 'mysql';
  readonly endpoint: string;
  readonly port?: number;
  readonly database: string;
  readonly secretArn: string;
  /** Region of the secret. */
  readonly region: string;
  readonly table: string;
}

/** One open connection to the canary table: write rows, read them back, clean up. */
export interface CanaryStore {
  /** Creates the canary table if absent. */
  ensureTable(): Promise<void>;
  /** Writes row (runId, seq, at) and resolves once committed; `at` is the writer's clock time. */
  write(runId: string, seq: number, at: number): Promise<CanaryAck>;
  /** Sequence numbers of `runId` present in [fromSeq, toSeq], ascending. */
  presentSeqs(runId: string, fromSeq: number, toSeq: number): Promise<number[]>;
  /**
   * Rows of `runId` with seq in [fromSeq, toSeq], ascending, with their commit times: how a writer
   * that died finds the writes it committed after its last checkpoint.
   */
  rows(runId: string, fromSeq: number, toSeq: number): Promise<CanaryAck[]>;
  /** Newest row of `runId` (highest seq), if any. */
  newest(runId: string): Promise<CanaryAck | undefined>;
  /** Removes the rows of `runId`; returns how many. */
  deleteRun(runId: string): Promise<number>;
  /**
   * Optional: runs a read-only query returning one row with one numeric column (restore-drill SQL
   * checks of `runbook.restore.checks`, e.g. `select count(*) from t`). Stores that cannot run SQL
   * omit it and the check is reported as not run.
   */
  query?(sql: string): Promise<number>;
  close(): Promise<void>;
}

/** Opens stores; a failed connection rejects (the writer counts it and retries). */
export interface CanaryConnector {
  connect(target: CanaryTarget): Promise<CanaryStore>;
}
