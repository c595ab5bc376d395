/**
 * The report of a region promotion from what its steps observed: the measurement (timeline math
 * of `lib/timeline.ts`), the mode's own notes (a switchover must lose nothing), and the details.
 * Pure and deterministic; unit-tested in `test/promotion-report.test.ts`.
 */
import type { PromotionPlan, PromotionPreflight } from '../contracts/promotion';
import type { Measurement, RunReport, TimelineEvent } from './measurement-types';
import { reportClock } from './report-clock';
import { measure, type CanaryMeasurementInput } from './timeline';
import { reportHead } from './report-head';
import { workerGapNotes, type WorkerGap } from './worker-gaps';

/** Everything a promotion observed, in the order its steps observed it. */
export interface PromotionFacts {
  readonly workflowId: string;
  readonly runId: string;
  readonly plan: PromotionPlan;
  readonly pre?: PromotionPreflight;
  readonly timeline: readonly TimelineEvent[];
  readonly notes: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
  readonly canary: CanaryMeasurementInput;
  /** Steps that completed on a retried attempt (see `lib/worker-gaps.ts`). */
  readonly gaps?: readonly WorkerGap[];
}

/** The RPO target of a mode: a planned switchover must lose nothing, whatever the tier says. */
export function promotionTargets(plan: PromotionPlan): PromotionPlan['targets'] {
  return plan.mode === 'switchover' ? { ...plan.targets, rpoMs: 0 } : plan.targets;
}

/** The note a switchover adds about its RPO (it must be 0). */
export function switchoverRpoNote(m: Measurement): string {
  if (m.rpo.status !== 'measured') return `switchover: RPO must be 0; not measured (${m.rpo.reason})`;
  return m.rpo.valueMs === 0
    ? 'switchover: measured RPO 0 ms, as a planned switchover requires (no acknowledged write was lost)'
    : `switchover: measured RPO ${m.rpo.valueMs} ms but a planned switchover must lose nothing (target 0)`;
}

/** The promotion's `RunReport` for an outcome (see the module doc). */
export function promotionReport(f: PromotionFacts, outcome: RunReport['outcome'], outcomeReason?: string): RunReport {
  const p = f.plan;
  const measurement = measure({
    timeline: f.timeline,
    targets: promotionTargets(p),
    canary: f.canary,
    ...(f.pre?.replicationLagMs !== undefined ? { predictedRpoMs: f.pre.replicationLagMs } : {}),
    resolution: { pollIntervalMs: p.poll.fastIntervalMs },
  });
  const notes = [...f.notes];
  if (p.mode === 'switchover' && outcome === 'completed') notes.push(switchoverRpoNote(measurement));
  if (f.pre?.lagNote) notes.push(f.pre.lagNote);
  const gaps = f.gaps ?? [];
  notes.push(...workerGapNotes(gaps, f.timeline, measurement));
  return {
    ...reportHead({ ...p, workflowId: f.workflowId, runId: f.runId, scenario: 'region-promotion' }),
    outcome,
    ...(outcomeReason !== undefined ? { outcomeReason } : {}),
    clock: reportClock(p.awsMode, p.clockScale, p.requestedAtWall),
    timeline: [...f.timeline],
    measurement,
    details: { ...f.details, ...(gaps.length > 0 ? { workerGaps: gaps } : {}) },
    notes,
  };
}

/** The event that starts a promotion's RTO: an incident declared (`fault-injected`), else the promotion requested. */
export function requestedEvent(p: PromotionPlan): 'fault-injected' | 'promotion-requested' {
  return p.incidentId ? 'fault-injected' : 'promotion-requested';
}

/** Words of the event that starts a promotion's RTO: an incident is declared, a promotion requested. */
export function requestedDetail(p: PromotionPlan): string {
  if (p.incidentId) return `incident ${p.incidentId} declared; ${p.mode} to ${p.target.region} requested`;
  return `${p.mode} to ${p.target.region} requested${p.requestedBy ? ` by ${p.requestedBy}` : ''}`;
}
