/**
 * The steps of `orphanSweeperWorkflow`, bound to their dependencies: the scan, and the restore
 * drill's temporary-resource deletes (each re-reads the owner tag before it deletes).
 */
import type { ActivityDeps } from '../deps';
import { createTempResourceActivities } from '../restore/temp-resources';
import { findOrphanedRestoreResources } from './find-orphaned-restore-resources';

/** Binds the orphan sweeper's activities to `deps`. */
export function createOrphanSweeperActivities(deps: ActivityDeps) {
  return {
    /** Lists gameday-owned temporary clusters in the runbooks' accounts and regions, split by age. */
    findOrphanedRestoreResources: (input: unknown) => findOrphanedRestoreResources(deps, input),
    ...createTempResourceActivities(deps),
  };
}

/** The activities `orphanSweeperWorkflow` proxies (workflows import the type only). */
export type OrphanSweeperActivities = ReturnType<typeof createOrphanSweeperActivities>;
