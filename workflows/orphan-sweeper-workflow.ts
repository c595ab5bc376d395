/**
 * `orphanSweeperWorkflow` (scheduled): finds gameday-tagged temporary clusters older than a
 * threshold in every account and region the runbooks name — left behind by a crash outside
 * Temporal's reach, such as a deleted namespace — deletes their instances and the clusters, and
 * reports what it removed. Untagged and younger resources are never touched; every delete re-reads
 * the owner tag first.
 */
import { CancellationScope, setHandler } from '@temporalio/workflow';
import type { DeleteOutcome, OrphanCandidate, OrphanScan, OrphanSweeperInput } from '../activities/restore/types';
import { drillActivities, failureMessage } from './drill-common';
import { statusQuery, type RunStatus } from './messages';

/** What the sweeper removed (or would remove, in a dry run). */
export interface OrphanSweepReport {
  readonly scan: OrphanScan;
  /** Cluster ids whose deletion completed. */
  readonly removed: readonly string[];
  readonly outcomes: readonly DeleteOutcome[];
  /** Clusters the sweeper could not delete, with why. */
  readonly failures: readonly { readonly clusterId: string; readonly error: string }[];
}

/** Sweeps orphaned restore-drill resources (see the module doc). */
export async function orphanSweeperWorkflow(input: OrphanSweeperInput = {}): Promise<OrphanSweepReport> {
  let status: RunStatus = { workflow: 'orphanSweeperWorkflow', phase: 'scanning' };
  setHandler(statusQuery, () => status);
  const scan = await drillActivities({
    pollIntervalMs: 10_000,
    clockScale: 1,
    waitTimeoutMs: 3_600_000,
  }).mutate.findOrphanedRestoreResources(input ?? {});
  const acts = drillActivities({ pollIntervalMs: 10_000, clockScale: scan.clockScale, waitTimeoutMs: 3_600_000 });
  const removed: string[] = [];
  const outcomes: DeleteOutcome[] = [];
  const failures: { clusterId: string; error: string }[] = [];
  if (scan.dryRun) {
    status = { ...status, phase: 'done', detail: `dry run: ${scan.orphans.length} orphan(s) found` };
    return { scan, removed, outcomes, failures };
  }
  // Deleting is an undo of a leak: once started it is not cancelled halfway.
  await CancellationScope.nonCancellable(async () => {
    for (const orphan of scan.orphans) {
      status = { ...status, phase: 'deleting', detail: orphan.clusterId, data: { removed: [...removed] } };
      try {
        outcomes.push(...(await sweepOne(acts, orphan)));
        removed.push(orphan.clusterId);
      } catch (err) {
        failures.push({ clusterId: orphan.clusterId, error: failureMessage(err) });
      }
    }
  });
  status = { ...status, phase: 'done', detail: `${removed.length} removed, ${failures.length} failed`, data: { removed } };
  return { scan, removed, outcomes, failures };
}

async function sweepOne(acts: ReturnType<typeof drillActivities>, orphan: OrphanCandidate): Promise<DeleteOutcome[]> {
  const ref = { target: orphan.target, clusterId: orphan.clusterId, instanceIds: orphan.instanceIds };
  const out: DeleteOutcome[] = [];
  for (const id of await acts.cleanup.listTempInstances(ref)) out.push(await acts.cleanup.deleteTempInstance(ref, id));
  out.push(await acts.cleanup.deleteTempCluster(ref));
  await acts.cleanupWait.awaitTempClusterGone(ref, 10_000, 3_600_000);
  return out;
}
