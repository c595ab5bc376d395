/**
 * All activities of the worker, bound to their dependencies. Workflows import only the *type*
 * `Activities` from here (never a value).
 */
import type { ActivityDeps } from './deps';
import { createAzLossActivities } from './az-loss-activities';
import { createMeasurementActivities } from './measurement-activities';
import { createPreflightActivities } from './preflight-activities';
import { createPromotionActivities } from './promotion-activities';
import { createRestoreActivities } from './restore-activities';

/** Worker-level tuning of the activities. */
export interface ActivityOptions {
  /** Per-account budget of RDS calls per second for the restore drills (unset = no budget). */
  readonly rdsCallsPerSecond?: number;
}

export function createActivities(deps: ActivityDeps, opts: ActivityOptions = {}) {
  return {
    ...createPreflightActivities(deps),
    ...createMeasurementActivities(deps),
    ...createPromotionActivities(deps),
    ...createAzLossActivities(deps),
    ...createRestoreActivities(deps, opts.rdsCallsPerSecond !== undefined ? { rdsCallsPerSecond: opts.rdsCallsPerSecond } : {}),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
