/**
 * `orphanSweeperWorkflow` (scheduled): finds gameday-tagged temporary clusters older than a
 * threshold in every account and region the runbooks name — left behind by a crash outside
 * Temporal's reach, such as a deleted namespace — deletes their instances and the clusters, and
 * reports what it removed. Untagged and younger resources are never touched; every delete re-reads
 * the owner tag first. The first delete is the point of no return: an abort or a cancellation
 * stops a sweep during its scan, never halfway through its deletes. Its AWS calls (one list per
 * location, the deletes) run on each location's budget queue (`lib/aws-budget.ts`, patch
 * `sweeper-aws-budget-queues`).
 */
import { patched } from '@temporalio/workflow';
import type { OrphanSweeperActivities } from '../activities';
import type { DeleteOutcome } from '../contracts/drill';
import type { OrphanCandidate, OrphanScan, OrphanSweeperInput, OrphanSweepReport } from '../contracts/orphan-sweeper';
import { AwsCallCount, budgetPrepareProxy, budgetProxies } from './budget-proxies';
import { drillProxies, prepareProxy } from './drill-proxies';
import { failureMessage, Run } from './kit';
import { deleteCluster } from './temp-resource-undo';

type Acts = OrphanSweeperActivities;
const scanner = prepareProxy<Acts>();
/** Polling and bound of the wait until a deleted cluster is gone, clock ms. */
const WAIT = { pollIntervalMs: 10_000, timeoutMs: 3_600_000 };

/** The scan with each location's list on its budget queue: the plan (no AWS call), then one list per location. */
async function budgetScan(input: OrphanSweeperInput, calls: AwsCallCount): Promise<OrphanScan> {
  const plan = await scanner.planOrphanSweep(input);
  const orphans: OrphanCandidate[] = [];
  const kept: OrphanCandidate[] = [];
  for (const target of plan.locations) {
    const found = await budgetPrepareProxy<Acts>(target, calls).scanOrphanLocation(plan, target);
    orphans.push(...found.orphans);
    kept.push(...found.kept);
  }
  return { ...plan, orphans, kept };
}

/** Sweeps orphaned restore-drill resources (see the module doc). */
export async function orphanSweeperWorkflow(input: OrphanSweeperInput = {}): Promise<OrphanSweepReport> {
  const run = new Run('orphanSweeperWorkflow', ['scan']);
  run.pointOfNoReturn('the first delete (a sweep is never stopped halfway)');
  let scan: OrphanScan | undefined;
  const removed: string[] = [];
  const outcomes: DeleteOutcome[] = [];
  const failures: { clusterId: string; error: string }[] = [];
  // The AWS calls run on the budget queues; sweeps started before that did not.
  const budgeted = patched('sweeper-aws-budget-queues');
  const calls = new AwsCallCount();
  const counted = () => (budgeted ? { awsCalls: calls.total } : {});
  run.reportWhileRunning(
    () =>
      scan && {
        outcome: 'running',
        reason: `running (step ${run.tracker.current})`,
        scan,
        removed: [...removed],
        outcomes: [...outcomes],
        failures: [...failures],
        ...counted(),
      },
  );

  const steps = async (): Promise<void> => {
    const scanAll = () => (budgeted ? budgetScan(input ?? {}, calls) : scanner.findOrphanedRestoreResources(input ?? {}));
    const s = (scan = await run.step('scan', scanAll, {
      summary: (r) => `${r.orphans.length} orphan(s), ${r.kept.length} kept`,
    }));
    if (s.dryRun || s.orphans.length === 0) return;
    const sizing = { pollIntervalMs: WAIT.pollIntervalMs, clockScale: s.clockScale, waitTimeoutMs: WAIT.timeoutMs };
    const act = drillProxies<Acts>(sizing);
    run.passPointOfNoReturn();
    for (const orphan of s.orphans) {
      try {
        await run.step(
          `delete ${orphan.clusterId}`,
          () =>
            deleteCluster(budgeted ? budgetProxies<Acts>({ ...sizing, target: orphan.target }, calls) : act, orphan, WAIT, (o) =>
              outcomes.push(o),
            ),
          {
            at: (o) => o.observedAt,
          },
        );
        removed.push(orphan.clusterId);
      } catch (err) {
        failures.push({ clusterId: orphan.clusterId, error: failureMessage(err) });
      }
      run.show({ removed: [...removed], failed: failures.length });
    }
  };

  const result = await run.execute({
    steps,
    finish: async (end): Promise<OrphanSweepReport | undefined> =>
      scan && {
        outcome: end.kind === 'completed' ? 'completed' : 'aborted',
        ...('reason' in end ? { reason: end.reason } : {}),
        scan,
        removed,
        outcomes,
        failures,
        ...counted(),
      },
    failureType: 'OrphanSweepFailed',
  });
  return result!; // a completed run always has its scan
}
