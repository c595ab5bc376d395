/**
 * Signals, queries and updates shared by the workflows, with their payload types.
 * Pure definitions (deterministic); the CLI and the tests import them to talk to a run.
 * Engineers adding a playbook add their definitions here (additively).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** What a running workflow says about itself; every playbook answers `statusQuery` with it. */
export interface RunStatus {
  /** Workflow type, e.g. `preflightWorkflow`. */
  readonly workflow: string;
  /** Runbook name the run works on. */
  readonly runbook?: string;
  /** Current phase in a few words, e.g. `checking`, `awaiting-approval`, `done`. */
  readonly phase: string;
  /** One human line about the phase. */
  readonly detail?: string;
  /** Playbook-specific progress (shown as JSON by `gameday status`). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Current status of a run (`gameday status <id>`). */
export const statusQuery = defineQuery<RunStatus>('status');

/** Payload of `abortSignal`. */
export interface AbortRequest {
  /** Why the run is aborted (recorded in history and in the report). */
  readonly reason: string;
  /** Who asked, e.g. a user name; optional. */
  readonly by?: string;
}

/**
 * Asks a run to stop as soon as it safely can: the workflow stops injecting, runs every undo step
 * (non-cancellable) and finishes with an aborted verdict. Fire-and-forget (`gameday abort <id>`).
 */
export const abortSignal = defineSignal<[AbortRequest]>('abort');

// ---------------------------------------------------------------- region promotion (issue 5)

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
 * Approves a promotion waiting at its approval gate (`gameday approve <id>`). The validator
 * rejects it (nothing recorded) when the run is not waiting for approval or `by` is not an approver.
 */
export const approvePromotionUpdate = defineUpdate<PromotionDecisionResult, [PromotionDecisionRequest]>('approvePromotion');

/** Rejects a promotion waiting at its approval gate (`gameday reject <id>`); same validator. */
export const rejectPromotionUpdate = defineUpdate<PromotionDecisionResult, [PromotionDecisionRequest]>('rejectPromotion');

/** Answer of `abortPromotionUpdate`. */
export interface AbortAnswer {
  readonly accepted: boolean;
  /** Why not, when refused (e.g. past the point of no return). */
  readonly reason?: string;
}

/**
 * Asks a promotion to abort and returns whether it will: accepted before the point of no return
 * (the run stops cleanly), refused with the reason after it (the run completes). `abortSignal`
 * does the same fire-and-forget and records a refusal in the status.
 */
export const abortPromotionUpdate = defineUpdate<AbortAnswer, [AbortRequest]>('abortPromotion');

/**
 * The run's report so far (`gameday report <id>` on a running workflow): every playbook that
 * returns a `RunReport` answers it with the report it would return now (measurement computed from
 * the timeline observed so far), or `undefined` before it has one. After the run, the CLI reads the
 * workflow result instead.
 */
export const reportQuery = defineQuery<import('../lib/measurement-types').RunReport | undefined>('report');

// ---------------------------------------------------------------- AZ loss (issue 6)

/** Payload of `watchArmedSignal`. */
export interface WatchArmed {
  /** Which watch: a component id (`aurora:<cluster>`, …) or `service` (app-healthy watch). */
  readonly watch: string;
  /** Clock time of the watch's baseline read (before the fault). */
  readonly at: number;
  /** What the baseline read saw, e.g. `available, writer payments-use1-a in us-east-1a`. */
  readonly baseline: string;
}

/**
 * Sent by an AZ-loss recovery watch activity once it has made its baseline read: the workflow
 * starts the FIS experiment only after every watch is armed, so each watch always has a read
 * before the fault (and before the recovery) and its RTO resolution is its poll interval.
 */
export const watchArmedSignal = defineSignal<[WatchArmed]>('watchArmed');
