/**
 * Contract of `orphanSweeperWorkflow`: its input (validated by the zod schema in
 * `activities/restore/input.ts`), what its scan finds and its result. Types only.
 */
import type { DeleteOutcome, TempResourceRef } from './drill';

/** Input of `orphanSweeperWorkflow`. */
export interface OrphanSweeperInput {
  /** Runbook names (or files) whose accounts and regions are swept. @default every runbook */
  readonly runbooks?: readonly string[];
  /** Minimum age of a tagged temporary resource before it is deleted, e.g. `6h`; at least `30m`. @default 12h */
  readonly olderThan?: string;
  /** List what would be deleted without deleting it. @default false */
  readonly dryRun?: boolean;
}

/** A gameday-tagged temporary cluster found by the sweeper. */
export interface OrphanCandidate extends TempResourceRef {
  readonly createdAt?: number;
  readonly ageMs?: number;
  readonly ownerWorkflowIdTag?: string;
  readonly status: string;
  /** Why a tagged cluster was left alone (younger than the threshold, owning run still open, …). */
  readonly keptBecause?: string;
}

/** What the sweeper found. */
export interface OrphanScan {
  readonly scannedAt: number;
  readonly thresholdMs: number;
  readonly dryRun: boolean;
  /** Simulated ms per wall ms of the activity clock (sizes the workflow's heartbeat timeouts). */
  readonly clockScale: number;
  readonly locations: readonly { readonly region: string; readonly accountId?: string }[];
  /** Old enough: to delete. */
  readonly orphans: readonly OrphanCandidate[];
  /** Tagged but younger than the threshold (or without a readable created-at tag): left alone. */
  readonly kept: readonly OrphanCandidate[];
}

/** What the sweeper removed (or would remove, in a dry run): the result of `orphanSweeperWorkflow`. */
export interface OrphanSweepReport {
  /** `aborted`: stopped (abort or cancellation) during the scan, before any delete. */
  /** `running` only in the answer of the `report` query while the sweep goes. */
  readonly outcome: 'running' | 'completed' | 'aborted';
  /** Why the sweep was aborted. */
  readonly reason?: string;
  readonly scan: OrphanScan;
  /** Cluster ids whose deletion completed. */
  readonly removed: readonly string[];
  readonly outcomes: readonly DeleteOutcome[];
  /** Clusters the sweeper could not delete, with why. */
  readonly failures: readonly { readonly clusterId: string; readonly error: string }[];
  /** AWS calls of the sweep's budget-queue steps (absent: a sweep started before they ran there). */
  readonly awsCalls?: number;
}
