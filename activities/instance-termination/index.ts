/**
 * Activities of the instance-termination scenario ("Chaos Monkey"), bound to their dependencies.
 * Each is one function in a file of its name; the only mutation is `terminateInstances` (one EC2
 * TerminateInstances call, read before write).
 */
import type { ActivityDeps } from '../deps';
import { awaitCapacityRestored } from './await-capacity-restored';
import { awaitServiceAlarmOk } from './await-service-alarm-ok';
import { awaitTargetGroupHealthy } from './await-target-group-healthy';
import { checkTerminationSteadyState } from './check-termination-steady-state';
import { prepareInstanceTermination } from './prepare-instance-termination';
import { selectInstancesToTerminate } from './select-instances';
import { terminateInstances } from './terminate-instances';

type Args<F> = F extends (deps: ActivityDeps, input: infer I) => unknown ? I : never;

/** Builds the instance-termination activities bound to `deps`. */
export function createInstanceTerminationActivities(deps: ActivityDeps) {
  return {
    /** Validates the (UI) input and loads the runbook. No AWS call. */
    prepareInstanceTermination: (input: unknown) => prepareInstanceTermination(deps, input),
    /** The steady state before the termination. Read only. */
    checkTerminationSteadyState: (input: Args<typeof checkTerminationSteadyState>) => checkTerminationSteadyState(deps, input),
    /** Chooses the instances (inside the blast radius, order drawn from the run). Read only. */
    selectInstancesToTerminate: (input: Args<typeof selectInstancesToTerminate>) => selectInstancesToTerminate(deps, input),
    /** Terminates them (read first). */
    terminateInstances: (input: Args<typeof terminateInstances>) => terminateInstances(deps, input),
    /** Until the group is back at desired healthy capacity. */
    awaitCapacityRestored: (input: Args<typeof awaitCapacityRestored>) => awaitCapacityRestored(deps, input),
    /** Until the target group is healthy. */
    awaitTargetGroupHealthy: (input: Args<typeof awaitTargetGroupHealthy>) => awaitTargetGroupHealthy(deps, input),
    /** The service alarm: fired, then OK. */
    awaitServiceAlarmOk: (input: Args<typeof awaitServiceAlarmOk>) => awaitServiceAlarmOk(deps, input),
  };
}

/** Steps of `instanceTerminationWorkflow`. */
export type InstanceTerminationActivities = ReturnType<typeof createInstanceTerminationActivities>;
