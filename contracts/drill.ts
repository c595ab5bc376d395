/**
 * What the drill playbooks (restore verification, Backtrack drill, orphan sweeper) have in common:
 * the facts of the runbook a drill reports, a finished wait, the data checks and the temporary
 * resources they delete. Types only; times are epoch ms by the activity clock.
 */
import type { AuroraEngine, AwsTarget } from '../activities/aws/ports';
import type { RecoveryTargets, Tier } from '../lib/tiers';

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

/** Outcome of verifying the restored (or rewound) data. */
export interface VerificationResult {
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
  readonly verifiedAt: number;
  /** Newest marker row found on the restored cluster. */
  readonly newestMarkerAt?: number;
}

/** A temporary resource to delete (drill undo and orphan sweeping). */
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
