/**
 * The recovery part of the AZ-loss game day: arming the watches before the fault (a baseline read
 * each, then each watch started from its baseline) and awaiting recovery after it (every watch
 * recovered, or the experiment ended first). Deterministic workflow code; not a workflow.
 */
import { CancellationScope } from '@temporalio/workflow';
import type {
  AzLossPlan,
  ComponentWatchResult,
  RecoveryOutcome,
  ServiceWatchResult,
  StartedExperiment,
  WatchBaseline,
  WatchSpec,
} from '../../contracts/az-loss';
import type { WatchPlan } from '../../lib/az-loss-findings';
import { observe, waits } from './proxies';

/** Keeps a promise's rejection from being unhandled when it is cancelled unawaited; returns it. */
const quiet = <T>(p: Promise<T>): Promise<T> => (p.catch(() => undefined), p);

/** The recovery watches of a run, each started from its baseline, polling in their own scope. */
export class ArmedWatches {
  private readonly scope = new CancellationScope();
  readonly components: Promise<ComponentWatchResult[]>;
  /** The app-healthy watch, when the fault impairs a data-path component. */
  readonly service: Promise<ServiceWatchResult> | undefined;

  /** Starts a watch for each spec whose baseline is not already recovered (`baselines[i]` is `specs[i]`'s). */
  constructor(
    plan: AzLossPlan,
    specs: readonly WatchSpec[],
    readonly baselines: readonly WatchBaseline[],
  ) {
    const w = waits(plan);
    const base = {
      region: plan.region,
      account: plan.account,
      az: plan.az,
      timeoutMs: plan.recoveryTimeoutMs,
      pollIntervalMs: plan.pollIntervalMs,
    };
    const live = specs.map((spec, i) => ({ spec, baseline: baselines[i]! })).filter((x) => !x.baseline.ok);
    this.components = this.watch(() =>
      Promise.all(
        live.flatMap(({ spec: s, baseline }) =>
          s.kind === 'component'
            ? [w.watchComponentRecovery({ ...base, component: s.component, templateActions: s.templateActions, baseline })]
            : [],
        ),
      ),
    );
    const svc = live.find((x) => x.spec.kind === 'service');
    const spec = svc?.spec;
    this.service =
      spec?.kind === 'service'
        ? this.watch(() => w.watchServiceHealth({ ...base, components: spec.components, alarms: spec.alarms, baseline: svc!.baseline }))
        : undefined;
  }

  private watch<T>(fn: () => Promise<T>): Promise<T> {
    return quiet(this.scope.run(fn));
  }

  /** Stops every watch still polling (reads only) and waits until they settled. */
  async stop(): Promise<void> {
    this.scope.cancel();
    await Promise.allSettled([this.components, this.service]);
  }
}

/**
 * Arms the watches BEFORE the fault: one baseline read each (`armRecoveryWatch`), then each watch
 * started from its baseline, so every watch has a read before the fault and before the recovery.
 * Call inside the run's step (the watches belong to its abortable scope).
 */
export async function armWatches(plan: AzLossPlan, watches: WatchPlan): Promise<ArmedWatches> {
  const ref = { region: plan.region, account: plan.account, az: plan.az };
  const baselines = await Promise.all(watches.specs.map((spec) => observe.armRecoveryWatch({ ...ref, spec })));
  return new ArmedWatches(plan, watches.specs, baselines);
}

/**
 * Awaits recovery after the fault: every watch recovered (then the action start times are read),
 * or the experiment ended first (a stop condition, a failure). An experiment that completed on its
 * own keeps the wait going (the components may still be recovering). Without an impaired
 * data-path component, app-healthy is the first read after the fault with every health alarm OK.
 */
export async function awaitRecovery(plan: AzLossPlan, exp: StartedExperiment, armed: ArmedWatches): Promise<RecoveryOutcome> {
  const w = waits(plan);
  const ref = { region: plan.region, account: plan.account };
  const scope = new CancellationScope();
  const started: Promise<unknown>[] = [];
  const track = <T>(p: Promise<T>): Promise<T> => (started.push(p), quiet(p));
  try {
    return await scope.run(async () => {
      const alarmsOk =
        !armed.service && plan.healthAlarms.length > 0
          ? track(
              w.awaitHealthAlarmsOk({
                ...ref,
                alarms: plan.healthAlarms,
                timeoutMs: plan.recoveryTimeoutMs,
                pollIntervalMs: plan.pollIntervalMs,
              }),
            )
          : undefined;
      const recovered = quiet(
        Promise.all([armed.components, armed.service, alarmsOk]).then(([watches, service, ok]) => ({
          kind: 'recovered' as const,
          watches,
          service,
          ok,
        })),
      );
      const endWait = track(
        w.awaitFisExperimentEnd({
          ...ref,
          experimentId: exp.experimentId,
          stopConditionAlarms: plan.stopConditionAlarms,
          timeoutMs: plan.recoveryTimeoutMs + 12 * 3_600_000,
          pollIntervalMs: plan.pollIntervalMs,
        }),
      );
      const ended = quiet(endWait.then((end) => ({ kind: 'ended' as const, end })));
      let first = await Promise.race([recovered, ended]);
      let completedAt: number | undefined;
      if (first.kind === 'ended' && !first.end.haltedByStopCondition && first.end.status === 'completed') {
        completedAt = first.end.endedAt;
        first = await recovered;
      }
      if (first.kind === 'ended') return first;
      const { actionStarts } = await observe.getFisExperiment({ ...ref, experimentId: exp.experimentId });
      return {
        kind: 'recovered',
        watches: first.watches,
        ...(first.service ? { service: first.service } : {}),
        ...(first.ok ? { alarmsOk: first.ok } : {}),
        actionStarts,
        ...(completedAt !== undefined ? { experimentCompletedAt: completedAt } : {}),
      };
    });
  } finally {
    scope.cancel(); // the experiment-end wait, the health-alarm wait: awaited until they stopped
    await Promise.allSettled(started);
    await armed.stop(); // watches still polling when the experiment ended first
  }
}
