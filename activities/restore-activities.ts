/**
 * Activities of the restore-verification, Backtrack and orphan-sweeper playbooks, bound to their
 * dependencies. The implementations live in `activities/restore/*.ts`, one concern per file.
 */
import type { ActivityDeps } from './deps';
import { prepareBacktrackDrill, prepareRestoreVerification } from './restore/prepare';
import {
  awaitRestoredClusterAvailable,
  awaitRestoredInstanceAvailable,
  awaitSourceRestorable,
  createRestoredInstance,
  startPointInTimeRestore,
  startSnapshotRestore,
} from './restore/restore-cluster';
import { deleteRestoreMarkers, verifyRestoredData, writeRestoreMarkers } from './restore/verify';
import { awaitTempClusterGone, deleteTempCluster, deleteTempInstance, listTempInstances } from './restore/cleanup';
import {
  awaitBacktrackComplete,
  deleteBacktrackRows,
  startBacktrack,
  verifyBacktrack,
  writeBacktrackMarker,
  writeCorruptionSentinel,
} from './restore/backtrack';
import { findOrphanedRestoreResources } from './restore/sweeper';
import { withRdsBudget } from './restore/rate-budget';
import { createSqlCheckRunner, type SqlCheckRunner } from './restore/sql-check-runner';
import type { BacktrackPlan, BacktrackPoint, BacktrackStarted, MarkerWrite, RestorePlan, TempResourceRef } from './restore/types';

/** Options of {@link createRestoreActivities}. */
export interface RestoreActivityOptions {
  /**
   * Budget of RDS API calls per second per account and region (clock seconds), shared by every
   * drill activity of this worker. @default no budget
   */
  readonly rdsCallsPerSecond?: number;
  /**
   * Runs `runbook.restore.checks` SQL on the restored cluster. @default pg/mysql2 with Secrets
   * Manager credentials for real AWS; the canary store's `query` (the sim) otherwise
   */
  readonly sqlChecks?: SqlCheckRunner;
}

/** Binds every restore / Backtrack / sweeper activity to `deps`. */
export function createRestoreActivities(baseDeps: ActivityDeps, opts: RestoreActivityOptions = {}) {
  const deps: ActivityDeps = { ...baseDeps, aws: withRdsBudget(baseDeps.aws, baseDeps.clock, opts.rdsCallsPerSecond) };
  const sqlChecks = opts.sqlChecks ?? (baseDeps.aws.mode === 'real' ? createSqlCheckRunner(baseDeps.aws) : undefined);
  return {
    prepareRestoreVerification: (input: unknown) => prepareRestoreVerification(deps, input),
    writeRestoreMarkers: (plan: RestorePlan) => writeRestoreMarkers(deps, plan),
    awaitSourceRestorable: (plan: RestorePlan, after: number) => awaitSourceRestorable(deps, plan, after),
    startPointInTimeRestore: (plan: RestorePlan) => startPointInTimeRestore(deps, plan),
    startSnapshotRestore: (plan: RestorePlan) => startSnapshotRestore(deps, plan),
    awaitRestoredClusterAvailable: (plan: RestorePlan) => awaitRestoredClusterAvailable(deps, plan),
    createRestoredInstance: (plan: RestorePlan) => createRestoredInstance(deps, plan),
    awaitRestoredInstanceAvailable: (plan: RestorePlan) => awaitRestoredInstanceAvailable(deps, plan),
    verifyRestoredData: (plan: RestorePlan, markers: MarkerWrite, restorePoint: number | undefined) =>
      verifyRestoredData(deps, plan, markers, restorePoint, sqlChecks),
    deleteRestoreMarkers: (plan: RestorePlan) => deleteRestoreMarkers(deps, plan),
    listTempInstances: (ref: TempResourceRef) => listTempInstances(deps, ref),
    deleteTempInstance: (ref: TempResourceRef, instanceId: string) => deleteTempInstance(deps, ref, instanceId),
    deleteTempCluster: (ref: TempResourceRef) => deleteTempCluster(deps, ref),
    awaitTempClusterGone: (ref: TempResourceRef, pollIntervalMs: number, timeoutMs: number) =>
      awaitTempClusterGone(deps, ref, pollIntervalMs, timeoutMs),
    prepareBacktrackDrill: (input: unknown) => prepareBacktrackDrill(deps, input),
    writeBacktrackMarker: (plan: BacktrackPlan) => writeBacktrackMarker(deps, plan),
    writeCorruptionSentinel: (plan: BacktrackPlan, point: BacktrackPoint) => writeCorruptionSentinel(deps, plan, point),
    startBacktrack: (plan: BacktrackPlan, point: BacktrackPoint) => startBacktrack(deps, plan, point),
    awaitBacktrackComplete: (plan: BacktrackPlan, started: BacktrackStarted) => awaitBacktrackComplete(deps, plan, started),
    verifyBacktrack: (plan: BacktrackPlan) => verifyBacktrack(deps, plan),
    deleteBacktrackRows: (plan: BacktrackPlan) => deleteBacktrackRows(deps, plan),
    findOrphanedRestoreResources: (input: unknown) => findOrphanedRestoreResources(deps, input),
  };
}

/** The activity interface of these playbooks (workflows import it as a type). */
export type RestoreActivities = ReturnType<typeof createRestoreActivities>;
