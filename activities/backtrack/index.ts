/**
 * The steps of `backtrackDrillWorkflow`, bound to their dependencies: each name is a function in
 * the file of the same name (`startBacktrack` in `start-backtrack.ts`).
 */
import type { ActivityDeps } from '../deps';
import type { BacktrackPlan, BacktrackPoint, BacktrackStarted } from '../../contracts/backtrack-drill';
import { awaitBacktrackComplete } from './await-backtrack-complete';
import { deleteBacktrackRows } from './delete-backtrack-rows';
import { prepareBacktrackDrill } from './prepare-backtrack-drill';
import { startBacktrack } from './start-backtrack';
import { verifyBacktrack } from './verify-backtrack';
import { writeBacktrackMarker } from './write-backtrack-marker';
import { writeCorruptionSentinel } from './write-corruption-sentinel';

/** Binds the Backtrack drill's activities to `deps`. */
export function createBacktrackActivities(deps: ActivityDeps) {
  return {
    /** Validates the input; refuses a cluster Backtrack cannot rewind, before any mutation. */
    prepareBacktrackDrill: (input: unknown) => prepareBacktrackDrill(deps, input),
    /** Writes the marker row and returns T (undo: `deleteBacktrackRows`). */
    writeBacktrackMarker: (plan: BacktrackPlan) => writeBacktrackMarker(deps, plan),
    /** Writes the "corruption" sentinel strictly after T. */
    writeCorruptionSentinel: (plan: BacktrackPlan, point: BacktrackPoint) => writeCorruptionSentinel(deps, plan, point),
    /** BacktrackDBCluster to T: the point of no return. */
    startBacktrack: (plan: BacktrackPlan, point: BacktrackPoint) => startBacktrack(deps, plan, point),
    /** Waits until the backtrack completed and the cluster is available. */
    awaitBacktrackComplete: (plan: BacktrackPlan, started: BacktrackStarted) => awaitBacktrackComplete(deps, plan, started),
    /** Checks the sentinel is gone and the marker present. */
    verifyBacktrack: (plan: BacktrackPlan) => verifyBacktrack(deps, plan),
    /** Removes the drill's rows. */
    deleteBacktrackRows: (plan: BacktrackPlan) => deleteBacktrackRows(deps, plan),
  };
}

/** The activities `backtrackDrillWorkflow` proxies (workflows import the type only). */
export type BacktrackDrillActivities = ReturnType<typeof createBacktrackActivities>;
