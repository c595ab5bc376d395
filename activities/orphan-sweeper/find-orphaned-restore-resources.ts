/**
 * `findOrphanedRestoreResources`, the orphan sweeper's scan: gameday-tagged temporary clusters
 * across every account and region the runbooks name, split into those older than the threshold
 * whose owning run Temporal says is closed (to delete) and the rest (left alone, with the reason).
 * Reads only; deletion reuses the restore drill's delete activities, which re-check the owner tag
 * and ask Temporal again before each delete. A threshold below `MIN_ORPHAN_AGE` is refused.
 */
import type { ActivityDeps } from '../deps';
import type { AwsTarget } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import { listRunbookFiles, runbookName } from '../../runbooks/load';
import type { OrphanCandidate, OrphanScan } from '../../contracts/orphan-sweeper';
import { CREATED_AT_TAG, OWNER_TAG, OWNER_VALUE, RUN_ID_TAG, WORKFLOW_ID_TAG } from '../restore/identifiers';
import { policyOf } from '../../runbooks/blast-radius';
import { invalidInput, OrphanSweeperInputSchema, parseAge, parseInput, resolveRunbook } from '../restore/input';

/** Default minimum age of a temporary resource before the sweeper deletes it. */
export const DEFAULT_ORPHAN_AGE = '12h';

/** The smallest threshold the sweeper accepts: younger resources may belong to a drill still starting. */
export const MIN_ORPHAN_AGE = '30m';

/** What a sweep scans, fixed before its first AWS call: threshold, dry run, the locations. */
export type OrphanSweepPlan = Omit<OrphanScan, 'orphans' | 'kept'>;

/** What one location's scan found. */
export type OrphanLocationScan = Pick<OrphanScan, 'orphans' | 'kept'>;

/**
 * Validates the input and lists the accounts and regions of the runbooks (no AWS call): the plan
 * of a sweep. A threshold below `MIN_ORPHAN_AGE` is refused.
 */
export function planOrphanSweep(deps: ActivityDeps, raw: unknown): OrphanSweepPlan {
  const input = parseInput(OrphanSweeperInputSchema, raw ?? {}, 'orphanSweeperWorkflow');
  const thresholdMs = parseAge(input.olderThan ?? DEFAULT_ORPHAN_AGE);
  if (thresholdMs < parseAge(MIN_ORPHAN_AGE)) {
    throw invalidInput(
      `input.olderThan: ${input.olderThan} is below the safe minimum of ${MIN_ORPHAN_AGE} (a younger temporary cluster may belong to a drill that is still starting); use ${MIN_ORPHAN_AGE} or more`,
    );
  }
  const allowed = policyOf(deps).runbooks;
  const refs =
    input.runbooks ??
    listRunbookFiles(deps.runbookDir)
      .map(runbookName)
      .filter((n) => !allowed || allowed.includes(n));
  if (!deps.workflows)
    throw invalidInput(
      "this worker has no Temporal client to ask whether a resource's owning run is open; build it with lib/composition-root",
    );
  const locations = new Map<string, AwsTarget>();
  for (const ref of refs) {
    const { runbook: rb } = resolveRunbook(ref, deps);
    if (!rb.aurora) continue;
    for (const m of rb.aurora.members) locations.set(`${rb.account}/${m.region}`, { region: m.region, accountId: rb.account });
  }
  return {
    scannedAt: deps.clock.now(),
    thresholdMs,
    dryRun: input.dryRun ?? false,
    clockScale: deps.clock.scale,
    locations: [...locations.values()],
  };
}

/**
 * Lists the gameday-owned clusters of one location (one AWS call) and splits them: older than the
 * threshold and with a closed (or unknown) owning run to delete, the rest kept with the reason.
 */
export async function scanOrphanLocation(deps: ActivityDeps, plan: OrphanSweepPlan, target: AwsTarget): Promise<OrphanLocationScan> {
  if (!deps.workflows)
    throw invalidInput(
      "this worker has no Temporal client to ask whether a resource's owning run is open; build it with lib/composition-root",
    );
  const liveness = deps.workflows;
  const now = deps.clock.now();
  const orphans: OrphanCandidate[] = [];
  const kept: OrphanCandidate[] = [];
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
    if (createdAt === undefined || now - createdAt < plan.thresholdMs) {
      kept.push({ ...candidate, keptBecause: createdAt === undefined ? 'no readable creation time' : 'younger than the threshold' });
      continue;
    }
    const owner = c.tags[WORKFLOW_ID_TAG];
    const state = owner ? await liveness.state(owner, c.tags[RUN_ID_TAG]) : 'not-found';
    if (state === 'open') kept.push({ ...candidate, keptBecause: `its owning run ${owner} is still open` });
    else orphans.push(candidate);
  }
  return { orphans, kept };
}

/** Lists gameday-owned clusters in the runbooks' accounts and regions and splits them by age (the plan, then every location). */
export async function findOrphanedRestoreResources(deps: ActivityDeps, raw: unknown): Promise<OrphanScan> {
  const plan = planOrphanSweep(deps, raw);
  const orphans: OrphanCandidate[] = [];
  const kept: OrphanCandidate[] = [];
  for (const target of plan.locations) {
    const found = await scanOrphanLocation(deps, plan, target);
    orphans.push(...found.orphans);
    kept.push(...found.kept);
  }
  return { ...plan, orphans, kept };
}

function parseCreatedAt(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
