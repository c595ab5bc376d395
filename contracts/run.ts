/**
 * What every playbook run says about itself and how a person talks to it: the one status shape,
 * the abort request and its answer, and the messages every playbook answers (`status`, `report`,
 * `abort`, `requestAbort`). Pure definitions, deterministic: workflows, activities (types only),
 * the CLI and the tests import them; nothing here imports upward.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RunReport } from '../lib/measurement-types';
import type { FisTemplatesResult } from './fis-templates';
import type { OrphanSweepReport } from './orphan-sweeper';
import type { PreflightReport } from './preflight';
import type { TrafficShiftReport } from './traffic-shift';

/** State of one step of a run. */
export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';

/** One step of a run as the status shows it. Times are on the activities' clock (see `RunStatus.clock`). */
export interface StepRecord {
  /** Step name, e.g. `promote`. */
  readonly step: string;
  readonly state: StepState;
  /** Clock ms the step began (the latest observation before it). */
  readonly startedAt?: number;
  /** Clock ms the step ended (from the step's own result when it carries a time). */
  readonly endedAt?: number;
  /** endedAt − startedAt, or asOf − startedAt while running. */
  readonly elapsedMs?: number;
  /** One line about the step: what it does, did, or why it was skipped. */
  readonly detail?: string;
}

/** Payload of `abortSignal` / `requestAbortUpdate`. */
export interface AbortRequest {
  /** Why the run is aborted (recorded in history, the status and the report). */
  readonly reason: string;
  /** Who asked, e.g. a user name; optional. */
  readonly by?: string;
}

/** Answer of `requestAbortUpdate`. */
export interface AbortAnswer {
  readonly accepted: boolean;
  /** Why not, when refused (e.g. past the point of no return). */
  readonly reason?: string;
}

/** An abort request or a workflow cancellation, and what the run did with it. */
export interface AbortRecord {
  readonly by?: string;
  readonly reason: string;
  /** `signal`/`update`: gameday abort; `cancellation`: the workflow was cancelled. */
  readonly via: 'signal' | 'update' | 'cancellation';
  readonly accepted: boolean;
  /** Why a request was refused. */
  readonly refusal?: string;
  /** Step during which it arrived. */
  readonly duringStep: string;
}

/** The point after which a run is never interrupted (abort refused, cancellation ignored). */
export interface PointOfNoReturn {
  /** What passes it, e.g. `the promote call`. */
  readonly what: string;
  readonly passed: boolean;
  /** Clock ms it was passed. */
  readonly at?: number;
}

/** A run waiting for a person: who may answer, how, and until when. */
export interface HumanWait {
  /** What is awaited, in words, e.g. `approval of the switchover to us-west-2`. */
  readonly what: string;
  /** Who may answer (empty = anyone with access to the namespace). */
  readonly who: readonly string[];
  /** Update names that answer it (Temporal UI: More Actions → Send an Update), e.g. `approvePromotion`. */
  readonly updates: readonly string[];
  /** An example payload of those updates. */
  readonly example: Readonly<Record<string, unknown>>;
  /** Timeout of the wait, ms (not scaled by any simulated clock). */
  readonly timeoutMs: number;
  /** The CLI command that answers it, e.g. `gameday game-day checkpoint <day> alert-paged --by NAME`; default: `gameday approve`. */
  readonly cli?: string;
}

/** How a run ended (or `running`). */
export type RunPhase = 'running' | 'undoing' | 'completed' | 'failed' | 'aborted' | 'cancelled';

/** What every playbook answers to `statusQuery`: one shape for all. */
export interface RunStatus {
  /** Workflow type, e.g. `regionPromotionWorkflow`. */
  readonly workflow: string;
  /** Runbook the run works on, once known. */
  readonly runbook?: string;
  /** Whether the run is going, cleaning up, or how it ended. */
  readonly phase: RunPhase;
  /** Current (or last) step. */
  readonly step: string;
  /** One line for a person about what the run is doing now. */
  readonly detail?: string;
  /** Every step of the playbook in order, with its state. */
  readonly steps: readonly StepRecord[];
  /** Clock ms of the latest observation the status rests on. */
  readonly asOf?: number;
  readonly pointOfNoReturn?: PointOfNoReturn;
  /** Set while the run waits for a person. */
  readonly awaiting?: HumanWait;
  readonly aborts: readonly AbortRecord[];
  /** Undo steps registered so far, most recent last, with their state. */
  readonly undo: readonly StepRecord[];
  /** Playbook-specific progress (mode, target, approval, experiment id…). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Current status of a run (`gameday status <id>`, the Temporal UI's Queries tab). */
export const statusQuery = defineQuery<RunStatus>('status');

/**
 * What a playbook reports: the measured `RunReport` of a drill (promotion, AZ loss, restore,
 * Backtrack), or the playbook's own result (preflight, traffic shift, FIS templates, orphan sweep).
 * While the run goes its `outcome` is `running`.
 */
export type PlaybookReport = RunReport | PreflightReport | TrafficShiftReport | FisTemplatesResult | OrphanSweepReport;

/**
 * The run's report so far (`gameday report <id>` on a running workflow): what the run would
 * return now, with `outcome: 'running'`, or `undefined` before it has one (its input not yet
 * validated); once the run ended, its result. Every playbook answers it (the run kit's
 * `reportWhileRunning`).
 */
export const reportQuery = defineQuery<PlaybookReport | undefined>('report');

/**
 * Asks a run to stop as soon as it safely can (`gameday abort <id>`), fire-and-forget: before the
 * point of no return the current step is interrupted, every undo runs (non-cancellable) and the
 * run ends `aborted`; after it, the request is refused and recorded in the status.
 */
export const abortSignal = defineSignal<[AbortRequest]>('abort');

/** Same as `abortSignal`, but answers whether the run will stop (and why not). */
export const requestAbortUpdate = defineUpdate<AbortAnswer, [AbortRequest]>('requestAbort');

/** What a run started as a child workflow tells its parent about itself (see `childStatusSignal`). */
export interface ChildRunStatus {
  /** Increases with every status the child sends: signals may arrive out of order, the parent keeps the newest. */
  readonly seq: number;
  readonly workflowId: string;
  readonly runId: string;
  /** Workflow type. */
  readonly workflow: string;
  readonly phase: RunPhase;
  readonly step: string;
  readonly detail?: string;
  /** Set while the child waits for a person (e.g. a promotion's approval). */
  readonly awaiting?: HumanWait;
  /** The child's RTO budget left, ms on its activities' clock, when it shows one. */
  readonly rtoBudgetLeftMs?: number;
  /** Clock ms of the child's latest observation. */
  readonly asOf?: number;
}

/**
 * Sent by the run kit of a run that has a parent workflow (a game day) each time the run's step,
 * phase, detail or awaited person changes, so the parent's status shows the child's step live.
 */
export const childStatusSignal = defineSignal<[ChildRunStatus]>('childStatus');
