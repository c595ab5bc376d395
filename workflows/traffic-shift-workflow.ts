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
import type { TrafficShiftInput, TrafficShiftPlan } from '../activities/promotion/prepare-promotion';
import type { TrafficShiftReport, TrafficStepRecord } from '../contracts/traffic-shift';
import { remainingSteps, shareOf, stepWeights } from '../lib/traffic-weights';
import { Run, type RunEnd } from './kit';

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

/** Shifts traffic in steps with verification, rollback and undo (see the module doc). */
export async function trafficShiftWorkflow(input: TrafficShiftInput): Promise<TrafficShiftReport> {
  const run = new Run('trafficShiftWorkflow', ['validate', 'read-weights'], typeof input?.runbook === 'string' ? input.runbook : undefined);
  const state: { plan?: TrafficShiftPlan; initial?: Readonly<Record<string, number>>; steps: TrafficStepRecord[] } = { steps: [] };
  run.show({ steps: state.steps });

  const shift = async (): Promise<Shifted> => {
    const plan = await run.step('validate', () => prep.prepareTrafficShift({ input }), {
      summary: (p) => `to ${p.targetRegion} in ${p.steps.join(' → ')} %`,
    });
    state.plan = plan;
    const act = actsFor(plan);
    const apply = async (weights: Readonly<Record<string, number>>): Promise<{ at: number; insyncAt?: number }> => {
      const r = await act.shiftTraffic({
        runbook: plan.runbook,
        target: { kind: 'weights', weights },
        comment: `gameday ${run.workflowId}`,
      });
      if (!r.changeId) return { at: r.at };
      const insync = await act.awaitChangeInsync({
        changeId: r.changeId,
        account: plan.runbook.account,
        poll: plan.poll,
        timeoutMs: 10 * 60_000,
      });
      return { at: r.at, insyncAt: insync.observedAt };
    };

    const current = await run.step('read-weights', () => act.readTrafficWeights({ runbook: plan.runbook }), {
      at: (r) => r.at,
      summary: (r) => fmt(r.weights),
    });
    state.initial = current.weights;
    const share = shareOf(current.weights, plan.targetRegion);
    const todo = remainingSteps(plan.steps, share);
    if (todo.length === 0)
      return {
        outcome: 'no-op',
        reason: `${plan.targetRegion} already holds ${share} % of the traffic (${fmt(current.weights)}); nothing to shift`,
      };
    run.undo(`restore weights ${fmt(current.weights)}`, () => apply(current.weights));

    let verified: Readonly<Record<string, number>> = current.weights;
    for (const percent of todo) {
      const weights = stepWeights(plan.regions, plan.targetRegion, percent);
      const applied = await run.step(`shift ${percent}%`, () => apply(weights), {
        detail: `applying ${fmt(weights)}`,
        at: (a) => a.insyncAt ?? a.at,
      });
      const watch = await run.step(
        `verify ${percent}%`,
        () => act.watchHealthAlarms({ runbook: plan.runbook, regions: plan.regions, durationMs: plan.holdMs, poll: plan.poll }),
        {
          detail: `watching health alarms for ${plan.holdMs} ms`,
          at: (w) => w.checkedAt,
        },
      );
      state.steps.push({
        percent,
        weights,
        appliedAt: applied.at,
        ...(applied.insyncAt !== undefined ? { insyncAt: applied.insyncAt } : {}),
        verified: watch.ok,
        alarms: watch.alarms,
      });
      if (!watch.ok) {
        const firing = watch.alarms
          .filter((a) => a.stateValue === 'ALARM')
          .map((a) => a.alarmName)
          .join(', ');
        await run.step('roll back', () => apply(verified), { detail: `alarm ${firing} fired at ${percent}%: restoring ${fmt(verified)}` });
        run.undos.drop(`restore weights ${fmt(current.weights)}`);
        return {
          outcome: 'rolled-back',
          reason: `health alarm ${firing} fired at ${percent}% to ${plan.targetRegion}`,
          rolledBackTo: verified,
        };
      }
      verified = weights;
    }
    run.undos.drop(`restore weights ${fmt(current.weights)}`);
    return { outcome: 'completed' };
  };

  const finish = async (end: RunEnd<Shifted>): Promise<TrafficShiftReport> => {
    const base = {
      workflowId: run.workflowId,
      runbook: state.plan?.runbookName ?? String(input?.runbook),
      targetRegion: state.plan?.targetRegion ?? String(input?.targetRegion),
      ...(state.initial ? { initialWeights: state.initial } : {}),
      steps: [...state.steps],
    };
    if (end.kind === 'completed') return { ...base, ...end.value };
    const restored = state.initial && state.steps.length > 0 ? { rolledBackTo: state.initial } : {};
    return { ...base, outcome: 'aborted', reason: end.reason, ...restored };
  };

  return run.execute({ steps: shift, finish, failureType: 'TrafficShiftFailed' });
}
