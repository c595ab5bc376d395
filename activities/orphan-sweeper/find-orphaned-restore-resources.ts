/**
 * `findOrphanedRestoreResources`, the orphan sweeper's scan: gameday-tagged temporary clusters
 * across every account and region the runbooks name, split into those older than the threshold
 * (to delete) and the rest (left alone). Reads only; deletion reuses the restore drill's delete
 * activities, which re-check the owner tag before each delete.
 */
import type { ActivityDeps } from '../deps';
import type { AwsTarget } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import { listRunbookFiles, runbookName } from '../../runbooks/load';
import type { OrphanCandidate, OrphanScan } from '../../contracts/orphan-sweeper';
import { CREATED_AT_TAG, OWNER_TAG, OWNER_VALUE, WORKFLOW_ID_TAG } from '../restore/identifiers';
import { OrphanSweeperInputSchema, parseAge, parseInput, resolveRunbook } from '../restore/input';

/** Default minimum age of a temporary resource before the sweeper deletes it. */
export const DEFAULT_ORPHAN_AGE = '12h';

/** Lists gameday-owned clusters in the runbooks' accounts and regions and splits them by age. */
export async function findOrphanedRestoreResources(deps: ActivityDeps, raw: unknown): Promise<OrphanScan> {
  const input = parseInput(OrphanSweeperInputSchema, raw ?? {}, 'orphanSweeperWorkflow');
  const thresholdMs = parseAge(input.olderThan ?? DEFAULT_ORPHAN_AGE);
  const refs = input.runbooks ?? listRunbookFiles(deps.runbookDir).map(runbookName);
  const locations = new Map<string, AwsTarget>();
  for (const ref of refs) {
    const { runbook: rb } = resolveRunbook(ref, deps.runbookDir);
    if (!rb.aurora) continue;
    for (const m of rb.aurora.members) locations.set(`${rb.account}/${m.region}`, { region: m.region, accountId: rb.account });
  }
  const now = deps.clock.now();
  const orphans: OrphanCandidate[] = [];
  const kept: OrphanCandidate[] = [];
  for (const target of locations.values()) {
    const rds = deps.aws.rds(target);
    const clusters = await withAwsErrors(
      () => rds.listDbClusters({ tags: { [OWNER_TAG]: OWNER_VALUE } }),
      `rds.listDbClusters(${target.accountId}/${target.region})`,
    );
    for (const c of clusters) {
      if (c.tags[OWNER_TAG] !== OWNER_VALUE) continue; // defensive: never trust the filter alone
      const createdAt = parseCreatedAt(c.tags[CREATED_AT_TAG]) ?? c.clusterCreateTime;
      const candidate: OrphanCandidate = {
        target,
        clusterId: c.dbClusterIdentifier,
        instanceIds: c.members.map((m) => m.dbInstanceIdentifier),
        status: c.status,
        ...(createdAt !== undefined ? { createdAt, ageMs: now - createdAt } : {}),
        ...(c.tags[WORKFLOW_ID_TAG] ? { ownerWorkflowIdTag: c.tags[WORKFLOW_ID_TAG] } : {}),
      };
      if (createdAt !== undefined && now - createdAt >= thresholdMs) orphans.push(candidate);
      else kept.push(candidate);
    }
  }
  return {
    scannedAt: now,
    thresholdMs,
    dryRun: input.dryRun ?? false,
    clockScale: deps.clock.scale,
    locations: [...locations.values()],
    orphans,
    kept,
  };
}

function parseCreatedAt(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
