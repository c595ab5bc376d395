/**
 * azLossGameDayWorkflow: the AZ-loss game day driven by an AWS FIS experiment.
 *
 *   prepare (validate input, render + validate the template) → steady state → template created or
 *   updated (tagged gameday-managed) → canary started → recovery watches armed (each makes a
 *   baseline read BEFORE the fault and signals `watchArmed`) → experiment started (deterministic
 *   clientToken from the workflow id) → watches run concurrently until recovery → experiment
 *   stopped → RTO, per-component RTO and RPO (canary) against the AZ targets (RTO < 1 min, RPO 0)
 *   → RunReport.
 *
 * What is measured
 * - RTO (service downtime) = `fault-injected` → `app-healthy`. `app-healthy` is observed by one
 *   watch (`watchServiceHealth`) of the data path — the Aurora writer and ElastiCache primaries the
 *   template impairs serving outside the AZ — and the region's health alarms, all in one poll. It
 *   runs concurrently with the component watches, so slow instance replacement does not inflate it.
 *   A template that impairs no data-path component: `app-healthy` = first read after the fault
 *   with every health alarm OK (the service was not seen down).
 * - Per component, `component-impaired` (FIS action start) → `component-recovered`, each judged
 *   against the AZ target and labelled in the report: Aurora "writer moved out of <az>",
 *   ElastiCache "primary moved out of <az>", Auto Scaling group "capacity restored, not service
 *   downtime". A group that needs minutes to restore capacity fails its own figure (a true
 *   finding, with its margin) and so the verdict, but it is not counted in the RTO.
 * - Resolution: every watch polls from before the fault, so each recovery lies in (previous
 *   read, observed read] — one poll interval (`pollIntervalMs`); the widest window is in the notes.
 *   A retried watch resumes from its heartbeat checkpoint (the gap, if any, widens its window and
 *   is reported).
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
  AzComponent,
  AzLossInput,
  AzLossPlan,
  ComponentWatchResult,
  ExperimentEnd,
  PreparedFisTemplate,
  ServiceWatchResult,
  StartedExperiment,
  WatchObservation,
} from '../activities/az-loss/types';
import type { CanaryMeasurementInput } from '../lib/timeline';
import { measure } from '../lib/timeline';
import type { RunReport, TimelineEvent } from '../lib/measurement-types';
import { SEARCH_KEYS } from '../lib/search-attributes';
import { startCanary, type CanaryHandle } from './canary';
import { recordEvidence } from './evidence';
import { abortSignal, statusQuery, watchArmedSignal, type AbortRequest, type RunStatus, type WatchArmed } from './messages';

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

/** Name of the app-healthy watch in `watchArmed` signals (`SERVICE_WATCH` of the activities). */
const SERVICE_WATCH_ID = 'service';

/** How long the recovery watches may take to make their baseline reads before the run gives up (no fault injected). */
const ARM_TIMEOUT = '5 minutes';

/** What a component's own figure measures, shown next to it in the report. */
function componentLabel(c: AzComponent, az: string): string {
  switch (c.kind) {
    case 'aurora':
      return `writer moved out of ${az}`;
    case 'elasticache':
      return `primary moved out of ${az}`;
    case 'ec2':
      return 'capacity restored, not service downtime';
  }
}

/** How the wait after the fault ended. */
type WaitResult =
  | {
      readonly kind: 'recovered';
      readonly watches: ComponentWatchResult[];
      /** The app-healthy watch (data path + health alarms), when a data-path component is impaired. */
      readonly service: ServiceWatchResult | undefined;
      /** Health alarms OK after the fault, when no data-path component is impaired. */
      readonly alarmsOk: { observedAt: number; previousReadAt?: number; states: string } | undefined;
    }
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
  const armed = new Map<string, WatchArmed>();
  setHandler(watchArmedSignal, (a) => {
    if (!armed.has(a.watch)) armed.set(a.watch, a);
  });
  /** The validated plan once the first activity returned (the status names its runbook). */
  const prepared: { plan?: AzLossPlan } = {};
  const setPhase = (phase: string, detail?: string, data?: Record<string, unknown>): void => {
    status = {
      workflow: 'azLossGameDayWorkflow',
      runbook: prepared.plan?.runbookName ?? input?.runbook,
      phase,
      ...(detail ? { detail } : {}),
      ...(data ? { data } : {}),
    };
  };

  prepared.plan = await prepare.prepareAzLoss(input);
  const p = prepared.plan;
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
  const steady = await observe.checkAzSteadyState({
    ...ref,
    az: p.az,
    components: p.components,
    stopConditionAlarms: p.stopConditionAlarms,
    healthAlarms: p.healthAlarms,
  });
  details.steadyState = steady.checks;
  details.componentsInAz = steady.inAz;
  if (!steady.ok) {
    const failed = steady.checks.filter((c) => !c.ok).map((c) => `${c.name}: expected ${c.expected}, found ${c.found}`);
    return conclude(finish(p, timeline, notes, details, 'failed', `steady state not met, no fault injected: ${failed.join('; ')}`));
  }
  if (abortRequest())
    return conclude(finish(p, timeline, notes, details, 'aborted', `aborted before the fault: ${abortRequest()!.reason}`));

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
  if (abortRequest())
    return conclude(finish(p, timeline, notes, details, 'aborted', `aborted before the fault: ${abortRequest()!.reason}`));

  // Canary (RPO) from before the fault until after recovery.
  let canary: CanaryHandle | undefined;
  let canaryInput: CanaryMeasurementInput;
  if (!p.runbook.canary) canaryInput = { notMeasured: `runbook ${p.runbookName} has no canary section` };
  else if (!p.runbookByName)
    canaryInput = {
      notMeasured: "the canary loads the runbook by name in the worker; start the run with a runbook name from the worker's runbook folder",
    };
  else {
    canary = startCanary({ runbook: p.runbookName, runId: info.workflowId, maxDurationMs: p.recoveryTimeoutMs + 30 * 60_000 });
    canaryInput = { notMeasured: 'the canary was not read' };
  }

  // Wall-time bounds of the watch activities (clock ms ≥ wall ms: the sim clock runs faster).
  const watchTimeout = p.recoveryTimeoutMs + 5 * 60_000;
  const watch = proxyActivities<Activities>({
    startToCloseTimeout: watchTimeout,
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });

  let experiment: StartedExperiment | undefined;
  let cancelled: unknown;
  let stopFailure: string | undefined;
  const scope = new CancellationScope();
  const quiet = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => undefined); // rejections are handled where awaited; cancelled leftovers are expected
    return promise;
  };
  try {
    const templateActions = Object.fromEntries(Object.entries(p.template.input.actions).map(([name, a]) => [name, a.actionId]));
    // A component is watched when it is in the AZ and the template has an action that impairs its kind.
    const templateActionIds = Object.values(templateActions);
    const impairs = (kind: string): boolean => templateActionIds.some((id) => (IMPAIRED_BY_KIND[kind] ?? []).includes(id));
    for (const c of p.components) {
      if (!steady.inAz.includes(c.id)) {
        notes.push(
          c.kind === 'ec2'
            ? `${c.id}: instance replacement not measured: no InService instance of the group was in ${p.az} before the fault`
            : `${c.id}: not impaired, its writer/primary was outside ${p.az} before the fault`,
        );
      } else if (!impairs(c.kind)) {
        notes.push(
          c.kind === 'ec2'
            ? `${c.id}: instance replacement not measured: template ${p.template.name} stops no instances (no ${(IMPAIRED_BY_KIND.ec2 ?? []).join(', ')} action)`
            : `${c.id}: not impaired, template ${p.template.name} has no action on it (${(IMPAIRED_BY_KIND[c.kind] ?? []).join(', ')})`,
        );
      }
    }
    const watched = p.components.filter((c) => steady.inAz.includes(c.id) && impairs(c.kind));
    // The service's data path: what must serve again for the app to be healthy. Instance capacity
    // (ec2) is not in it: the group's instances in the other AZs keep serving meanwhile.
    const dataPath = watched.filter((c) => c.kind !== 'ec2');
    const notify = { workflowId: info.workflowId, runId: info.runId };
    const watchBase = { ...ref, az: p.az, timeoutMs: p.recoveryTimeoutMs, pollIntervalMs: p.pollIntervalMs, notify };

    // Watches start BEFORE the fault: each makes a baseline read and signals watchArmed; the
    // experiment starts only once all are armed, so every recovery lies within one poll interval.
    setPhase('arming-watches', `baseline reads of ${watched.map((c) => c.id).join(', ') || 'no component'}`);
    const settled = new Set<string>();
    const failures: string[] = [];
    const track = <T>(id: string, promise: Promise<T>): Promise<T> => {
      promise.then(
        () => settled.add(id),
        (err: unknown) => {
          settled.add(id);
          if (!isCancellation(err)) failures.push(`${id}: ${describe(err)}`);
        },
      );
      return quiet(promise);
    };
    const componentWatches = watched.map((c) =>
      track(
        c.id,
        scope.run(() => watch.watchComponentRecovery({ ...watchBase, component: c, templateActions })),
      ),
    );
    const serviceWatch =
      dataPath.length > 0
        ? track(
            SERVICE_WATCH_ID,
            scope.run(() => watch.watchServiceHealth({ ...watchBase, components: dataPath, alarms: p.healthAlarms })),
          )
        : undefined;
    const watchIds = [...watched.map((c) => c.id), ...(serviceWatch ? [SERVICE_WATCH_ID] : [])];
    const ready = await condition(
      () => abortRequest() !== undefined || failures.length > 0 || watchIds.every((id) => armed.has(id) || settled.has(id)),
      ARM_TIMEOUT,
    );
    details.watchesArmed = Object.fromEntries([...armed.values()].map((a) => [a.watch, { at: a.at, baseline: a.baseline }]));
    if (abortRequest()) {
      outcome = 'aborted';
      outcomeReason = `aborted before the fault: ${abortRequest()!.reason}`;
    } else if (failures.length > 0 || !ready) {
      outcome = 'failed';
      outcomeReason =
        failures.length > 0
          ? `a recovery watch failed before the fault, no fault injected: ${failures.join('; ')}`
          : `recovery watches not armed within ${ARM_TIMEOUT} (${watchIds.filter((id) => !armed.has(id) && !settled.has(id)).join(', ')}), no fault injected; is a worker polling task queue ${info.taskQueue}?`;
    } else {
      setPhase('starting-experiment');
      experiment = await mutate.startFisExperiment({
        ...ref,
        templateId: applied.id,
        clientToken: `gameday:${info.workflowId}:experiment`,
        tags: { 'gameday-run': info.workflowId, 'gameday-managed': 'true' },
      });
      const exp = experiment;
      details.experimentId = exp.experimentId;
      timeline.push({
        name: 'fault-injected',
        at: exp.startedAt,
        source: 'startFisExperiment',
        detail: `FIS experiment ${exp.experimentId} (${p.template.name}) in ${p.az}`,
      });
      setPhase('awaiting-recovery', `experiment ${exp.experimentId} running`, { experimentId: exp.experimentId, inAz: steady.inAz });

      // No data-path component impaired: app-healthy is the first read after the fault with every
      // health alarm OK (the service was not seen down); started right away, alongside the watches.
      const alarmsOnly =
        !serviceWatch && p.healthAlarms.length > 0
          ? quiet(
              scope.run(() =>
                watch.awaitHealthAlarmsOk({
                  ...ref,
                  alarms: p.healthAlarms,
                  timeoutMs: p.recoveryTimeoutMs,
                  pollIntervalMs: p.pollIntervalMs,
                }),
              ),
            )
          : undefined;
      const recovery = quiet(
        (async (): Promise<WaitResult> => {
          const [watches, service, alarmsOk] = await Promise.all([Promise.all(componentWatches), serviceWatch, alarmsOnly]);
          return { kind: 'recovered', watches, service, alarmsOk };
        })(),
      );
      const ended = quiet(
        scope.run(async (): Promise<WaitResult> => ({
          kind: 'ended',
          end: await watch.awaitFisExperimentEnd({
            ...ref,
            experimentId: exp.experimentId,
            stopConditionAlarms: p.stopConditionAlarms,
            timeoutMs: p.recoveryTimeoutMs + 12 * 3_600_000,
            pollIntervalMs: p.pollIntervalMs,
          }),
        })),
      );
      const aborted = quiet(
        scope.run(async (): Promise<WaitResult> => (await condition(() => abortRequest() !== undefined), { kind: 'abort' })),
      );

      let result = await Promise.race([recovery, ended, aborted]);
      if (result.kind === 'ended' && !result.end.haltedByStopCondition && result.end.status === 'completed') {
        // The actions ran their course; the components may still be recovering.
        details.experimentCompletedAt = result.end.endedAt;
        result = await Promise.race([recovery, aborted]);
      }

      if (result.kind === 'recovered') {
        const { actionStarts } = await observe.getFisExperiment({ ...ref, experimentId: exp.experimentId });
        const startOf = (kind: string): number => {
          const starts = Object.entries(actionStarts)
            .filter(([name]) => (ACTIONS_BY_KIND[kind] ?? []).includes(templateActions[name] ?? ''))
            .map(([, at]) => at);
          return starts.length > 0 ? Math.min(...starts) : exp.startedAt;
        };
        let widest = 0;
        const windowOf = (w: WatchObservation): Record<string, unknown> => {
          if (w.recoveredWindow) widest = Math.max(widest, w.recoveredWindow.observedAt - w.recoveredWindow.previousReadAt);
          return {
            polls: w.polls,
            attempts: w.attempts,
            baseline: { at: w.firstReadAt, seen: w.baseline },
            ...(w.recoveredWindow ? { recoveredWindow: w.recoveredWindow } : {}),
            ...(w.note ? { note: w.note } : {}),
          };
        };
        const notRecovered: string[] = [];
        for (const w of result.watches) {
          const c = watched.find((x) => x.id === w.component)!;
          const label = componentLabel(c, p.az);
          timeline.push({
            name: 'component-impaired',
            at: startOf(c.kind),
            source: 'getFisExperiment',
            component: c.id,
            detail: `FIS action on ${c.id} started (fault in ${p.az})`,
          });
          if (w.detectedAt !== undefined && w.detectedAt >= exp.startedAt) {
            timeline.push({
              name: 'failure-detected',
              at: w.detectedAt,
              source: 'watchComponentRecovery',
              component: c.id,
              detail: `${c.id} seen impaired`,
            });
          }
          if (w.recoveredWindow) {
            timeline.push({
              name: 'component-recovered',
              at: w.recoveredWindow.observedAt,
              source: 'watchComponentRecovery',
              component: c.id,
              detail: `${c.id} ${label}: ${w.last} (previous read ${w.recoveredWindow.previousReadAt})`,
            });
          } else notRecovered.push(c.id);
          if (w.note) notes.push(w.note);
          if (w.attempts > 1)
            notes.push(
              `${c.id}: the watch was retried (${w.attempts} attempts) and resumed from its heartbeat checkpoint; recovery window ${w.recoveredWindow ? `${w.recoveredWindow.observedAt - w.recoveredWindow.previousReadAt} ms` : 'none'}`,
            );
        }
        details.components = result.watches.map((w) => ({
          component: w.component,
          label: componentLabel(
            watched.find((x) => x.id === w.component)!,
            p.az,
          ),
          ...windowOf(w),
        }));
        const pathText = `${dataPath.map((c) => `${c.id} ${componentLabel(c, p.az)}`).join(', ')}${p.healthAlarms.length > 0 ? `, health alarms ${p.healthAlarms.join(', ')} OK` : ''}`;
        if (result.service) {
          const s = result.service;
          details.appHealthy = { watches: `${pathText}`, ...windowOf(s) };
          if (s.recoveredWindow) {
            timeline.push({
              name: 'app-healthy',
              at: s.recoveredWindow.observedAt,
              source: 'watchServiceHealth',
              detail: `${s.last} (previous read ${s.recoveredWindow.previousReadAt})`,
            });
          } else notRecovered.push('service');
          if (s.note) notes.push(s.note);
          if (p.healthAlarms.length === 0)
            notes.push(`no health alarms for ${p.region} (alarms.health): app-healthy = data path serving outside ${p.az} (${pathText})`);
        } else if (result.alarmsOk) {
          const a = result.alarmsOk;
          timeline.push({ name: 'app-healthy', at: a.observedAt, source: 'awaitHealthAlarmsOk', detail: a.states });
          notes.push(
            `template ${p.template.name} impairs no data-path component (Aurora writer, ElastiCache primary) in ${p.az}: app-healthy = first read after the fault with every health alarm OK (the service was not seen down)`,
          );
        } else {
          notes.push(
            `app-healthy not observed: template ${p.template.name} impairs no data-path component in ${p.az} and ${p.region} has no health alarms (alarms.health)`,
          );
        }
        if (result.service || result.alarmsOk) {
          notes.push(
            `RTO (service downtime) = fault-injected → app-healthy (${result.service ? pathText : `health alarms ${p.healthAlarms.join(', ')} OK`}); per-component figures are each component's own recovery against the AZ target${watched.some((c) => c.kind === 'ec2') ? '; instance capacity restoration (ec2) is a component finding, not service downtime' : ''}`,
          );
        }
        if (widest > 0)
          notes.push(
            `resolution: every recovery lies in (previous read, observed read]; widest window ${widest} ms at a poll interval of ${p.pollIntervalMs} ms`,
          );
        if (notRecovered.length > 0) {
          outcome = 'failed';
          outcomeReason = `did not recover within the recovery timeout: ${notRecovered.join(', ')}`;
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
    scope.cancel(); // the watches end with the run, whatever path it took
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
            const { deleted } = await observe.cleanupCanary({
              runbook: p.runbookName,
              runId: info.workflowId,
              endpoint: p.runbook.canary!.endpoint,
            });
            notes.push(`canary: ${deleted} row(s) of ${info.workflowId} deleted`);
          } catch (err) {
            notes.push(`canary: rows of ${info.workflowId} not deleted (${describe(err)}); delete them by run id`);
          }
        }
      }
    });
  }

  const report = await conclude(
    finish(p, timeline, notes, details, stopFailure ? 'failed' : outcome, stopFailure ?? outcomeReason, canaryInput),
  );
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
    const measured = measure({
      timeline: tl,
      targets: pl.targets,
      canary: canaryIn ?? { notMeasured: 'no fault was injected' },
      resolution: { pollIntervalMs: pl.pollIntervalMs },
    });
    // Say what each component figure measures (capacity restored is not service downtime).
    const measurement = {
      ...measured,
      components: measured.components.map((c) => {
        const comp = pl.components.find((x) => x.id === c.component);
        return comp ? { ...c, label: componentLabel(comp, pl.az) } : c;
      }),
    };
    status = {
      workflow: 'azLossGameDayWorkflow',
      runbook: pl.runbookName,
      phase: 'done',
      detail: `${out}${reason ? `: ${reason}` : ''}`,
      data: { outcome: out, verdict: measurement.verdict },
    };
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
  const evidence = await CancellationScope.nonCancellable(() =>
    recordEvidence(report, { ...(runbook ? { runbook } : {}), ...(region ? { region } : {}) }),
  );
  return evidence.published || !evidence.reason ? report : { ...report, notes: [...report.notes, `evidence: ${evidence.reason}`] };
}

function describe(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
