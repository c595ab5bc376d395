/**
 * The measurement activities (domain.md §3), bound to their dependencies: each name is a function
 * in the file of the same name. Inputs carry runbook names and endpoints, never credentials.
 */
import type { ActivityDeps } from '../deps';
import { runCanaryWriter } from './run-canary-writer';
import { readCanary } from './read-canary';
import { cleanupCanary } from './cleanup-canary';
import { readPredictedRpo } from './read-predicted-rpo';
import { publishRunMetrics } from './publish-run-metrics';

export type * from './inputs';
export { canaryTargetFromRunbook, secretRegion } from './canary-target';
export { GAMEDAY_METRIC_NAMESPACE, runMetricData } from './publish-run-metrics';

type Args<F> = F extends (deps: ActivityDeps, input: infer I) => unknown ? I : never;

/** Binds the measurement activities to `deps`. */
export function createMeasurementActivities(deps: ActivityDeps) {
  return {
    /** Writes the canary until cancelled (or `maxDurationMs`), then returns its result. */
    runCanaryWriter: (input: Args<typeof runCanaryWriter>) => runCanaryWriter(deps, input),
    /** Reads which canary rows of the run are present on the new writer. */
    readCanary: (input: Args<typeof readCanary>) => readCanary(deps, input),
    /** Deletes the run's canary rows (idempotent). */
    cleanupCanary: (input: Args<typeof cleanupCanary>) => cleanupCanary(deps, input),
    /** The predicted RPO from CloudWatch replication lag, or why there is none. */
    readPredictedRpo: (input: Args<typeof readPredictedRpo>) => readPredictedRpo(deps, input),
    /** Publishes the run's evidence metrics to CloudWatch (once). */
    publishRunMetrics: (input: Args<typeof publishRunMetrics>) => publishRunMetrics(deps, input),
  };
}
