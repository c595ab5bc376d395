/**
 * Activities of the region-cut scenario, bound to their dependencies. Each is one function in a
 * file of its name; one AWS mutation per activity, read before write. The experiment itself is
 * started and stopped by the FIS activities of `activities/az-loss/` (`startFisExperiment`,
 * `stopFisExperiment`).
 */
import type { ActivityDeps } from '../deps';
import { awaitDnsAnswersSecondary } from './await-dns-answers-secondary';
import { awaitFaultInEffect } from './await-fault-in-effect';
import { awaitHealthAlarmsFired } from './await-health-alarms-fired';
import { awaitHealthChecksFailed } from './await-health-checks-failed';
import { awaitRegionRestored } from './await-region-restored';
import { checkRegionCutSteadyState } from './check-region-cut-steady-state';
import { createRegionCutTemplate } from './create-region-cut-template';
import { deleteRegionCutTemplate } from './delete-region-cut-template';
import { prepareRegionCut } from './prepare-region-cut';

type Args<F> = F extends (deps: ActivityDeps, input: infer I) => unknown ? I : never;

/** Builds the region-cut activities bound to `deps`. */
export function createRegionCutActivities(deps: ActivityDeps) {
  return {
    /** Validates the (UI) input, loads the runbook, builds and validates the template. No AWS call. */
    prepareRegionCut: (input: unknown, workflowId: string) => prepareRegionCut(deps, input, workflowId),
    /** The steady state before the cut. Read only. */
    checkRegionCutSteadyState: (input: Args<typeof checkRegionCutSteadyState>) => checkRegionCutSteadyState(deps, input),
    /** Creates the run's template (read first: found by its run tag). */
    createRegionCutTemplate: (input: Args<typeof createRegionCutTemplate>) => createRegionCutTemplate(deps, input),
    /** Deletes the run's templates (the undo; harmless when none). */
    deleteRegionCutTemplate: (input: Args<typeof deleteRegionCutTemplate>) => deleteRegionCutTemplate(deps, input),
    /** When the cut action started (FIS startTime). */
    awaitFaultInEffect: (input: Args<typeof awaitFaultInEffect>) => awaitFaultInEffect(deps, input),
    /** Until the cut region's health checks fail. */
    awaitHealthChecksFailed: (input: Args<typeof awaitHealthChecksFailed>) => awaitHealthChecksFailed(deps, input),
    /** Until DNS answers with the secondary. */
    awaitDnsAnswersSecondary: (input: Args<typeof awaitDnsAnswersSecondary>) => awaitDnsAnswersSecondary(deps, input),
    /** Until the cut region's health alarms fire. */
    awaitHealthAlarmsFired: (input: Args<typeof awaitHealthAlarmsFired>) => awaitHealthAlarmsFired(deps, input),
    /** After the stop: until the region serves again. */
    awaitRegionRestored: (input: Args<typeof awaitRegionRestored>) => awaitRegionRestored(deps, input),
  };
}

/** Steps of `regionCutWorkflow` of this folder (the FIS start/stop are `AzLossActivities`). */
export type RegionCutActivities = ReturnType<typeof createRegionCutActivities>;
