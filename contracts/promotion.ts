/**
 * Contract of the region-promotion playbook: its input, plan and step results (shared by its
 * activities and, type-only, by `regionPromotionWorkflow` / `trafficShiftWorkflow`), its
 * approval messages and what its status shows. Deterministic: types and message definitions only.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { PhaseFigure, TimelineEvent } from '../lib/measurement-types';
import type { RecoveryTargets, Tier } from '../lib/tiers';
import type { Runbook } from '../runbooks/schema';

/** The three ways to promote the secondary region (issue 5). */
export type PromotionMode = 'switchover' | 'failover' | 'detach';

/**
 * Input of `regionPromotionWorkflow`, small enough to type into the Temporal UI:
 * `{"runbook":"payments-prod","targetRegion":"us-west-2","mode":"switchover"}`.
 * Validated in the first activity (`preparePromotion`) before any AWS call.
 */
export interface RegionPromotionInput {
  /** Runbook name (file stem in the worker's runbook folder), e.g. `payments-prod`. */
  readonly runbook: string;
  /** Region of the secondary cluster that becomes the writer. */
  readonly targetRegion: string;
  readonly mode: PromotionMode;
  /** Incident id, recorded in the report (and marks the start of the outage as "declared"). */
  readonly incidentId?: string;
  /** Who started the run (CLI user), recorded in the report. */
  readonly requestedBy?: string;
  /** Overrides `approval.timeout` of the runbook (duration such as `30s`, `15m`). */
  readonly approvalTimeout?: string;
  /** Game-day option: switch back to the original region once verified and measure re-protection. */
  readonly failback?: boolean;
  /** sha256 (hex) of the runbook file the CLI validated; the worker refuses a runbook of that name with other content. */
  readonly runbookSha256?: string;
  /** Poll interval of the state waits, clock ms (bench: SDK-waiter-style 30000). @default 1000 */
  readonly pollIntervalMs?: number;
  /** Poll interval while a transition is due, clock ms. @default 250 */
  readonly fastPollIntervalMs?: number;
}

/** Polling settings passed to every wait activity. */
export interface PollSettings {
  readonly intervalMs: number;
  readonly fastIntervalMs: number;
}

/** One Aurora member of the plan. */
export interface PlanMember {
  readonly region: string;
  readonly clusterId: string;
}

/** The validated, resolved plan every later activity works from (no secrets: ARNs only). */
export interface PromotionPlan {
  readonly workflowId: string;
  readonly runbookName: string;
  readonly runbook: Runbook;
  readonly service: string;
  readonly environment: string;
  readonly tier: Tier;
  readonly targets: RecoveryTargets;
  readonly mode: PromotionMode;
  readonly account: string;
  readonly globalClusterId: string;
  /** Region the runbook names as primary (the actual writer is read in preflight). */
  readonly runbookPrimaryRegion: string;
  readonly target: PlanMember;
  readonly members: readonly PlanMember[];
  readonly approval: { readonly required: boolean; readonly timeoutMs: number; readonly approvers: readonly string[] };
  readonly incidentId?: string;
  readonly requestedBy?: string;
  readonly failback: boolean;
  readonly poll: PollSettings;
  readonly awsMode: 'real' | 'sim';
  /** Clock ms per wall ms of the activities' clock (1 for real AWS). */
  readonly clockScale: number;
  /** Clock time at which the plan was made (the "promotion requested" instant). */
  readonly requestedAt: number;
  /** Wall-clock epoch ms of the same instant (reports show when the run really happened). */
  readonly requestedAtWall?: number;
}

/** What preflight found: the actual topology and replication health. */
export interface PromotionPreflight {
  readonly globalClusterArn: string;
  /** The current writer (the "old primary"). */
  readonly source: PlanMember & { readonly arn: string };
  /** The cluster being promoted. */
  readonly target: PlanMember & { readonly arn: string };
  /** Replication lag of the target read from CloudWatch, if available. */
  readonly replicationLagMs?: number;
  readonly lagNote?: string;
  readonly checks: readonly { readonly name: string; readonly ok: boolean; readonly detail: string }[];
  readonly checkedAt: number;
}

/**
 * Set on a step's result when it came from a later attempt of its activity (attempt > 1): an
 * earlier attempt ended without a result (a failure, or its worker stopped heartbeating and was
 * restarted), so the time between them was not observed by anyone: a worker gap.
 */
export interface RetriedAttempt {
  readonly attempt: number;
  /** Clock ms this attempt started. */
  readonly startedAt: number;
  /** Clock ms of the earlier attempt's last heartbeat the server kept (the gap's known start), if any. */
  readonly lastHeartbeatAt?: number;
}

/** Where a step's `at` comes from, when not from this attempt's own clock reading around the call. */
export type AtSource =
  /** AWS's own timestamp (an RDS event, a Route 53 change's SubmittedAt). */
  | 'aws'
  /** The issue time an earlier attempt heartbeated just before it sent the call. */
  | 'earlier-attempt'
  /** Only when this attempt found the effect already there: the true time is earlier. */
  | 'found-later';

/** Result of a mutation activity: what it did, and when by the activities' clock. */
export interface MutationResult {
  /** `called` = the mutation was sent now; `already-in-progress` / `already-done` = the read found it had been. */
  readonly effect: 'called' | 'already-in-progress' | 'already-done';
  readonly at: number;
  /** Clock ms the call returned (set when this attempt sent it): its effect happened in [`at`, `returnedAt`]. */
  readonly returnedAt?: number;
  readonly detail?: string;
  /** Where `at` comes from when it is not this attempt's issue time (see {@link AtSource}). */
  readonly atSource?: AtSource;
  /** Set when this result came from a retried attempt (see {@link RetriedAttempt}). */
  readonly retried?: RetriedAttempt;
}

/** AWS's own record of the instant a wait's transition happened (an RDS event), when found. */
export interface AwsStamp {
  readonly at: number;
  /** e.g. `RDS-EVENT-0184: New primary DB cluster … was successfully promoted.` */
  readonly detail: string;
}

/** A wait that finished: when its condition was first seen. */
export interface WaitResult {
  readonly observedAt: number;
  readonly previousReadAt?: number;
  readonly polls: number;
  readonly detail?: string;
  /** Writer endpoint of the promoted cluster (`awaitClusterWritable`). */
  readonly endpoint?: string;
  /** AWS's own time of the transition (RDS event), when AWS records one and it was found. */
  readonly aws?: AwsStamp;
  /** Failover: AWS's time the old primary's writes were blocked (RDS-EVENT-0390/0391), when read. */
  readonly writesBlocked?: AwsStamp;
  /** Why no AWS time was used (no such event in AWS's catalog, not found, outside the window). */
  readonly awsNote?: string;
  /** Set when this result came from a retried attempt (see {@link RetriedAttempt}). */
  readonly retried?: RetriedAttempt;
}

/** Result of `shiftTraffic`. */
export interface TrafficShiftResult extends MutationResult {
  /** Route 53 change to await (absent for ARC or when nothing had to change). */
  readonly changeId?: string;
  /** Weights before the change, per region (weighted policy), for rollback. */
  readonly previousWeights?: Readonly<Record<string, number>>;
}

/** What `shiftTraffic` is asked to do. */
export type TrafficTarget =
  /** Make `region` the active one (failover records: PRIMARY; weighted: 100; ARC: On, others Off). */
  | { readonly kind: 'activate'; readonly region: string }
  /** Weighted records: set these weights (percent per region). */
  | { readonly kind: 'weights'; readonly weights: Readonly<Record<string, number>> };

/** Result of `checkHealthAlarms`. */
export interface HealthAlarmsResult {
  readonly ok: boolean;
  readonly alarms: readonly { readonly alarmName: string; readonly stateValue: string }[];
  readonly checkedAt: number;
  /**
   * When every alarm is OK: since when, by CloudWatch's own clock (the latest `StateUpdatedTimestamp`);
   * absent when one has no timestamp. The alarms were OK throughout [okSince, checkedAt].
   */
  readonly okSince?: number;
}

/** Result of `verifyServiceWrite`. */
export interface ServiceWriteResult {
  readonly ok: boolean;
  readonly at: number;
  readonly endpoint: string;
  readonly detail: string;
  /** Attempts until the write committed (when it did). */
  readonly attempts?: number;
  /** Issue time of the last attempt that failed, when one did: the service was not writable then. */
  readonly previousAttemptAt?: number;
}

/** Payload of `approvePromotionUpdate` / `rejectPromotionUpdate`. */
export interface PromotionDecisionRequest {
  /** Who decides; must be in the runbook's `approval.approvers` when that list is not empty. */
  readonly by: string;
  readonly reason?: string;
}

/** What the approval updates return once accepted. */
export interface PromotionDecisionResult {
  readonly decision: 'approved' | 'rejected';
  readonly by: string;
  readonly workflowId: string;
}

/**
 * Approves a promotion waiting at its approval gate (`gameday approve <id>`, or the UI's Send
 * Update with `{"by": "<approver>"}`). The validator refuses it (nothing recorded) when the run is
 * not waiting for approval or `by` is not an approver.
 */
export const approvePromotionUpdate = defineUpdate<PromotionDecisionResult, [PromotionDecisionRequest]>('approvePromotion');

/** Rejects a promotion waiting at its approval gate (`gameday reject <id>`); same validator. */
export const rejectPromotionUpdate = defineUpdate<PromotionDecisionResult, [PromotionDecisionRequest]>('rejectPromotion');

/** Who decided the approval gate, and when (activities' clock). */
export interface ApprovalRecord {
  readonly decision: 'approved' | 'rejected' | 'auto-approved' | 'timed-out' | 'pending';
  readonly by?: string;
  readonly reason?: string;
  /** Clock ms of the decision (stamped by an activity right after it). */
  readonly at?: number;
  readonly required?: boolean;
  readonly approvers?: readonly string[];
  readonly timeoutMs?: number;
}

/** `RunStatus.data` of `regionPromotionWorkflow`. */
export interface PromotionStatusData {
  readonly mode?: PromotionMode;
  readonly targetRegion?: string;
  readonly sourceRegion?: string;
  /** Clock ms the RTO is counted from (promotion requested / incident declared). */
  readonly rtoStartAt?: number;
  readonly rtoBudgetMs?: number;
  /** RTO budget minus time elapsed since `rtoStartAt`, as of the status's `asOf`; negative = overrun. */
  readonly rtoBudgetLeftMs?: number;
  readonly approval?: ApprovalRecord;
  readonly timeline: readonly TimelineEvent[];
  /** RTO phases completed so far (detect, decide, promote, traffic, app), from the timeline. */
  readonly phases: readonly PhaseFigure[];
}
