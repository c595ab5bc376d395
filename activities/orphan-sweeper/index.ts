/**
 * The steps of `orphanSweeperWorkflow`, bound to their dependencies: the scan, and the restore
 * drill's temporary-resource deletes (each re-reads the owner tag before it deletes).
 */
import type { ActivityDeps } from '../deps';
import { createTempResourceActivities } from '../restore/temp-resources';
import type { AwsTarget } from '../aws/ports';
import { chargedAws, countCalls } from '../aws/charged-calls';
import { findOrphanedRestoreResources, planOrphanSweep, scanOrphanLocation, type OrphanSweepPlan } from './find-orphaned-restore-resources';

/** Binds the orphan sweeper's activities to `deps`. */
export function createOrphanSweeperActivities(deps: ActivityDeps) {
  return {
    /** Lists gameday-owned temporary clusters in the runbooks' accounts and regions, split by age. */
    findOrphanedRestoreResources: (input: unknown) => findOrphanedRestoreResources(deps, input),
    /** Validates the input and lists the locations to scan (no AWS call). */
    planOrphanSweep: async (input: unknown) => planOrphanSweep(deps, input),
    /** One location's scan (one AWS call); the workflow runs it on the location's budget queue. */
    scanOrphanLocation: (plan: OrphanSweepPlan, target: AwsTarget) => scanOrphanLocation(deps, plan, target),
    ...createTempResourceActivities(deps),
  };
}

/**
 * The sweeper's AWS step for a budget queue (`lib/aws-budget.ts`): one location's scan, one
 * charged call, counting it. Its deletes are the restore drill's budget-queue deletes.
 */
export function createOrphanSweeperBudgetActivities(baseDeps: ActivityDeps) {
  const deps: ActivityDeps = { ...baseDeps, aws: chargedAws(baseDeps.aws) };
  return {
    scanOrphanLocation: countCalls((plan: OrphanSweepPlan, target: AwsTarget) => scanOrphanLocation(deps, plan, target)),
  };
}

/** The activities `orphanSweeperWorkflow` proxies (workflows import the type only). */
export type OrphanSweeperActivities = ReturnType<typeof createOrphanSweeperActivities>;
