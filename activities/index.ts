/**
 * All activities of the worker, bound to their dependencies. Workflows import only the *type*
 * `Activities` from here (never a value).
 */
import type { ActivityDeps } from './deps';
import { meteredAws } from './aws/call-meter';
import { createAzLossActivities } from './az-loss';
import { createMeasurementActivities } from './measurement';
import { createPreflightActivities } from './preflight';
import { createPromotionActivities } from './promotion';
import { createDrillActivities } from './drill-activities';
import { createGameDayActivities } from './gameday';
import { createRegionCutActivities } from './region-cut';
import { createInstanceTerminationActivities } from './instance-termination';

/** Worker-level tuning of the activities. */
export interface ActivityOptions {
  /** Per-account budget of RDS calls per second for the restore drills (unset = no budget). */
  readonly rdsCallsPerSecond?: number;
}

/** All activities the worker registers, bound to `deps` (the union of the per-playbook factories). */
export function createActivities(unmetered: ActivityDeps, opts: ActivityOptions = {}) {
  const deps = { ...unmetered, aws: meteredAws(unmetered.aws) }; // AWS calls per run (activities/aws/call-meter.ts)
  return {
    ...createPreflightActivities(deps),
    ...createMeasurementActivities(deps),
    ...createPromotionActivities(deps),
    ...createAzLossActivities(deps),
    ...createGameDayActivities(deps),
    ...createDrillActivities(deps, opts.rdsCallsPerSecond !== undefined ? { rdsCallsPerSecond: opts.rdsCallsPerSecond } : {}),
    ...createRegionCutActivities(deps),
    ...createInstanceTerminationActivities(deps),
  };
}

/** Every activity of the worker (the worker registers them all; workflows proxy their own group). */
export type Activities = ReturnType<typeof createActivities>;

/** The canary data plane: writer, reader, row cleanup, predicted RPO, first-write wait. */
export type CanaryActivities = Pick<
  Activities,
  'runCanaryWriter' | 'readCanary' | 'cleanupCanary' | 'readPredictedRpo' | 'awaitCanaryWrites'
>;

/** Steps of `regionPromotionWorkflow`. */
export type PromotionActivities = Pick<
  Activities,
  | 'preparePromotion'
  | 'preflightPromotion'
  | 'fenceOldPrimary'
  | 'awaitAutomation'
  | 'promoteSecondaryCluster'
  | 'awaitClusterWritable'
  | 'shiftTraffic'
  | 'awaitChangeInsync'
  | 'reconfigureApplication'
  | 'verifyServiceWrite'
  | 'checkHealthAlarms'
  | 'awaitReProtected'
  | 'awaitCanaryWrites'
  | 'stampEvent'
>;

/** Steps of `trafficShiftWorkflow`. */
export type TrafficShiftActivities = Pick<
  Activities,
  'prepareTrafficShift' | 'readTrafficWeights' | 'shiftTraffic' | 'awaitChangeInsync' | 'watchHealthAlarms'
>;
/** Steps of `restoreVerificationWorkflow`, `backtrackDrillWorkflow` and `orphanSweeperWorkflow` (each folder's `index.ts`). */
export type { RestoreVerificationActivities } from './restore';
export type { BacktrackDrillActivities } from './backtrack';
export type { OrphanSweeperActivities } from './orphan-sweeper';
/** Steps of `azLossGameDayWorkflow` and `fisTemplatesWorkflow`. */
export type { AzLossActivities, FisTemplatesActivities } from './az-loss';
/** Steps of `gameDayWorkflow`. */
export type { GameDayActivities } from './gameday';
export type { ActivityDeps } from './deps';
/** Steps of `regionCutWorkflow` and `instanceTerminationWorkflow` (each folder's `index.ts`). */
export type { RegionCutActivities } from './region-cut';
export type { InstanceTerminationActivities } from './instance-termination';

/** Steps of `preflightWorkflow`: load the runbook, then read-only checks. */
export type PreflightActivities = Pick<
  Activities,
  | 'loadRunbook'
  | 'checkBlastRadius'
  | 'checkAuroraTopology'
  | 'checkReplicationLag'
  | 'checkTrafficRouting'
  | 'checkAlarms'
  | 'checkCacheGroups'
  | 'checkAppConfiguration'
>;
