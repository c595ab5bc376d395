/**
 * Contract of `restoreVerificationWorkflow`: its input (validated by the zod schema in
 * `activities/restore/input.ts`, in the first activity), the plan its first activity fixes, and
 * what each step returns. Types only; times are epoch ms by the activity clock.
 */
import type { CanaryTarget } from '../activities/canary/canary-store';
import type { CanaryAck } from '../lib/measurement-types';
import type { DrillContext } from './drill';

/**
 * Input of `restoreVerificationWorkflow` (also typed into the Temporal UI as JSON, e.g.
 * `{"runbook":"analytics-prod"}`); validated in the first activity.
 */
export interface RestoreVerificationInput {
  /** Runbook name (file stem in the runbook folder) or path of a runbook file. */
  readonly runbook: string;
  /** Runbook YAML text (the CLI sends a local file); `runbook` is then its label. */
  readonly runbookYaml?: string;
  /** Restore point, ISO 8601 or epoch ms. @default the source's latest restorable time */
  readonly to?: string | number;
  /** Restore this cluster snapshot instead of a point in time (snapshot check). */
  readonly snapshotId?: string;
}

/** One SQL check of `runbook.restore.checks`, as the verifier runs it. */
export interface RestoreSqlCheck {
  readonly name: string;
  readonly sql: string;
  readonly min?: number;
  /** `count`: value ≥ min; `newest-timestamp`: value (epoch s or ms) ≥ restore point − RPO. */
  readonly kind: 'count' | 'newest-timestamp';
}

/** How a restore verification restores: to the latest restorable time, to a chosen time, or a snapshot. */
export type RestoreMode = 'pitr-latest' | 'pitr-time' | 'snapshot';

/** Everything a restore verification needs, resolved once by `prepareRestoreVerification`. */
export interface RestorePlan extends DrillContext {
  readonly mode: RestoreMode;
  /** Requested restore point for `pitr-time`. */
  readonly restoreToTime?: number;
  readonly snapshotId?: string;
  readonly tempClusterId: string;
  readonly tempInstanceId: string;
  readonly subnetGroup?: string;
  readonly instanceClass: string;
  /** Ownership tags of both temporary resources (fixed at plan time, so retries match). */
  readonly tags: Readonly<Record<string, string>>;
  /** Canary of the source cluster; absent when the runbook has none (canary check not run). */
  readonly canary?: CanaryTarget;
  /** Run id of the marker rows written to the source before the restore. */
  readonly markerRunId: string;
  readonly markerCount: number;
  readonly checks: readonly RestoreSqlCheck[];
  /** Bound of each state wait, clock ms. */
  readonly waitTimeoutMs: number;
  /** Clock time the plan was made: a snapshot given as input predates it (and the marker rows). */
  readonly preparedAt: number;
}

/** Marker rows written to the source and the clock time right after the last ack. */
export interface MarkerWrite {
  readonly acked: readonly CanaryAck[];
  readonly writtenAt: number;
  readonly unavailableReason?: string;
}

/** Result of accepting a restore request (or finding it already accepted). */
export interface RestoreStarted {
  /** Clock time at which the restore request was accepted (the create time of the cluster). */
  readonly startedAt: number;
  /** The restore point: the requested time, or the latest restorable time read before the call. */
  readonly restorePoint?: number;
  /** True when a retry found the cluster already created by this workflow. */
  readonly alreadyExisted: boolean;
}

/** Result of `createRestoredInstance`. */
export interface InstanceCreated {
  readonly createdAt: number;
  /** True when a retry found the instance already created by this workflow. */
  readonly alreadyExisted: boolean;
}
