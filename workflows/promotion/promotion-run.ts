/**
 * What a region promotion has observed so far (plan, preflight, timeline, notes, details) and
 * the views of it: the status data, the report for any outcome. The message-handler state of the
 * playbook lives here, so the workflow function stays a list of steps. Deterministic.
 */
import { workflowInfo } from '@temporalio/workflow';
import type {
  ApprovalRecord,
  PromotionPlan,
  PromotionPreflight,
  PromotionStatusData,
  RetriedAttempt,
  WaitResult,
} from '../../contracts/promotion';
import type { RunReport, TimelineEvent, TimelineEventName } from '../../lib/measurement-types';
import type { WorkerGap } from '../../lib/worker-gaps';
import { humanWaitsOf, spanWithHumanTime } from '../../lib/human-time';
import { promotionReport, promotionTargets } from '../../lib/promotion-report';
import { phasesOf, type CanaryMeasurementInput } from '../../lib/timeline';
import type { Run } from '../kit';

/** Observations of one promotion run (see the module doc). */
export class PromotionRun {
  plan?: PromotionPlan;
  pre?: PromotionPreflight;
  writable?: WaitResult;
  approval?: ApprovalRecord;
  readonly timeline: TimelineEvent[] = [];
  readonly notes: string[] = [];
  readonly details: Record<string, unknown> = {};
  /** Each wait's observation window: the real transition lies in (previousReadAt, observedAt]. */
  readonly observations: Record<string, WaitResult> = {};
  /** The canary's measurement input, once the canary was stopped. */
  canary?: CanaryMeasurementInput;
  /** Why the canary gives no RPO baseline (no write committed before the promotion), if so. */
  noBaseline?: string;
  /** Steps whose result came from a retried attempt (worker gaps), with the events resting on them. */
  readonly gaps: WorkerGap[] = [];

  constructor(readonly run: Run) {
    run.reportWhileRunning(() => (this.plan ? this.report('running', `running: step ${run.tracker.current}`) : undefined));
  }

  /** The canary run id of this run (rows are traceable to it). */
  get canaryRunId(): string {
    const info = workflowInfo();
    return `${info.workflowId}-${info.runId.slice(0, 8)}`;
  }

  /** Adds timeline events and shows them in the status. */
  record(...events: TimelineEvent[]): void {
    for (const e of events) {
      this.timeline.push(e);
      this.run.observe(e.at);
    }
    this.show();
  }

  /**
   * Notes a worker gap when `result` came from a retried attempt: `events` are the timeline events
   * the step stamped, `restsOnIt` false for those timed by AWS's own record.
   */
  noteRetry(
    step: string,
    result: { readonly retried?: RetriedAttempt },
    events: readonly { readonly name: TimelineEventName; readonly restsOnIt: boolean }[],
  ): void {
    const r = result.retried;
    if (!r) return;
    this.gaps.push({
      step,
      attempt: r.attempt,
      startedAt: r.startedAt,
      ...(r.lastHeartbeatAt !== undefined ? { lastHeartbeatAt: r.lastHeartbeatAt } : {}),
      restingEvents: events.filter((e) => e.restsOnIt).map((e) => e.name),
      awsTimedEvents: events.filter((e) => !e.restsOnIt).map((e) => e.name),
    });
  }

  /** Refreshes the promotion's part of the status. */
  show(): void {
    const p = this.plan;
    const asOf = this.run.tracker.asOf;
    const budget = p ? promotionTargets(p).rtoMs : undefined;
    const data: PromotionStatusData = {
      ...(p ? { mode: p.mode, targetRegion: p.target.region, rtoStartAt: p.requestedAt, rtoBudgetMs: budget } : {}),
      ...(this.pre ? { sourceRegion: this.pre.source.region } : {}),
      // A person's wait counts at its wall duration, as in the report (lib/human-time.ts).
      ...(p && budget !== undefined && asOf !== undefined
        ? { rtoBudgetLeftMs: budget - spanWithHumanTime(p.requestedAt, asOf, humanWaitsOf(this.timeline)) }
        : {}),
      ...(this.approval ? { approval: this.approval } : {}),
      timeline: [...this.timeline],
      phases: phasesOf(this.timeline),
    };
    this.run.show(data as unknown as Record<string, unknown>);
  }

  /** The report of this run for `outcome`. */
  report(outcome: RunReport['outcome'], reason?: string): RunReport {
    const info = workflowInfo();
    const status = this.run.status();
    return promotionReport(
      {
        workflowId: info.workflowId,
        runId: info.runId,
        plan: this.plan!,
        ...(this.pre ? { pre: this.pre } : {}),
        timeline: this.timeline,
        notes: this.notes,
        gaps: this.gaps,
        details: {
          ...this.details,
          observations: this.observations,
          ...(this.approval ? { approval: this.approval } : {}),
          aborts: status.aborts,
          steps: status.steps,
          ...(status.pointOfNoReturn ? { pointOfNoReturn: status.pointOfNoReturn } : {}),
        },
        canary: this.canary ?? { notMeasured: 'the canary was not read (the run is still going or stopped before it)' },
      },
      outcome,
      reason,
    );
  }
}
