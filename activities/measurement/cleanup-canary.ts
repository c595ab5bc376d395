/**
 * Deletion of a run's canary rows: on the endpoint given and, when asked, on every Aurora member.
 */
import { withAwsErrors } from '../aws/errors';
import { deleteCanaryRows } from '../canary/canary-reader';
import type { ActivityDeps } from '../deps';
import { loadRunbookOrFail } from './load-runbook-or-fail';
import { canaryTargetFromRunbook } from './canary-target';
import type { CleanupCanaryInput, CleanupCanaryResult } from './inputs';

/** Deletes the run's canary rows (idempotent: a retry deletes 0); `everyMember` also on each member. */
export async function cleanupCanary(deps: ActivityDeps, input: CleanupCanaryInput): Promise<CleanupCanaryResult> {
  const rb = loadRunbookOrFail(deps, input.runbook);
  const { target } = canaryTargetFromRunbook(rb, input.endpoint);
  if (!target) return { deleted: 0 };
  const deleted = await deleteCanaryRows(deps.canary, target, input.runId);
  if (!input.everyMember || !rb.aurora) return { deleted };
  const members: { clusterId: string; deleted?: number; error?: string }[] = [];
  for (const m of rb.aurora.members) {
    try {
      const c = await withAwsErrors(() => deps.aws.rds({ region: m.region, accountId: rb.account }).describeDbCluster(m.clusterId));
      if (!c.endpoint) throw new Error(`cluster ${m.clusterId} has no endpoint`);
      members.push({
        clusterId: m.clusterId,
        deleted: await deleteCanaryRows(deps.canary, { ...target, endpoint: c.endpoint }, input.runId),
      });
    } catch (err) {
      members.push({ clusterId: m.clusterId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  }
  return { deleted, members };
}
