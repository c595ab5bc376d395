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

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPreflightActivities(deps),
    ...createMeasurementActivities(deps),
    ...createPromotionActivities(deps),
    ...createAzLossActivities(deps),
    ...createRestoreActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
