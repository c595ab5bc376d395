/**
 * The steps of `restoreVerificationWorkflow`, bound to their dependencies: each name is a
 * function in the file of the same name (`deleteTempCluster` in `delete-temp-cluster.ts`), one
 * AWS mutation or one wait each. The temporary-resource deletes are shared with the orphan sweeper.
 */
import type { ActivityDeps } from '../deps';
import type { MarkerWrite, RestorePlan } from '../../contracts/restore-verification';
import { awaitRestoredClusterAvailable } from './await-restored-cluster-available';
import { awaitRestoredInstanceAvailable } from './await-restored-instance-available';
import { awaitSourceRestorable } from './await-source-restorable';
import { createRestoredInstance } from './create-restored-instance';
import { deleteRestoreMarkers } from './delete-restore-markers';
import { prepareRestoreVerification } from './prepare-restore-verification';
import { withRdsBudget } from './rate-budget';
import { resolveDrillTarget } from './resolve-drill-target';
import { chargedAws, countCalls } from '../aws/charged-calls';
import { budgetWait } from './aws-helpers';
import { awaitTempClusterGone } from './await-temp-cluster-gone';
import { deleteTempCluster } from './delete-temp-cluster';
import { deleteTempInstance } from './delete-temp-instance';
import { listTempInstances } from './list-temp-instances';
import { OPERATION_DURATIONS } from '../../lib/poll-schedule';
import type { TempResourceRef } from '../../contracts/drill';
import { createSqlCheckRunner, type SqlCheckRunner } from './sql-check-runner';
import { startPointInTimeRestore } from './start-point-in-time-restore';
import { startSnapshotRestore } from './start-snapshot-restore';
import { createTempResourceActivities } from './temp-resources';
import { verifyRestoredData } from './verify-restored-data';
import { writeRestoreMarkers } from './write-restore-markers';

/** Options of {@link createRestoreActivities}. */
export interface RestoreActivityOptions {
  /**
   * Budget of RDS API calls per second per account and region (clock seconds), for these
   * activities. @default none (the worker applies one budget to every drill, see `drill-activities.ts`)
   */
  readonly rdsCallsPerSecond?: number;
  /**
   * Runs `runbook.restore.checks` SQL on the restored cluster. @default pg/mysql2 with Secrets
   * Manager credentials for real AWS; the canary store's `query` (the sim) otherwise
   */
  readonly sqlChecks?: SqlCheckRunner;
}

/** Binds the restore verification's activities to `deps`. */
export function createRestoreActivities(baseDeps: ActivityDeps, opts: RestoreActivityOptions = {}) {
  const deps: ActivityDeps = { ...baseDeps, aws: withRdsBudget(baseDeps.aws, baseDeps.clock, opts.rdsCallsPerSecond) };
  const sqlChecks = opts.sqlChecks ?? (baseDeps.aws.mode === 'real' ? createSqlCheckRunner(baseDeps.aws) : undefined);
  return {
    /** Validates the (UI) input, loads the runbook, reads the source; fixes names, tags and bounds. */
    prepareRestoreVerification: (input: unknown) => prepareRestoreVerification(deps, input),
    /** Writes the marker rows to the source (undo: `deleteRestoreMarkers`). */
    writeRestoreMarkers: (plan: RestorePlan) => writeRestoreMarkers(deps, plan),
    /** Removes the marker rows from the source. */
    deleteRestoreMarkers: (plan: RestorePlan) => deleteRestoreMarkers(deps, plan),
    /** Waits until the source's latest restorable time passes the marker rows. */
    awaitSourceRestorable: (plan: RestorePlan, after: number) => awaitSourceRestorable(deps, plan, after),
    /** RestoreDBClusterToPointInTime into the temporary cluster (undo: delete the cluster). */
    startPointInTimeRestore: (plan: RestorePlan) => startPointInTimeRestore(deps, plan),
    /** RestoreDBClusterFromSnapshot into the temporary cluster (undo: delete the cluster). */
    startSnapshotRestore: (plan: RestorePlan) => startSnapshotRestore(deps, plan),
    /** Waits until the restored cluster is available. */
    awaitRestoredClusterAvailable: (plan: RestorePlan) => awaitRestoredClusterAvailable(deps, plan),
    /** CreateDBInstance in the restored cluster (undo: `deleteTempInstance`). */
    createRestoredInstance: (plan: RestorePlan) => createRestoredInstance(deps, plan),
    /** Waits until the restored instance is available (restore-available). */
    awaitRestoredInstanceAvailable: (plan: RestorePlan) => awaitRestoredInstanceAvailable(deps, plan),
    /** Checks the marker rows and the runbook's SQL checks on the restored cluster. */
    verifyRestoredData: (plan: RestorePlan, markers: MarkerWrite, restorePoint: number | undefined) =>
      verifyRestoredData(deps, plan, markers, restorePoint, sqlChecks),
    ...createTempResourceActivities(deps),
    /** The account and region of the drill's AWS calls, from the runbook (no AWS call): picks the budget queue. */
    resolveDrillTarget: async (input: unknown) => resolveDrillTarget(deps, input),
  };
}

/**
 * The same activity names for a budget queue (`lib/aws-budget.ts`): every AWS call one attempt
 * (`chargedAws`), the waits one read per attempt on the adaptive schedule, each result counting
 * its calls (`countCalls`). Registered only on the `<queue>-aws-<account>-<region>` workers;
 * the marker steps make no AWS API call and stay on the main queue; the verification reads the
 * restored cluster (one RDS call) before its SQL, so it runs here.
 */
export function createRestoreBudgetActivities(baseDeps: ActivityDeps, opts: Pick<RestoreActivityOptions, 'sqlChecks'> = {}) {
  const deps: ActivityDeps = { ...baseDeps, aws: chargedAws(baseDeps.aws) };
  const sqlChecks = opts.sqlChecks ?? (baseDeps.aws.mode === 'real' ? createSqlCheckRunner(baseDeps.aws) : undefined);
  const d = OPERATION_DURATIONS;
  return {
    prepareRestoreVerification: countCalls((input: unknown) => prepareRestoreVerification(deps, input)),
    awaitSourceRestorable: countCalls((plan: RestorePlan, after: number) =>
      awaitSourceRestorable(deps, plan, after, budgetWait(d.latestRestorableLag)),
    ),
    startPointInTimeRestore: countCalls((plan: RestorePlan) => startPointInTimeRestore(deps, plan)),
    startSnapshotRestore: countCalls((plan: RestorePlan) => startSnapshotRestore(deps, plan)),
    awaitRestoredClusterAvailable: countCalls((plan: RestorePlan) =>
      awaitRestoredClusterAvailable(deps, plan, budgetWait(d.restoreCluster)),
    ),
    createRestoredInstance: countCalls((plan: RestorePlan) => createRestoredInstance(deps, plan)),
    awaitRestoredInstanceAvailable: countCalls((plan: RestorePlan) =>
      awaitRestoredInstanceAvailable(deps, plan, budgetWait(d.createInstance)),
    ),
    verifyRestoredData: countCalls((plan: RestorePlan, markers: MarkerWrite, restorePoint: number | undefined) =>
      verifyRestoredData(deps, plan, markers, restorePoint, sqlChecks),
    ),
    listTempInstances: countCalls((ref: TempResourceRef) => listTempInstances(deps, ref)),
    deleteTempInstance: countCalls((ref: TempResourceRef, instanceId: string) => deleteTempInstance(deps, ref, instanceId)),
    deleteTempCluster: countCalls((ref: TempResourceRef) => deleteTempCluster(deps, ref)),
    awaitTempClusterGone: countCalls((ref: TempResourceRef, pollIntervalMs: number, timeoutMs: number) =>
      awaitTempClusterGone(deps, ref, pollIntervalMs, timeoutMs, budgetWait(d.deleteCluster)),
    ),
  };
}

/** The activities `restoreVerificationWorkflow` proxies (workflows import the type only). */
export type RestoreVerificationActivities = ReturnType<typeof createRestoreActivities>;
