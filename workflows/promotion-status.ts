/**
 * Live status of a region promotion (`statusQuery` → `RunStatus.data`): the current step, each
 * step's start/end and elapsed time, the RTO budget left, the approval and abort records.
 * Times are the activities' clock (simulated ms in sim mode), taken from activity results; the
 * status is "as of" the latest clock reading the workflow has (`asOf`). Deterministic.
 */
import type { PromotionMode } from '../activities/promotion/promotion-types';
import type { PhaseFigure, TimelineEvent } from '../lib/measurement-types';
import { phasesOf } from '../lib/timeline';
import type { RunStatus } from './messages';

/** Steps of a promotion, in order. */
export const PROMOTION_STEPS = [
  'validate',
  'preflight',
  'approval',
  'canary',
  'fence',
  'promote',
  'await-writable',
  'traffic',
  'await-insync',
  'app',
  'verify',
  'measure',
  'failback',
  'done',
] as const;

/** One step of a promotion. */
export type PromotionStep = (typeof PROMOTION_STEPS)[number];

/** State of one step. */
export interface StepRecord {
  readonly step: PromotionStep;
  state: 'pending' | 'running' | 'done' | 'skipped' | 'failed';
  startedAt?: number;
  endedAt?: number;
  /** endedAt − startedAt, or asOf − startedAt while running. */
  elapsedMs?: number;
  detail?: string;
}

/** Who decided the approval gate, and when (activities' clock). */
export interface ApprovalRecord {
  readonly decision: 'approved' | 'rejected' | 'auto-approved' | 'timed-out';
  readonly by?: string;
  readonly reason?: string;
  /** Clock ms of the decision (stamped by an activity right after it). */
  at?: number;
}

/** An abort request and what the workflow did with it. */
export interface AbortRecord {
  readonly by?: string;
  readonly reason: string;
  readonly accepted: boolean;
  /** Why a request was refused (past the point of no return). */
  readonly refusal?: string;
  /** Step during which it arrived. */
  readonly duringStep: PromotionStep;
}

/** `RunStatus.data` of `regionPromotionWorkflow`. */
export interface PromotionStatusData {
  readonly mode?: PromotionMode;
  readonly targetRegion?: string;
  readonly sourceRegion?: string;
  readonly step: PromotionStep;
  readonly steps: readonly StepRecord[];
  /** Clock ms of the latest observation the status is based on. */
  readonly asOf?: number;
  /** Clock ms the RTO is counted from (promotion requested / incident declared). */
  readonly rtoStartAt?: number;
  readonly rtoBudgetMs?: number;
  /** RTO budget minus time elapsed since `rtoStartAt`, as of `asOf`; negative = overrun. */
  readonly rtoBudgetLeftMs?: number;
  readonly pointOfNoReturn: { readonly what: string; readonly passed: boolean; readonly at?: number };
  readonly approval?: ApprovalRecord & { readonly required: boolean; readonly approvers: readonly string[]; readonly timeoutMs: number };
  readonly aborts: readonly AbortRecord[];
  readonly timeline: readonly TimelineEvent[];
  /** RTO phases completed so far (detect, decide, promote, traffic, app), from the timeline. */
  readonly phases: readonly PhaseFigure[];
  readonly outcome?: string;
}

/** Mutable status of one run, updated by the workflow at each step. */
export class PromotionTracker {
  readonly steps: StepRecord[] = PROMOTION_STEPS.map((step) => ({ step, state: 'pending' }));
  current: PromotionStep = 'validate';
  asOf?: number;
  mode?: PromotionMode;
  targetRegion?: string;
  sourceRegion?: string;
  rtoStartAt?: number;
  rtoBudgetMs?: number;
  ponr = { what: 'the promote call', passed: false, at: undefined as number | undefined };
  approval?: PromotionStatusData['approval'];
  readonly aborts: AbortRecord[] = [];
  readonly timeline: TimelineEvent[] = [];
  outcome?: string;
  detail?: string;

  constructor(
    readonly workflowId: string,
    readonly runbook?: string,
  ) {}

  /** Notes a clock reading (keeps the latest). */
  observe(at: number | undefined): void {
    if (at !== undefined && (this.asOf === undefined || at > this.asOf)) this.asOf = at;
  }

  /** Adds timeline events (and observes their times). */
  record(...events: TimelineEvent[]): void {
    for (const e of events) {
      this.timeline.push(e);
      this.observe(e.at);
    }
  }

  private get(step: PromotionStep): StepRecord {
    return this.steps.find((s) => s.step === step)!;
  }

  /** Marks `step` running from the latest clock reading. */
  begin(step: PromotionStep, detail?: string): void {
    const s = this.get(step);
    s.state = 'running';
    s.startedAt = this.asOf;
    if (detail !== undefined) s.detail = detail;
    this.current = step;
    this.detail = detail;
  }

  /** Marks `step` finished at `at` (clock ms). */
  end(step: PromotionStep, at?: number, detail?: string, state: 'done' | 'skipped' | 'failed' = 'done'): void {
    this.observe(at);
    const s = this.get(step);
    s.state = state;
    if (s.startedAt === undefined) s.startedAt = at ?? this.asOf;
    s.endedAt = at ?? this.asOf;
    if (s.startedAt !== undefined && s.endedAt !== undefined) s.elapsedMs = Math.max(0, s.endedAt - s.startedAt);
    if (detail !== undefined) s.detail = detail;
  }

  /** Marks `step` skipped with a reason. */
  skip(step: PromotionStep, reason: string): void {
    const s = this.get(step);
    s.state = 'skipped';
    s.detail = reason;
  }

  /** The `RunStatus` answered by `statusQuery`. */
  status(): RunStatus {
    const steps = this.steps.map((s) => ({
      ...s,
      ...(s.state === 'running' && s.startedAt !== undefined && this.asOf !== undefined
        ? { elapsedMs: Math.max(0, this.asOf - s.startedAt) }
        : {}),
    }));
    const left =
      this.rtoBudgetMs !== undefined && this.rtoStartAt !== undefined && this.asOf !== undefined
        ? this.rtoBudgetMs - (this.asOf - this.rtoStartAt)
        : undefined;
    const data: PromotionStatusData = {
      ...(this.mode !== undefined ? { mode: this.mode } : {}),
      ...(this.targetRegion !== undefined ? { targetRegion: this.targetRegion } : {}),
      ...(this.sourceRegion !== undefined ? { sourceRegion: this.sourceRegion } : {}),
      step: this.current,
      steps,
      ...(this.asOf !== undefined ? { asOf: this.asOf } : {}),
      ...(this.rtoStartAt !== undefined ? { rtoStartAt: this.rtoStartAt } : {}),
      ...(this.rtoBudgetMs !== undefined ? { rtoBudgetMs: this.rtoBudgetMs } : {}),
      ...(left !== undefined ? { rtoBudgetLeftMs: left } : {}),
      pointOfNoReturn: { ...this.ponr },
      ...(this.approval ? { approval: this.approval } : {}),
      aborts: [...this.aborts],
      timeline: [...this.timeline],
      phases: phasesOf(this.timeline),
      ...(this.outcome !== undefined ? { outcome: this.outcome } : {}),
    };
    return {
      workflow: 'regionPromotionWorkflow',
      ...(this.runbook !== undefined ? { runbook: this.runbook } : {}),
      phase: this.current === 'approval' && this.get('approval').state === 'running' ? 'awaiting-approval' : this.current,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      data: data as unknown as Record<string, unknown>,
    };
  }
}
