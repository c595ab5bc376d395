/**
 * Data the restore, Backtrack and sweeper activities exchange with their workflows. Pure types:
 * workflows import them with `import type`. Times are epoch ms by the activity clock.
 */
import type { AuroraEngine, AwsTarget } from '../aws/ports';
import type { CanaryTarget } from '../canary/canary-store';
import type { CanaryAck } from '../../lib/measurement-types';
import type { RecoveryTargets, Tier } from '../../lib/tiers';

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

/** Input of `backtrackDrillWorkflow`. */
export interface BacktrackDrillInput {
  /** Runbook name or file path; its Aurora cluster must be Aurora MySQL with Backtrack on. */
  readonly runbook: string;
  /** Runbook YAML text (the CLI sends a local file); `runbook` is then its label. */
  readonly runbookYaml?: string;
}

/** Input of `orphanSweeperWorkflow`. */
export interface OrphanSweeperInput {
  /** Runbook names (or files) whose accounts and regions are swept. @default every runbook */
  readonly runbooks?: readonly string[];
  /** Minimum age of a tagged temporary resource before it is deleted, e.g. `6h`. @default 12h */
  readonly olderThan?: string;
  /** List what would be deleted without deleting it. @default false */
  readonly dryRun?: boolean;
}

/** Facts of the runbook every drill reports. */
export interface DrillContext {
  readonly workflowId: string;
  readonly runId: string;
  readonly runbook: string;
  readonly service: string;
  readonly environment: string;
  readonly tier: Tier;
  readonly targets: RecoveryTargets;
  readonly awsMode: 'real' | 'sim';
  readonly target: AwsTarget;
  readonly engine: AuroraEngine;
  /** Source cluster of the drill. */
  readonly clusterId: string;
  /** Simulated ms per wall ms of the activity clock (1 for real AWS); sizes heartbeat timeouts. */
  readonly clockScale: number;
  /** Poll interval of state waits, clock ms (the measurement resolution). */
  readonly pollIntervalMs: number;
}

/** One SQL check of `runbook.restore.checks`, as the verifier runs it. */
export interface RestoreSqlCheck {
  readonly name: string;
  readonly sql: string;
  readonly min?: number;
  /** `count`: value ≥ min; `newest-timestamp`: value (epoch s or ms) ≥ restore point − RPO. */
  readonly kind: 'count' | 'newest-timestamp';
}

/** Everything a restore verification needs, resolved once by `prepareRestoreVerification`. */
export interface RestorePlan extends DrillContext {
  readonly mode: 'pitr-latest' | 'pitr-time' | 'snapshot';
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

/** A wait that ended: when it was observed and the previous read (the resolution bracket). */
export interface Observed {
  readonly observedAt: number;
  readonly previousReadAt?: number;
  readonly polls: number;
  readonly detail?: string;
}

/** Outcome of one verification check. */
export interface CheckResult {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'not-run';
  readonly detail: string;
}

/** Outcome of verifying the restored data. */
export interface VerificationResult {
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
  readonly verifiedAt: number;
  /** Newest marker row found on the restored cluster. */
  readonly newestMarkerAt?: number;
}

/** A temporary resource to delete (drill cleanup and orphan sweeping). */
export interface TempResourceRef {
  readonly target: AwsTarget;
  readonly clusterId: string;
  readonly instanceIds: readonly string[];
  /** Delete only when tagged by this workflow; absent = any gameday-owned resource. */
  readonly ownerWorkflowId?: string;
}

/** Result of one delete step. */
export interface DeleteOutcome {
  readonly resource: string;
  /** `deleted`: delete accepted now; `deleting`: already in progress; `gone`: not found. */
  readonly state: 'deleted' | 'deleting' | 'gone';
  readonly at: number;
}

/** Everything a Backtrack drill needs, resolved by `prepareBacktrackDrill`. */
export interface BacktrackPlan extends DrillContext {
  readonly canary: CanaryTarget;
  readonly markerRunId: string;
  readonly backtrackWindowMs: number;
  readonly waitTimeoutMs: number;
}

/** Marker written before T; `backtrackTo` is T (clock time after the marker's ack). */
export interface BacktrackPoint {
  readonly marker: CanaryAck;
  readonly backtrackTo: number;
}

/** An accepted backtrack. */
export interface BacktrackStarted {
  readonly backtrackIdentifier: string;
  readonly startedAt: number;
  /** Actual point chosen by Aurora (nearest consistent time). */
  readonly backtrackTo: number;
  readonly alreadyExisted: boolean;
}

/** A gameday-tagged temporary cluster found by the sweeper. */
export interface OrphanCandidate extends TempResourceRef {
  readonly createdAt?: number;
  readonly ageMs?: number;
  readonly ownerWorkflowIdTag?: string;
  readonly status: string;
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
