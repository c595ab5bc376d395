/**
 * `trafficShiftWorkflow`: moves traffic to a region in weighted steps (runbook
 * `route53.routing.steps`, e.g. 10 → 50 → 100 %). Each step is applied in one Route 53 batch,
 * awaited until INSYNC and verified by watching the health alarms for `holdMs`; when an alarm
 * fires the weights go back to the previous step's (also awaited INSYNC) and the run ends
 * `rolled-back`. Start from the UI with `{"runbook":"orders-prod","targetRegion":"eu-central-1"}`.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { TrafficShiftInput, TrafficShiftPlan } from '../activities/promotion/prepare-promotion';
import { statusQuery, type RunStatus } from './messages';

/** One applied step. */
export interface TrafficStepRecord {
  readonly percent: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly appliedAt: number;
  readonly insyncAt?: number;
  readonly verified: boolean;
  readonly alarms: readonly { readonly alarmName: string; readonly stateValue: string }[];
}

/** Result of `trafficShiftWorkflow`. */
export interface TrafficShiftReport {
  readonly workflowId: string;
  readonly runbook: string;
  readonly targetRegion: string;
  readonly outcome: 'completed' | 'rolled-back';
  readonly steps: readonly TrafficStepRecord[];
  /** Weights restored by the rollback. */
  readonly rolledBackTo?: Readonly<Record<string, number>>;
  readonly reason?: string;
}

/** Weights of one step: `percent` to the target, the rest split evenly over the other regions. */
export function stepWeights(regions: readonly string[], target: string, percent: number): Record<string, number> {
  const others = regions.filter((r) => r !== target);
  const rest = 100 - percent;
  const out: Record<string, number> = { [target]: percent };
  others.forEach((r, i) => {
    out[r] = Math.floor(rest / others.length) + (i < rest % others.length ? 1 : 0);
  });
  return out;
}

/** Shifts traffic in steps with verification and automatic rollback (see the module doc). */
export async function trafficShiftWorkflow(input: TrafficShiftInput): Promise<TrafficShiftReport> {
  const info = workflowInfo();
  const steps: TrafficStepRecord[] = [];
  let phase = 'validate';
  let detail: string | undefined;
  setHandler(statusQuery, (): RunStatus => ({
    workflow: 'trafficShiftWorkflow',
    ...(typeof input?.runbook === 'string' ? { runbook: input.runbook } : {}),
    phase,
    ...(detail !== undefined ? { detail } : {}),
    data: { steps: [...steps] },
  }));

  const prep = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 3 } });
  let plan: TrafficShiftPlan;
  try {
    plan = await prep.prepareTrafficShift({ input });
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      throw ApplicationFailure.create({ type: err.cause.type ?? 'Error', message: err.cause.message, nonRetryable: true });
    }
    throw err;
  }
  const heartbeatTimeout = Math.max(10_000, Math.ceil((3 * plan.poll.intervalMs) / plan.clockScale));
  const act = proxyActivities<Activities>({
    startToCloseTimeout: '1h',
    heartbeatTimeout,
    retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 12 },
  });
  const comment = `gameday ${info.workflowId}`;

  const apply = async (
    weights: Record<string, number>,
  ): Promise<{ appliedAt: number; insyncAt?: number; previous?: Readonly<Record<string, number>> }> => {
    const r = await act.shiftTraffic({ runbook: plan.runbook, target: { kind: 'weights', weights }, comment });
    let insyncAt: number | undefined;
    if (r.changeId)
      insyncAt = (
        await act.awaitChangeInsync({ changeId: r.changeId, account: plan.runbook.account, poll: plan.poll, timeoutMs: 10 * 60_000 })
      ).observedAt;
    return {
      appliedAt: r.at,
      ...(insyncAt !== undefined ? { insyncAt } : {}),
      ...(r.previousWeights ? { previous: r.previousWeights } : {}),
    };
  };

  let previous: Readonly<Record<string, number>> | undefined;
  for (const percent of plan.steps) {
    const weights = stepWeights(plan.regions, plan.targetRegion, percent);
    phase = `step ${percent}%`;
    detail = `applying ${Object.entries(weights)
      .map(([r, w]) => `${r}=${w}`)
      .join(', ')}`;
    const applied = await apply(weights);
    // The weights before the first step are the ones a rollback restores to, then each verified step's.
    previous ??= applied.previous;
    detail = `verifying ${percent}% for ${plan.holdMs} ms`;
    const watch = await act.watchHealthAlarms({ runbook: plan.runbook, regions: plan.regions, durationMs: plan.holdMs, poll: plan.poll });
    steps.push({
      percent,
      weights,
      appliedAt: applied.appliedAt,
      ...(applied.insyncAt !== undefined ? { insyncAt: applied.insyncAt } : {}),
      verified: watch.ok,
      alarms: watch.alarms,
    });
    if (!watch.ok) {
      const firing = watch.alarms.filter((a) => a.stateValue === 'ALARM').map((a) => a.alarmName);
      const restore = { ...(previous ?? stepWeights(plan.regions, plan.targetRegion, 0)) };
      phase = 'rolling-back';
      detail = `alarm ${firing.join(', ')} fired at ${percent}%: restoring ${Object.entries(restore)
        .map(([r, w]) => `${r}=${w}`)
        .join(', ')}`;
      // The rollback is an undo step: it runs even if the workflow is being cancelled.
      await CancellationScope.nonCancellable(() => apply(restore));
      phase = 'done';
      return {
        workflowId: info.workflowId,
        runbook: plan.runbookName,
        targetRegion: plan.targetRegion,
        outcome: 'rolled-back',
        steps,
        rolledBackTo: restore,
        reason: `health alarm ${firing.join(', ')} fired at ${percent}% to ${plan.targetRegion}`,
      };
    }
    previous = weights;
  }
  phase = 'done';
  detail = `${plan.targetRegion} at ${plan.steps[plan.steps.length - 1]}%`;
  return { workflowId: info.workflowId, runbook: plan.runbookName, targetRegion: plan.targetRegion, outcome: 'completed', steps };
}
