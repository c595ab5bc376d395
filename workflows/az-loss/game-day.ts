/**
 * One AZ-loss game day's state and the work behind its steps: what it observed so far (raw
 * activity results, `AzLossObserved`), the template, canary and experiment calls, the undo of the
 * experiment and of the canary, and the report at the end. The workflow function lists the steps;
 * what the results mean is `lib/az-loss-findings.ts`. Deterministic workflow code; not a workflow.
 */
import { ApplicationFailure, CancellationScope, workflowInfo } from '@temporalio/workflow';
import type { AzLossInput, AzLossPlan, StartedExperiment, SteadyState } from '../../contracts/az-loss';
import type { FisTemplateApplied } from '../../contracts/fis-templates';
import { azLossReport, recoveryEnding, reportEnding, steadyStateFailure } from '../../lib/az-loss-findings';
import type { AzLossEnding, AzLossObserved } from '../../lib/az-loss-findings';
import type { RunReport } from '../../lib/measurement-types';
import { finishRun, stopFisExperimentOrFail, type Run, type RunEnd, type UndoResult } from '../kit';
import { AzLossCanary } from './canary';
import { mutate, observe, prep, undo } from './proxies';

/** The state and step work of one run (see the module doc). */
export class AzLossGameDay {
  /** Everything observed so far. */
  readonly o: AzLossObserved = {};
  private canaryState?: AzLossCanary;

  constructor(private readonly run: Run) {}

  private get id(): string {
    return this.run.workflowId;
  }

  /** The plan (set by `prepare`). */
  get plan(): AzLossPlan {
    return this.o.plan!;
  }

  private get ref(): { region: string; account: string } {
    return { region: this.plan.region, account: this.plan.account };
  }

  /** Validates the input: the run's plan. */
  async prepare(input: AzLossInput): Promise<AzLossPlan> {
    const plan = (this.o.plan = await prep.prepareAzLoss(input));
    this.run.runbook = plan.runbookName;
    this.run.show({ az: plan.az, region: plan.region, template: plan.template.name });
    return plan;
  }

  /** Reads the steady state; fails the run (`SteadyStateNotMet`, no fault injected) when it does not hold. */
  async checkSteadyState(): Promise<SteadyState> {
    const p = this.plan;
    const steady = (this.o.steady = await observe.checkAzSteadyState({
      ...this.ref,
      az: p.az,
      components: p.components,
      stopConditionAlarms: p.stopConditionAlarms,
      healthAlarms: p.healthAlarms,
    }));
    this.run.show({ inAz: steady.inAz });
    const notMet = steadyStateFailure(steady);
    if (notMet) throw ApplicationFailure.create({ type: 'SteadyStateNotMet', message: notMet, nonRetryable: true });
    return steady;
  }

  /** The template: found by its tags, updated if different, created otherwise. */
  async applyTemplate(): Promise<FisTemplateApplied> {
    const p = this.plan;
    const tpl = { name: p.template.name, region: p.region, account: p.account, input: p.template.input };
    const found = await observe.findFisTemplate(tpl);
    this.o.template = !found.id
      ? await mutate.createFisTemplate({ template: tpl, clientToken: `gameday:${this.id}:template:${tpl.name}` })
      : found.differences.length > 0
        ? await mutate.updateFisTemplate({ template: tpl, id: found.id })
        : { name: tpl.name, region: tpl.region, id: found.id, action: 'unchanged' };
    return this.o.template;
  }

  /** The run's canary (once the plan is known). */
  get canary(): AzLossCanary {
    this.canaryState ??= new AzLossCanary(this.plan, this.id, this.o);
    return this.canaryState;
  }

  /**
   * The fault: starts the experiment (deterministic client token). Runs to its end even when an
   * abort arrives meanwhile, so the run always knows the experiment its undo must stop.
   */
  async startExperiment(): Promise<StartedExperiment> {
    const tags = { 'gameday-run': this.id, 'gameday-managed': 'true' };
    const input = { ...this.ref, templateId: this.o.template!.id, clientToken: `gameday:${this.id}:experiment`, tags };
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

  /** How the run ends after recovery: completed or halted; fails the run when something did not recover. */
  ending(): AzLossEnding {
    const e = recoveryEnding(this.o.recovery!, this.plan);
    if ('failure' in e) throw ApplicationFailure.create({ type: e.type, message: e.failure, nonRetryable: true });
    return e;
  }

  /** The report so far while the run goes (the `report` query); undefined before the plan exists. */
  liveReport(): RunReport | undefined {
    const ids = { workflowId: this.id, runId: workflowInfo().runId };
    return azLossReport(ids, this.o, { outcome: 'running', reason: `running (step ${this.run.tracker.current}): the report so far` });
  }

  /** The report of any ending, filed through `finishRun` (undefined when the input never validated). */
  async finish(end: RunEnd<AzLossEnding>, undone: UndoResult): Promise<RunReport | undefined> {
    const ids = { workflowId: this.id, runId: workflowInfo().runId };
    const report = azLossReport(ids, this.o, reportEnding(end, undone.failures, this.o.stopFailure));
    return report && finishRun(report, { runbook: this.plan.runbookName, region: this.plan.region });
  }
}
