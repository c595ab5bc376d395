/**
 * One instance termination's state and the work behind its steps: what it observed
 * (`TerminationObserved`), the selection, the termination, the recovery watches and the report.
 * The workflow function lists the steps; what the results mean is
 * `lib/instance-termination-findings.ts`. Deterministic workflow code; not a workflow.
 */
import { ActivityCancellationType, ApplicationFailure, CancellationScope, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { InstanceTerminationActivities } from '../../activities';
import type {
  InstanceTerminationInput,
  InstanceTerminationPlan,
  TerminationDone,
  TerminationSelection,
  TerminationSteadyState,
} from '../../contracts/instance-termination';
import {
  terminationEnding,
  terminationReport,
  type TerminationEnding,
  type TerminationObserved,
} from '../../lib/instance-termination-findings';
import type { RunReport } from '../../lib/measurement-types';
import { finishRun, type Run, type RunEnd, type UndoResult } from '../kit';
import { settleAll } from '../settle-all';

const NON_RETRYABLE = ['InvalidInstanceTerminationInput', 'BlastRadiusTooSmall', 'OutsideBlastRadius'];
const prep = proxyActivities<InstanceTerminationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});
const act = proxyActivities<InstanceTerminationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 6, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** The measured waits of a plan (cancelled waits are awaited until the activity stopped). */
function waits(p: InstanceTerminationPlan) {
  return proxyActivities<InstanceTerminationActivities>({
    startToCloseTimeout: p.recoveryTimeoutMs + p.alarmFireTimeoutMs + 5 * 60_000,
    heartbeatTimeout: Math.max(10_000, Math.ceil((4 * p.pollIntervalMs) / p.clockScale)),
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

/** The state and step work of one run (see the module doc). */
export class ChaosMonkey {
  /** Everything observed so far. */
  readonly o: TerminationObserved = {};

  constructor(private readonly run: Run) {}

  private get plan(): InstanceTerminationPlan {
    return this.o.plan!;
  }

  /** Validates the input: the run's plan. */
  async prepare(input: InstanceTerminationInput): Promise<InstanceTerminationPlan> {
    const plan = (this.o.plan = await prep.prepareInstanceTermination(input));
    this.run.runbook = plan.runbookName;
    this.run.show({ autoScalingGroup: plan.autoScalingGroup, share: plan.share, region: plan.region });
    return plan;
  }

  /** Reads the steady state; fails the run (`SteadyStateNotMet`, nothing terminated) when it does not hold. */
  async checkSteadyState(): Promise<TerminationSteadyState> {
    const s = (this.o.steady = await act.checkTerminationSteadyState(this.plan));
    const bad = s.checks.filter((c) => !c.ok);
    if (bad.length > 0) {
      const message = `steady state not met, nothing terminated: ${bad.map((c) => `${c.name} (found ${c.found})`).join('; ')}`;
      throw ApplicationFailure.create({ type: 'SteadyStateNotMet', message, nonRetryable: true });
    }
    return s;
  }

  /** Chooses the instances (recorded in history, so a retry terminates the same ones). */
  async select(): Promise<TerminationSelection> {
    this.o.selection = await act.selectInstancesToTerminate({ plan: this.plan, seed: this.run.workflowId });
    this.run.show({ instances: this.o.selection.instanceIds });
    return this.o.selection;
  }

  /** The fault; runs to its end even when an abort arrives, so the report knows what was terminated. */
  async terminate(): Promise<TerminationDone> {
    const input = { plan: this.plan, instanceIds: this.o.selection!.instanceIds };
    this.o.terminated = await CancellationScope.nonCancellable(() => act.terminateInstances(input));
    return this.o.terminated;
  }

  /** The three recovery watches, started together right after the termination. */
  async awaitRecovery(): Promise<string> {
    const w = waits(this.plan);
    const terminated = this.o.terminated!.instanceIds;
    const [capacity, targetGroup, alarm] = await settleAll([
      w.awaitCapacityRestored({ plan: this.plan, terminated }),
      w.awaitTargetGroupHealthy({ plan: this.plan, terminated, desiredCapacity: this.o.steady!.desiredCapacity }),
      w.awaitServiceAlarmOk({ plan: this.plan, since: this.o.terminated!.at }),
    ]);
    Object.assign(this.o, { capacity, targetGroup, alarm });
    return [capacity, targetGroup, alarm.ok ?? alarm.fired]
      .map((d) => (d.observedAt !== undefined ? `${d.what}: seen` : `${d.what}: ${d.timedOut}`))
      .join('; ');
  }

  /** How the run ends after the watches; fails the run (report attached) when it did not recover in time. */
  ending(): TerminationEnding {
    const e = terminationEnding(this.o);
    if ('failure' in e) throw ApplicationFailure.create({ type: 'NoRecoveryInTime', message: e.failure, nonRetryable: true });
    return e;
  }

  /** The report so far, for the `report` query while the run goes (undefined before the plan). */
  liveReport(): RunReport | undefined {
    const ids = { workflowId: this.run.workflowId, runId: workflowInfo().runId };
    return terminationReport(ids, this.o, { outcome: 'running', reason: `running (step ${this.run.tracker.current}): the report so far` });
  }

  /** The report of any ending, filed through `finishRun` (undefined when the input never validated). */
  async finish(end: RunEnd<TerminationEnding>, undone: UndoResult): Promise<RunReport | undefined> {
    const ending: TerminationEnding =
      undone.failures.length > 0
        ? { outcome: 'failed', reason: `undo failed: ${undone.failures.join('; ')}` }
        : end.kind === 'completed'
          ? end.value
          : { outcome: end.kind === 'failed' ? 'failed' : 'aborted', reason: end.reason };
    const report = terminationReport({ workflowId: this.run.workflowId, runId: workflowInfo().runId }, this.o, ending);
    return report && finishRun(report, { runbook: this.plan.runbookName, region: this.plan.region });
  }
}
