/**
 * `trafficShiftWorkflow`: moves traffic to a region in weighted steps (runbook
 * `route53.routing.steps`, e.g. 10 → 50 → 100 %). Steps: validate → read the current weights
 * (refuse, as a no-op with the reason, when the target already holds that share: a shift never
 * moves traffic the wrong way) → per step: apply in one Route 53 batch, await INSYNC, watch the
 * health alarms for `holdMs`. An alarm rolls the weights back to the last verified step and ends
 * `rolled-back`. An abort or a cancellation restores the weights read before the first step
 * (non-cancellable undo). Start from the UI with `{"runbook":"orders-prod","targetRegion":"eu-central-1"}`.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { TrafficShiftActivities } from '../activities';
import type { TrafficShiftInput, TrafficShiftPlan } from '../activities/promotion/prepare-traffic-shift';
import type { TrafficShiftReport, TrafficStepRecord } from '../contracts/traffic-shift';
import { remainingSteps, shareOf, stepWeights } from '../lib/traffic-weights';
import { awsCallsFields } from '../lib/aws-call-count';
import { awsCallTally, Run, type RunEnd } from './kit';

const prep = proxyActivities<TrafficShiftActivities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 3 } });

/** Activity proxies whose heartbeat timeout follows the plan's poll interval and clock scale. */
function actsFor(plan: TrafficShiftPlan) {
  const heartbeatTimeout = Math.max(10_000, Math.ceil((3 * plan.poll.intervalMs) / plan.clockScale));
  return proxyActivities<TrafficShiftActivities>({
    startToCloseTimeout: '1h',
    heartbeatTimeout,
    retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 12 },
  });
}

const fmt = (w: Readonly<Record<string, number>>): string =>
  Object.entries(w)
    .map(([r, v]) => `${r}=${v}`)
    .join(', ');

/** What the steps of a shift produced. */
interface Shifted {
  readonly outcome: 'completed' | 'rolled-back' | 'no-op';
  readonly reason?: string;
  readonly rolledBackTo?: Readonly<Record<string, number>>;
}

/** What a traffic shift has seen so far. */
interface ShiftState {
  plan?: TrafficShiftPlan;
  initial?: Readonly<Record<string, number>>;
  readonly steps: TrafficStepRecord[];
}

/** Shifts traffic in steps with verification, rollback and undo (see the module doc). */
export async function trafficShiftWorkflow(input: TrafficShiftInput): Promise<TrafficShiftReport> {
  const run = new Run('trafficShiftWorkflow', ['validate', 'read-weights'], typeof input?.runbook === 'string' ? input.runbook : undefined);
  const state: ShiftState = { steps: [] };
  run.show({ steps: state.steps });
  const base = () => ({
    workflowId: run.workflowId,
    runbook: state.plan?.runbookName ?? String(input?.runbook),
    targetRegion: state.plan?.targetRegion ?? String(input?.targetRegion),
    ...(state.initial ? { initialWeights: state.initial } : {}),
    steps: [...state.steps],
  });
  run.reportWhileRunning(() => state.plan && { ...base(), outcome: 'running', reason: `running (step ${run.tracker.current})` });
  const finish = async (end: RunEnd<Shifted>): Promise<TrafficShiftReport> => {
    const counted = awsCallsFields(awsCallTally());
    const resolution = counted.awsCalls !== undefined ? { resolution: counted } : {};
    if (end.kind === 'completed') return { ...base(), ...end.value, ...resolution };
    const restored = state.initial && state.steps.length > 0 ? { rolledBackTo: state.initial } : {};
    return { ...base(), outcome: 'aborted', reason: end.reason, ...restored, ...resolution };
  };
  return run.execute({ steps: () => shift(run, state, input), finish, failureType: 'TrafficShiftFailed' });
}

/** Applies weights in one batch and waits until the change is INSYNC. */
async function applyWeights(
  run: Run,
  plan: TrafficShiftPlan,
  weights: Readonly<Record<string, number>>,
): Promise<{ at: number; insyncAt?: number }> {
  const act = actsFor(plan);
  const r = await act.shiftTraffic({ runbook: plan.runbook, target: { kind: 'weights', weights }, comment: `gameday ${run.workflowId}` });
  if (!r.changeId) return { at: r.at };
  const insync = await act.awaitChangeInsync({
    changeId: r.changeId,
    account: plan.runbook.account,
    poll: plan.poll,
    timeoutMs: 10 * 60_000,
  });
  return { at: r.at, insyncAt: insync.observedAt };
}

/** The steps: validate, read the weights (direction check), then each percent applied and verified. */
async function shift(run: Run, state: ShiftState, input: TrafficShiftInput): Promise<Shifted> {
  const plan = await run.step('validate', () => prep.prepareTrafficShift({ input }), {
    summary: (p) => `to ${p.targetRegion} in ${p.steps.join(' → ')} %`,
  });
  state.plan = plan;
  const act = actsFor(plan);
  const apply = (w: Readonly<Record<string, number>>) => applyWeights(run, plan, w);
  const current = await run.step('read-weights', () => act.readTrafficWeights({ runbook: plan.runbook }), {
    at: (r) => r.at,
    summary: (r) => fmt(r.weights),
  });
  state.initial = current.weights;
  const share = shareOf(current.weights, plan.targetRegion);
  const todo = remainingSteps(plan.steps, share);
  if (todo.length === 0) {
    return {
      outcome: 'no-op',
      reason: `${plan.targetRegion} already holds ${share} % of the traffic (${fmt(current.weights)}); nothing to shift`,
    };
  }
  const undo = `restore weights ${fmt(current.weights)}`;
  run.undo(undo, () => apply(current.weights));
  let verified: Readonly<Record<string, number>> = current.weights;
  for (const percent of todo) {
    const weights = stepWeights(plan.regions, plan.targetRegion, percent);
    const applied = await run.step(`shift ${percent}%`, () => apply(weights), {
      detail: `applying ${fmt(weights)}`,
      at: (a) => a.insyncAt ?? a.at,
    });
    const hold = { runbook: plan.runbook, regions: plan.regions, durationMs: plan.holdMs, poll: plan.poll };
    const watch = await run.step(`verify ${percent}%`, () => act.watchHealthAlarms(hold), {
      detail: `watching health alarms for ${plan.holdMs} ms`,
      at: (w) => w.checkedAt,
    });
    const insync = applied.insyncAt !== undefined ? { insyncAt: applied.insyncAt } : {};
    state.steps.push({ percent, weights, appliedAt: applied.at, ...insync, verified: watch.ok, alarms: watch.alarms });
    if (!watch.ok) {
      const firing = watch.alarms
        .filter((a) => a.stateValue === 'ALARM')
        .map((a) => a.alarmName)
        .join(', ');
      await run.step('roll back', () => apply(verified), { detail: `alarm ${firing} fired at ${percent}%: restoring ${fmt(verified)}` });
      run.undos.drop(undo);
      return {
        outcome: 'rolled-back',
        reason: `health alarm ${firing} fired at ${percent}% to ${plan.targetRegion}`,
        rolledBackTo: verified,
      };
    }
    verified = weights;
  }
  run.undos.drop(undo);
  return { outcome: 'completed' };
}
