/**
 * Activities of the AZ-loss game day and of FIS template management, bound to their
 * dependencies. Each is one function in a file of its name (`start-fis-experiment.ts` exports
 * `startFisExperiment(deps, input)`); one AWS mutation per activity, read before write.
 */
import type { ActivityDeps } from '../deps';
import { armRecoveryWatch } from './arm-recovery-watch';
import { awaitFisExperimentEnd } from './await-fis-experiment-end';
import { awaitHealthAlarmsOk } from './await-health-alarms-ok';
import { checkAzSteadyState } from './check-az-steady-state';
import { createFisTemplate } from './create-fis-template';
import { findFisTemplate } from './find-fis-template';
import { getFisExperiment } from './get-fis-experiment';
import { prepareAzLoss } from './prepare-az-loss';
import { prepareFisTemplates } from './prepare-fis-templates';
import { startFisExperiment } from './start-fis-experiment';
import { stopFisExperiment } from './stop-fis-experiment';
import { updateFisTemplate } from './update-fis-template';
import { watchComponentRecovery } from './watch-component-recovery';
import { watchServiceHealth } from './watch-service-health';

type Args<F> = F extends (deps: ActivityDeps, input: infer I) => unknown ? I : never;

/** Builds the AZ-loss and FIS-template activities bound to `deps`. */
export function createAzLossActivities(deps: ActivityDeps) {
  return {
    /** Validates the (UI) input, loads the runbook, renders and validates the template. No AWS call. */
    prepareAzLoss: (input: unknown) => prepareAzLoss(deps, input),
    /** Validates the input of `fisTemplatesWorkflow`, renders and validates its templates. No AWS call. */
    prepareFisTemplates: (input: unknown) => prepareFisTemplates(deps, input),
    /** Steady state before the fault and the components in the AZ. Read only. */
    checkAzSteadyState: (input: Args<typeof checkAzSteadyState>) => checkAzSteadyState(deps, input),
    /** Finds the deployed copy of a template by its tags and diffs it. Read only. */
    findFisTemplate: (input: Args<typeof findFisTemplate>) => findFisTemplate(deps, input),
    /** Creates a managed template (read first, deterministic client token). */
    createFisTemplate: (input: Args<typeof createFisTemplate>) => createFisTemplate(deps, input),
    /** Updates a managed template to the rendered one (read first). */
    updateFisTemplate: (input: Args<typeof updateFisTemplate>) => updateFisTemplate(deps, input),
    /** The baseline read of one recovery watch, before the fault. Read only. */
    armRecoveryWatch: (input: Args<typeof armRecoveryWatch>) => armRecoveryWatch(deps, input),
    /** Starts the experiment (the fault; deterministic client token). */
    startFisExperiment: (input: Args<typeof startFisExperiment>) => startFisExperiment(deps, input),
    /** Reads an experiment. */
    getFisExperiment: (input: Args<typeof getFisExperiment>) => getFisExperiment(deps, input),
    /** Waits until an experiment ends on its own; says whether a stop condition halted it. */
    awaitFisExperimentEnd: (input: Args<typeof awaitFisExperimentEnd>) => awaitFisExperimentEnd(deps, input),
    /** Stops an experiment (read first) and waits until it is terminal. */
    stopFisExperiment: (input: Args<typeof stopFisExperiment>) => stopFisExperiment(deps, input),
    /** Watches one component from its baseline until it serves outside the AZ. */
    watchComponentRecovery: (input: Args<typeof watchComponentRecovery>) => watchComponentRecovery(deps, input),
    /** Watches the data path and health alarms from the baseline until app-healthy. */
    watchServiceHealth: (input: Args<typeof watchServiceHealth>) => watchServiceHealth(deps, input),
    /** Waits until every health alarm is OK (app-healthy without an impaired data path). */
    awaitHealthAlarmsOk: (input: Args<typeof awaitHealthAlarmsOk>) => awaitHealthAlarmsOk(deps, input),
  };
}

/** Every activity of this folder. */
type AzLossFolder = ReturnType<typeof createAzLossActivities>;

/** Steps of `azLossGameDayWorkflow` of this folder (its canary steps are `CanaryActivities`). */
export type AzLossActivities = Omit<AzLossFolder, 'prepareFisTemplates'>;

/** Steps of `fisTemplatesWorkflow`. */
export type FisTemplatesActivities = Pick<
  AzLossFolder,
  'prepareFisTemplates' | 'findFisTemplate' | 'createFisTemplate' | 'updateFisTemplate'
>;
