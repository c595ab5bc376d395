/**
 * The budget-queue workers of a worker process (`lib/aws-budget.ts`): one Temporal worker per
 * account and region of the runbooks, on `<task queue>-aws-<account>-<region>`, running the
 * drill activities that call AWS with Temporal's server-side `maxTaskQueueActivitiesPerSecond`
 * set from the fleet budget. Every process of the fleet polls the same queues with the same rate,
 * so the server holds the budget for all of them together.
 */
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createDrillBudgetActivities } from '../activities/drill-activities';
import type { ActivityDeps } from '../activities/deps';
import type { SqlCheckRunner } from '../activities/restore/sql-check-runner';
import { listRunbookFiles, loadRunbookFile } from '../runbooks/load';
import { awsBudgetQueue, budgetQueueRate, type BudgetTarget } from './aws-budget';
import type { WorkerConfig } from './config';
import type { Logger } from './logger';
import type { WorkerPolicy } from '../runbooks/blast-radius';

/**
 * The accounts and regions whose AWS calls the drills may make: every region of the runbooks in
 * `dir` (a drill's primary region, each region the orphan sweeper scans) and every account ×
 * region of the worker's `policy` (an inline runbook may name any of them), so no drill's step
 * waits on a budget queue that no worker polls.
 */
export function budgetTargets(dir: string, logger: Logger, policy?: Pick<WorkerPolicy, 'accounts' | 'regions'>): BudgetTarget[] {
  const seen = new Map<string, BudgetTarget>();
  for (const accountId of policy?.accounts ?? [])
    for (const region of policy?.regions ?? []) seen.set(`${accountId}/${region}`, { accountId, region });
  for (const file of listRunbookFiles(dir)) {
    let rb;
    try {
      rb = loadRunbookFile(file);
    } catch (err) {
      logger.warn({ file, err: (err as Error).message }, 'runbook skipped for the AWS budget queues (invalid)');
      continue;
    }
    if (!rb.aurora) continue;
    for (const region of [rb.aurora.primaryRegion, ...rb.aurora.members.map((m) => m.region)])
      seen.set(`${rb.account}/${region}`, { accountId: rb.account, region });
  }
  return [...seen.values()];
}

/** Creates the budget-queue workers of `config` for `deps` (not yet running). */
export async function createBudgetWorkers(
  config: WorkerConfig,
  connection: NativeConnection,
  namespace: string,
  deps: ActivityDeps,
  logger: Logger,
  opts: { readonly sqlChecks?: SqlCheckRunner; readonly interceptors?: WorkerOptions['interceptors'] } = {},
): Promise<Worker[]> {
  const budget = config.GAMEDAY_RDS_CALLS_PER_SECOND;
  const rate = budget !== undefined ? budgetQueueRate(budget, config.GAMEDAY_AWS_BUDGET_PARTITIONS) : undefined;
  const activities = createDrillBudgetActivities(deps, opts.sqlChecks ? { sqlChecks: opts.sqlChecks } : {});
  const workers: Worker[] = [];
  for (const target of budgetTargets(deps.runbookDir, logger, deps.policy)) {
    const taskQueue = awsBudgetQueue(config.GAMEDAY_TASK_QUEUE, target);
    workers.push(
      await Worker.create({
        connection,
        namespace,
        taskQueue,
        activities,
        maxConcurrentActivityTaskExecutions: config.GAMEDAY_MAX_CONCURRENT_ACTIVITIES,
        ...(rate !== undefined ? { maxTaskQueueActivitiesPerSecond: rate } : {}),
        shutdownGraceTime: config.GAMEDAY_SHUTDOWN_GRACE_MS,
        ...(opts.interceptors ? { interceptors: opts.interceptors } : {}),
      }),
    );
    logger.debug({ taskQueue, budgetPerSecond: budget, queueRate: rate }, 'polling an AWS budget queue');
  }
  return workers;
}

/** Runs `main` and the budget workers together: when one stops, all stop. */
export async function runWithBudgetWorkers(main: Worker, budget: readonly Worker[]): Promise<void> {
  const stop = (w: Worker): void => {
    if (w.getState() === 'RUNNING') w.shutdown();
  };
  const runs = budget.map((w) => w.run().finally(() => stop(main)));
  const mainRun = await Promise.allSettled([main.run()]);
  budget.forEach(stop);
  const results = [...mainRun, ...(await Promise.allSettled(runs))];
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
