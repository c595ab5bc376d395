/**
 * azLossGameDayWorkflow: the AZ-loss game day driven by an AWS FIS experiment.
 *
 *   prepare (validate input, render + validate the template) → steady state → template created or
 *   updated (tagged gameday-managed) → canary started → experiment started (deterministic
 *   clientToken from the workflow id) → per-component recovery watches (Aurora writer out of the
 *   AZ, ElastiCache primary moved, Auto Scaling group instances replaced) → health alarms OK → experiment stopped → RTO per component and
 *   RPO (canary) against the AZ targets (RTO < 1 min, RPO 0) → RunReport.
 *
 * The experiment is stopped in a non-cancellable scope on every path: recovery verified, abort
 * signal, workflow cancellation, a stop condition (FIS already stopped it; the stop is a read) or a
 * failure. A stop-condition halt ends the run with outcome `halted` and names the alarm that fired.
 * A stop that fails fails the run loudly (after the report is built), naming the experiment.
 *
 * Start from the Temporal UI with workflow type `azLossGameDayWorkflow`, task queue `gameday`,
 * input `{"runbook":"payments-prod","az":"us-east-1a"}`.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  AzLossInput,
  AzLossPlan,
  ComponentWatchResult,
  ExperimentEnd,
  PreparedFisTemplate,
  StartedExperiment,
} from '../activities/az-loss/types';
import type { CanaryMeasurementInput } from '../lib/timeline';
import { measure } from '../lib/timeline';
import type { RunReport, TimelineEvent } from '../lib/measurement-types';
import { SEARCH_KEYS } from '../lib/search-attributes';
import { startCanary, type CanaryHandle } from './canary';
import { recordEvidence } from './evidence';
import { abortSignal, statusQuery, type AbortRequest, type RunStatus } from './messages';

export type { AzLossInput } from '../activities/az-loss/types';

/** FIS action ids that impair each component kind (to find the action's start time). */
const ACTIONS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  aurora: ['aws:rds:failover-db-cluster', 'aws:rds:reboot-db-instances'],
  elasticache: ['aws:elasticache:replicationgroup-interrupt-az-power'],
  ec2: ['aws:ec2:stop-instances'],
};

/**
 * FIS action ids that impair each component kind: its own actions plus an AZ-wide network
 * disruption (which isolates a writer/primary in the AZ). A component whose kind no template
 * action impairs is not watched (its recovery would never come), and the report says so.
 */
const IMPAIRED_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  aurora: [...(ACTIONS_BY_KIND.aurora ?? []), 'aws:network:disrupt-connectivity'],
  elasticache: [...(ACTIONS_BY_KIND.elasticache ?? []), 'aws:elasticache:interrupt-cluster-az-power', 'aws:network:disrupt-connectivity'],
  ec2: ACTIONS_BY_KIND.ec2 ?? [],
};

const NON_RETRYABLE = ['InvalidAzLossInput', 'InvalidFisTemplate', 'InvalidRunbook', 'RunbookValidationError'];

const prepare = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});
const observe = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});
const mutate = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 6 },
});
const cleanup = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** How the wait after the fault ended. */
type WaitResult =
  | { readonly kind: 'recovered'; readonly watches: ComponentWatchResult[] }
  | { readonly kind: 'ended'; readonly end: ExperimentEnd }
  | { readonly kind: 'abort' };

/** Runs one AZ-loss game day (see the module doc) and returns its report. */
export async function azLossGameDayWorkflow(input: AzLossInput): Promise<RunReport> {
  const info = workflowInfo();
  let status: RunStatus = { workflow: 'azLossGameDayWorkflow', phase: 'preparing' };
  setHandler(statusQuery, () => status);
  const abortState: { req?: AbortRequest } = {};
  setHandler(abortSignal, (req) => {
    abortState.req ??= req;
  });
  const abortRequest = (): AbortRequest | undefined => abortState.req;
  const setPhase = (phase: string, detail?: string, data?: Record<string, unknown>): void => {
    status = { workflow: 'azLossGameDayWorkflow', runbook: plan?.runbookName ?? input?.runbook, phase, ...(detail ? { detail } : {}), ...(data ? { data } : {}) };
  };

  let plan: AzLossPlan | undefined;
  plan = await prepare.prepareAzLoss(input);
  const p = plan;
  upsertSearchAttributes([
    { key: SEARCH_KEYS.service, value: p.runbook.service },
    { key: SEARCH_KEYS.scenario, value: 'az-loss' },
    { key: SEARCH_KEYS.tier, value: p.runbook.tier },
  ]);
  const ref = { region: p.region, account: p.account };
  const timeline: TimelineEvent[] = [];
  const notes: string[] = [...p.template.omitted.map((o) => `template ${p.template.name}: left out ${o}`)];
  const details: Record<string, unknown> = { runbook: p.runbookName, az: p.az, region: p.region, template: p.template.name };
  let outcome: RunReport['outcome'] = 'completed';
  let outcomeReason: string | undefined;

  // Steady state.
  setPhase('checking-steady-state');
  const steady = await observe.checkAzSteadyState({ ...ref, az: p.az, components: p.components, stopConditionAlarms: p.stopConditionAlarms, healthAlarms: p.healthAlarms });
  details.steadyState = steady.checks;
  details.componentsInAz = steady.inAz;
  if (!steady.ok) {
    const failed = steady.checks.filter((c) => !c.ok).map((c) => `${c.name}: expected ${c.expected}, found ${c.found}`);
    return conclude(finish(p, timeline, notes, details, 'failed', `steady state not met, no fault injected: ${failed.join('; ')}`));
  }
  if (abortRequest()) return conclude(finish(p, timeline, notes, details, 'aborted', `aborted before the fault: ${abortRequest()!.reason}`));

  // Template: find by tags, update if different, create otherwise.
  setPhase('applying-template');
  const tpl: PreparedFisTemplate = { name: p.template.name, region: p.region, account: p.account, input: p.template.input };
  const lookup = await observe.findFisTemplate(tpl);
  const applied = lookup.id
    ? lookup.differences.length > 0
      ? await mutate.updateFisTemplate({ template: tpl, id: lookup.id })
      : { name: tpl.name, region: tpl.region, id: lookup.id, action: 'unchanged' as const }
    : await mutate.createFisTemplate({ template: tpl, clientToken: `gameday:${info.workflowId}:template:${tpl.name}` });
  details.templateId = applied.id;
  details.templateAction = applied.action;
  if (abortRequest()) return conclude(finish(p, timeline, notes, details, 'aborted', `aborted before the fault: ${abortRequest()!.reason}`));

  // Canary (RPO) from before the fault until after recovery.
  let canary: CanaryHandle | undefined;
  let canaryInput: CanaryMeasurementInput;
  if (!p.runbook.canary) canaryInput = { notMeasured: `runbook ${p.runbookName} has no canary section` };
  else if (!p.runbookByName) canaryInput = { notMeasured: 'the canary loads the runbook by name in the worker; start the run with a runbook name from the worker\'s runbook folder' };
  else {
    canary = startCanary({ runbook: p.runbookName, runId: info.workflowId, maxDurationMs: p.recoveryTimeoutMs + 30 * 60_000 });
    canaryInput = { notMeasured: 'the canary was not read' };
  }

  const watchTimeout = p.recoveryTimeoutMs + 5 * 60_000;
  const watch = proxyActivities<Activities>({
    startToCloseTimeout: watchTimeout,
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
  });

  let experiment: StartedExperiment | undefined;
  let cancelled: unknown;
  let stopFailure: string | undefined;
  try {
    setPhase('starting-experiment');
    experiment = await mutate.startFisExperiment({
      ...ref,
      templateId: applied.id,
      clientToken: `gameday:${info.workflowId}:experiment`,
      tags: { 'gameday-run': info.workflowId, 'gameday-managed': 'true' },
    });
    const exp = experiment;
    details.experimentId = exp.experimentId;
    timeline.push({ name: 'fault-injected', at: exp.startedAt, source: 'startFisExperiment', detail: `FIS experiment ${exp.experimentId} (${p.template.name}) in ${p.az}` });
    setPhase('awaiting-recovery', `experiment ${exp.experimentId} running`, { experimentId: exp.experimentId, inAz: steady.inAz });

    const templateActions = Object.fromEntries(Object.entries(p.template.input.actions).map(([name, a]) => [name, a.actionId]));
    // A component is watched when it is in the AZ and the template has an action that impairs its kind.
    const templateActionIds = Object.values(templateActions);
    const impairs = (kind: string): boolean => templateActionIds.some((id) => (IMPAIRED_BY_KIND[kind] ?? []).includes(id));
    for (const c of p.components) {
      if (!steady.inAz.includes(c.id)) {
        notes.push(c.kind === 'ec2'
          ? `${c.id}: instance replacement not measured: no InService instance of the group was in ${p.az} before the fault`
          : `${c.id}: not impaired, its writer/primary was outside ${p.az} before the fault`);
      } else if (!impairs(c.kind)) {
        notes.push(c.kind === 'ec2'
          ? `${c.id}: instance replacement not measured: template ${p.template.name} stops no instances (no ${(IMPAIRED_BY_KIND.ec2 ?? []).join(', ')} action)`
          : `${c.id}: not impaired, template ${p.template.name} has no action on it (${(IMPAIRED_BY_KIND[c.kind] ?? []).join(', ')})`);
      }
    }
    const watched = p.components.filter((c) => steady.inAz.includes(c.id) && impairs(c.kind));

    const scope = new CancellationScope();
    const quiet = <T>(promise: Promise<T>): Promise<T> => {
      promise.catch(() => undefined); // rejections are handled where awaited; cancelled leftovers are expected
      return promise;
    };
    const recovery = quiet(
      scope.run(async (): Promise<WaitResult> => {
        const watches = await Promise.all(
          watched.map((c) =>
            watch.watchComponentRecovery({
              ...ref,
              az: p.az,
              component: c,
              faultAt: exp.startedAt,
              experimentId: exp.experimentId,
              actionIds: ACTIONS_BY_KIND[c.kind] ?? [],
              templateActions,
              timeoutMs: p.recoveryTimeoutMs,
              pollIntervalMs: p.pollIntervalMs,
            }),
          ),
        );
        return { kind: 'recovered', watches };
      }),
    );
    const ended = quiet(
      scope.run(async (): Promise<WaitResult> => ({
        kind: 'ended',
        end: await watch.awaitFisExperimentEnd({ ...ref, experimentId: exp.experimentId, stopConditionAlarms: p.stopConditionAlarms, timeoutMs: p.recoveryTimeoutMs + 12 * 3_600_000, pollIntervalMs: p.pollIntervalMs }),
      })),
    );
    const aborted = quiet(scope.run(async (): Promise<WaitResult> => (await condition(() => abortRequest() !== undefined), { kind: 'abort' })));

    let result = await Promise.race([recovery, ended, aborted]);
    if (result.kind === 'ended' && !result.end.haltedByStopCondition && result.end.status === 'completed') {
      // The actions ran their course; the components may still be recovering.
      details.experimentCompletedAt = result.end.endedAt;
      result = await Promise.race([recovery, aborted]);
    }

    if (result.kind === 'recovered') {
      for (const w of result.watches) {
        timeline.push(...w.events);
        if (w.note) notes.push(w.note);
      }
      details.components = result.watches.map((w) => ({ component: w.component, polls: w.polls, ...(w.recoveredWindow ? { recoveredWindow: w.recoveredWindow } : {}), ...(w.note ? { note: w.note } : {}) }));
      setPhase('awaiting-health', 'components recovered; waiting for the health alarms');
      const lastRecovered = Math.max(exp.startedAt, ...timeline.filter((e) => e.name === 'component-recovered').map((e) => e.at));
      if (p.healthAlarms.length > 0) {
        const healthy = await scope.run(() =>
          watch.awaitHealthAlarmsOk({ ...ref, alarms: p.healthAlarms, timeoutMs: p.recoveryTimeoutMs, pollIntervalMs: p.pollIntervalMs }),
        );
        timeline.push({ name: 'app-healthy', at: Math.max(healthy.observedAt, lastRecovered), source: 'awaitHealthAlarmsOk', detail: healthy.states });
      } else {
        timeline.push({ name: 'app-healthy', at: lastRecovered, source: 'watchComponentRecovery', detail: 'every watched component recovered' });
        notes.push(`no health alarms for ${p.region} (alarms.health): app-healthy = last component recovered`);
      }
      if (result.watches.some((w) => w.note && w.note.includes('did not recover'))) {
        outcome = 'failed';
        outcomeReason = 'a component did not recover within the recovery timeout';
      }
    } else if (result.kind === 'ended') {
      const end = result.end;
      details.experimentEndedAt = end.endedAt;
      if (end.haltedByStopCondition) {
        outcome = 'halted';
        outcomeReason = `stop condition fired: ${end.firedAlarms.join(', ')}${end.reason ? ` (FIS: ${end.reason})` : ''}`;
        details.haltedBy = end.firedAlarms;
      } else {
        outcome = end.status === 'stopped' ? 'halted' : 'failed';
        outcomeReason = `FIS experiment ended ${end.status} before recovery was verified${end.reason ? `: ${end.reason}` : ''}`;
      }
    } else {
      outcome = 'aborted';
      const req = abortRequest()!;
      outcomeReason = `aborted: ${req.reason}${req.by ? ` (by ${req.by})` : ''}`;
      details.abortedBy = req.by;
    }
    scope.cancel();
  } catch (err) {
    if (isCancellation(err)) {
      cancelled = err;
      outcome = 'aborted';
      outcomeReason = 'workflow cancelled';
    } else {
      outcome = 'failed';
      outcomeReason = describe(err);
    }
  } finally {
    // Undo: always stop the experiment, even when the workflow is being cancelled.
    await CancellationScope.nonCancellable(async () => {
      setPhase('stopping-experiment');
      if (experiment) {
        try {
          const stopped = await cleanup.stopFisExperiment({ ...ref, experimentId: experiment.experimentId });
          details.experimentState = stopped.status;
          if (stopped.reason) details.experimentReason = stopped.reason;
          details.experimentStoppedByGameday = stopped.stoppedByUs;
        } catch (err) {
          stopFailure = `FIS experiment ${experiment.experimentId} could not be stopped: ${describe(err)}; stop it by hand: aws fis stop-experiment --id ${experiment.experimentId} --region ${p.region}`;
        }
      }
      if (canary) {
        const writer = await canary.stop();
        if (writer.unavailableReason) canaryInput = { notMeasured: `canary writer: ${writer.unavailableReason}` };
        else {
          try {
            const endpoint = p.runbook.canary!.endpoint;
            const reader = await observe.readCanary({ runbook: p.runbookName, runId: info.workflowId, endpoint });
            canaryInput = { writer, reader };
          } catch (err) {
            canaryInput = { notMeasured: `canary read failed: ${describe(err)}` };
          }
          try {
            const { deleted } = await observe.cleanupCanary({ runbook: p.runbookName, runId: info.workflowId, endpoint: p.runbook.canary!.endpoint });
            notes.push(`canary: ${deleted} row(s) of ${info.workflowId} deleted`);
          } catch (err) {
            notes.push(`canary: rows of ${info.workflowId} not deleted (${describe(err)}); delete them by run id`);
          }
        }
      }
    });
  }

  const report = await conclude(finish(p, timeline, notes, details, stopFailure ? 'failed' : outcome, stopFailure ?? outcomeReason, canaryInput));
  if (stopFailure) throw ApplicationFailure.nonRetryable(stopFailure, 'FisExperimentNotStopped', report);
  if (cancelled) throw cancelled;
  return report;

  function finish(
    pl: AzLossPlan,
    tl: TimelineEvent[],
    ns: string[],
    det: Record<string, unknown>,
    out: RunReport['outcome'],
    reason: string | undefined,
    canaryIn?: CanaryMeasurementInput,
  ): RunReport {
    const measurement = measure({
      timeline: tl,
      targets: pl.targets,
      canary: canaryIn ?? { notMeasured: 'no fault was injected' },
      resolution: { pollIntervalMs: pl.pollIntervalMs },
    });
    status = { workflow: 'azLossGameDayWorkflow', runbook: pl.runbookName, phase: 'done', detail: `${out}${reason ? `: ${reason}` : ''}`, data: { outcome: out, verdict: measurement.verdict } };
    return {
      schemaVersion: 1,
      workflowId: info.workflowId,
      runId: info.runId,
      scenario: 'az-loss',
      service: pl.runbook.service,
      environment: pl.runbook.environment,
      tier: pl.runbook.tier,
      awsMode: pl.awsMode,
      outcome: out,
      ...(reason ? { outcomeReason: reason } : {}),
      timeline: [...tl].sort((a, b) => a.at - b.at),
      measurement,
      details: det,
      notes: [...ns, ...((measurement as { notes?: string[] }).notes ?? [])],
    };
  }
}

/** Records the evidence (search attributes, run metrics) even while cancelling; a metrics failure becomes a note. */
async function conclude(report: RunReport): Promise<RunReport> {
  const runbook = typeof report.details.runbook === 'string' ? report.details.runbook : undefined;
  const region = typeof report.details.region === 'string' ? report.details.region : undefined;
  const evidence = await CancellationScope.nonCancellable(() => recordEvidence(report, { ...(runbook ? { runbook } : {}), ...(region ? { region } : {}) }));
  return evidence.published || !evidence.reason ? report : { ...report, notes: [...report.notes, `evidence: ${evidence.reason}`] };
}

function describe(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
