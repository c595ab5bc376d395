/**
 * One region cut's state and the work behind its steps: what it observed (`RegionCutObserved`),
 * the template, experiment and measurement calls, the chained promotion, the undos and the report.
 * The workflow function lists the steps; what the results mean is `lib/region-cut-findings.ts`.
 * Deterministic workflow code; not a workflow.
 */
import {
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  executeChild,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import type { RegionCutInput, RegionCutPlan, RegionCutSteadyState, RegionCutTemplate } from '../../contracts/region-cut';
import type { StartedExperiment } from '../../contracts/az-loss';
import type { RegionPromotionInput } from '../../contracts/promotion';
import type { RunReport } from '../../lib/measurement-types';
import { regionCutEnding, regionCutReport, type RegionCutEnding, type RegionCutObserved } from '../../lib/region-cut-findings';
import { failureMessage, finishRun, stopFisExperimentOrFail, type Run, type RunEnd, type UndoResult } from '../kit';
import { settleAll } from '../settle-all';
import { mutate, observe, prep, undo, waits } from './proxies';

/** The state and step work of one run (see the module doc). */
export class RegionCut {
  /** Everything observed so far. */
  readonly o: RegionCutObserved = {};

  constructor(private readonly run: Run) {}

  private get plan(): RegionCutPlan {
    return this.o.plan!;
  }

  private get ref(): { region: string; account: string } {
    return { region: this.plan.region, account: this.plan.account };
  }

  /** Validates the input: the run's plan. */
  async prepare(input: RegionCutInput): Promise<RegionCutPlan> {
    const plan = (this.o.plan = await prep.prepareRegionCut(input, this.run.workflowId));
    this.run.runbook = plan.runbookName;
    this.run.show({ region: plan.region, secondaryRegion: plan.secondaryRegion, loadBalancers: plan.loadBalancers });
    return plan;
  }

  /** Reads the steady state; fails the run (`SteadyStateNotMet`, nothing injected) when it does not hold. */
  async checkSteadyState(): Promise<RegionCutSteadyState> {
    const s = (this.o.steady = await observe.checkRegionCutSteadyState(this.plan));
    const bad = s.checks.filter((c) => !c.ok);
    if (bad.length > 0) {
      const message = `steady state not met, no fault injected: ${bad.map((c) => `${c.name} (found ${c.found})`).join('; ')}`;
      throw ApplicationFailure.create({ type: 'SteadyStateNotMet', message, nonRetryable: true });
    }
    return s;
  }

  /** Creates the run's template (its undo, registered as the step begins, deletes it). */
  async createTemplate(): Promise<RegionCutTemplate> {
    this.o.template = await mutate.createRegionCutTemplate({ plan: this.plan, workflowId: this.run.workflowId });
    return this.o.template;
  }

  /** Undo of the template step: deletes every template of the run (harmless when none). */
  async deleteTemplate(): Promise<void> {
    if (!this.o.plan) return;
    const r = await undo.deleteRegionCutTemplate({ plan: this.plan, workflowId: this.run.workflowId });
    this.o.templatesDeleted = [...(this.o.templatesDeleted ?? []), ...r.deleted];
  }

  /** The fault: starts the experiment; runs to its end even when an abort arrives, so its undo knows the id. */
  async startExperiment(): Promise<StartedExperiment> {
    const id = this.run.workflowId;
    const input = {
      ...this.ref,
      templateId: this.o.template!.id,
      clientToken: `gameday-${id}-region-cut`.slice(0, 1024),
      tags: { 'gameday-run': id, 'gameday-managed': 'true' },
    };
    const exp = (this.o.experiment = await CancellationScope.nonCancellable(() => mutate.startFisExperiment(input)));
    this.run.show({ experimentId: exp.experimentId });
    return exp;
  }

  /** Stops the experiment (read first; harmless twice); a failed stop fails the run loudly, naming it. */
  async stopExperiment(): Promise<void> {
    const { experimentId } = this.o.experiment!;
    const stop = () => undo.stopFisExperiment({ ...this.ref, experimentId });
    this.o.stopped = await stopFisExperimentOrFail(stop, experimentId, this.plan.region, (m) => (this.o.stopFailure = m));
  }

  /**
   * The measurement: the three detections start together with the wait for the cut to take effect
   * (so each one's first read precedes the fault), and all are awaited.
   */
  async measure(): Promise<string> {
    const p = this.plan;
    const w = waits(p);
    const common = { ...this.ref, timeoutMs: p.detectionTimeoutMs, pollIntervalMs: p.pollIntervalMs };
    const valuesByRegion = this.o.steady!.valuesByRegion;
    const [fault, hc, dns, alarms] = await settleAll([
      w.awaitFaultInEffect({
        ...this.ref,
        experimentId: this.o.experiment!.experimentId,
        actionName: p.cutActionName,
        timeoutMs: 5 * 60_000,
      }),
      w.awaitHealthChecksFailed({ ...common, healthChecks: p.healthChecks }),
      w.awaitDnsAnswersSecondary({ plan: p, valuesByRegion, timeoutMs: p.detectionTimeoutMs }),
      w.awaitHealthAlarmsFired({ ...common, alarms: p.healthAlarms }),
    ]);
    Object.assign(this.o, { fault, healthChecks: hc, dns, alarms });
    this.run.observe(Math.max(...[hc, dns, alarms].map((d) => d.observedAt ?? d.firstReadAt)));
    return [hc, dns, alarms].map((d) => (d.observedAt !== undefined ? `${d.what}: seen` : `${d.what}: ${d.timedOut}`)).join('; ');
  }

  /** The chained promotion: `regionPromotionWorkflow` as a child, its own abort policy in charge. */
  async promote(): Promise<string> {
    const p = this.plan;
    const workflowId = p.promote!.workflowId; // one promotion of a global cluster at a time: its fixed id
    this.o.promotion = { workflowId };
    this.run.show({ promotionWorkflowId: workflowId });
    const args: RegionPromotionInput = {
      runbook: p.runbookName,
      targetRegion: p.secondaryRegion,
      mode: p.promote!.mode,
      failback: p.promote!.failback,
      ...(p.requestedBy ? { requestedBy: p.requestedBy } : {}),
    };
    try {
      const report = await executeChild<(i: RegionPromotionInput) => Promise<RunReport>>('regionPromotionWorkflow', {
        args: [args],
        workflowId,
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
      });
      this.o.promotion = { workflowId, report };
      return `promotion ${report.outcome}, verdict ${report.measurement.verdict}`;
    } catch (err) {
      if (isCancellation(err)) throw err;
      this.o.promotion = { workflowId, failure: failureMessage(err) };
      throw err;
    }
  }

  /** After the stop: waits until the cut region serves again (a timeout is a note, not a failure). */
  async awaitRestored(): Promise<string> {
    const p = this.plan;
    const d = await waits(p).awaitRegionRestored({
      plan: p,
      valuesByRegion: this.o.steady!.valuesByRegion,
      timeoutMs: p.detectionTimeoutMs,
    });
    this.o.restored = d;
    return d.observedAt !== undefined ? `${p.region} serves again` : `${d.what}: ${d.timedOut}`;
  }

  /** How the run ends after the measurement. */
  ending(): RegionCutEnding {
    return regionCutEnding(this.o);
  }

  /** The report so far, for the `report` query while the run goes (undefined before the plan). */
  liveReport(): RunReport | undefined {
    const ids = { workflowId: this.run.workflowId, runId: workflowInfo().runId };
    return regionCutReport(ids, this.o, { outcome: 'running', reason: `running (step ${this.run.tracker.current}): the report so far` });
  }

  /** The report of any ending, filed through `finishRun` (undefined when the input never validated). */
  async finish(end: RunEnd<RegionCutEnding>, undone: UndoResult): Promise<RunReport | undefined> {
    const ending: RegionCutEnding =
      undone.failures.length > 0
        ? { outcome: 'failed', reason: this.o.stopFailure ?? `undo failed: ${undone.failures.join('; ')}` }
        : end.kind === 'completed'
          ? end.value
          : { outcome: end.kind === 'failed' ? 'failed' : 'aborted', reason: end.reason };
    const report = regionCutReport({ workflowId: this.run.workflowId, runId: workflowInfo().runId }, this.o, ending);
    return report && finishRun(report, { runbook: this.plan.runbookName, region: this.plan.region });
  }
}
