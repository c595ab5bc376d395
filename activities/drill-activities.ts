/**
 * The drill playbooks' activities (restore verification, Backtrack drill, orphan sweeper) behind
 * one RDS call budget per worker: the budget is shared by every drill activity, so hundreds of
 * concurrent restore verifications never exceed the account's API rate.
 */
import { meteredAws } from './aws/call-meter';
import type { ActivityDeps } from './deps';
import { createBacktrackActivities, createBacktrackBudgetActivities } from './backtrack';
import { createOrphanSweeperActivities, createOrphanSweeperBudgetActivities } from './orphan-sweeper';
import { createRestoreActivities, createRestoreBudgetActivities } from './restore';
import { withRdsBudget } from './restore/rate-budget';
import type { SqlCheckRunner } from './restore/sql-check-runner';

/** Options of {@link createDrillActivities}. */
export interface DrillActivityOptions {
  /** RDS API calls per second per account and region (clock seconds), shared by every drill activity. @default no budget */
  readonly rdsCallsPerSecond?: number;
  /** Runs `runbook.restore.checks` SQL. @default see `RestoreActivityOptions.sqlChecks` */
  readonly sqlChecks?: SqlCheckRunner;
}

/** Binds every drill activity to `deps`, behind one RDS budget. */
export function createDrillActivities(baseDeps: ActivityDeps, opts: DrillActivityOptions = {}) {
  const deps: ActivityDeps = { ...baseDeps, aws: withRdsBudget(baseDeps.aws, baseDeps.clock, opts.rdsCallsPerSecond) };
  return {
    ...createRestoreActivities(deps, opts.sqlChecks ? { sqlChecks: opts.sqlChecks } : {}),
    ...createBacktrackActivities(deps),
    ...createOrphanSweeperActivities(deps),
  };
}

/**
 * The drill activities a budget queue (`<queue>-aws-<account>-<region>`) runs: one AWS call per
 * attempt, rate-limited fleet-wide by the queue (see `lib/aws-budget.ts`). The restore
 * verification's, the Backtrack drill's and the orphan sweeper's AWS steps (the sweeper's deletes
 * are the restore's temporary-resource deletes).
 */
export function createDrillBudgetActivities(unmetered: ActivityDeps, opts: Pick<DrillActivityOptions, 'sqlChecks'> = {}) {
  const deps = { ...unmetered, aws: meteredAws(unmetered.aws) }; // AWS calls per run (activities/aws/call-meter.ts)
  return {
    ...createRestoreBudgetActivities(deps, opts),
    ...createBacktrackBudgetActivities(deps),
    ...createOrphanSweeperBudgetActivities(deps),
  };
}
