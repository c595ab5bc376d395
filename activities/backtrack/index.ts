/**
 * The steps of `backtrackDrillWorkflow`, bound to their dependencies: each name is a function in
 * the file of the same name (`startBacktrack` in `start-backtrack.ts`).
 */
import type { ActivityDeps } from '../deps';
import { chargedAws, countCalls } from '../aws/charged-calls';
import { OPERATION_DURATIONS } from '../../lib/poll-schedule';
import { budgetWait } from '../restore/aws-helpers';
import { resolveBacktrackTarget } from './resolve-backtrack-target';
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
    /** The account and region of the drill's AWS calls, from the runbook (no AWS call): picks the budget queue. */
    resolveBacktrackTarget: async (input: unknown) => resolveBacktrackTarget(deps, input),
  };
}

/**
 * The Backtrack drill's AWS steps for a budget queue (`lib/aws-budget.ts`): every AWS call one
 * attempt (`chargedAws`), the wait one call per attempt on the adaptive schedule of a backtrack,
 * each result counting its calls (`countCalls`). The canary row steps make no AWS API call and
 * stay on the main queue.
 */
export function createBacktrackBudgetActivities(baseDeps: ActivityDeps) {
  const deps: ActivityDeps = { ...baseDeps, aws: chargedAws(baseDeps.aws) };
  return {
    prepareBacktrackDrill: countCalls((input: unknown) => prepareBacktrackDrill(deps, input)),
    startBacktrack: countCalls((plan: BacktrackPlan, point: BacktrackPoint) => startBacktrack(deps, plan, point)),
    awaitBacktrackComplete: countCalls((plan: BacktrackPlan, started: BacktrackStarted) =>
      awaitBacktrackComplete(deps, plan, started, budgetWait(OPERATION_DURATIONS.backtrack)),
    ),
  };
}

/** The activities `backtrackDrillWorkflow` proxies (workflows import the type only). */
export type BacktrackDrillActivities = ReturnType<typeof createBacktrackActivities>;
