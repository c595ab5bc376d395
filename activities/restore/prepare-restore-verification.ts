/**
 * `prepareRestoreVerification`, the first step of a restore verification: validates the input,
 * loads the runbook, reads the source cluster (no mutation) and fixes every name, tag and bound of
 * the run, so the rest of the workflow works from one plan recorded in history.
 */
import type { ActivityDeps } from '../deps';
import type { DbCluster } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { RestorePlan, RestoreSqlCheck } from '../../contracts/restore-verification';
import { canaryTarget, drillContext, sourceClusterOf } from './drill-context';
import { ownershipTags, tempResourceIds } from './identifiers';
import { invalidInput, parseInput, parseRestorePoint, resolveRunbook, RestoreVerificationInputSchema } from './input';

/** Marker rows written to the source before a restore. */
export const MARKER_COUNT = 3;

/** Validates the input, loads the runbook and fixes the restore plan (reads only). */
export async function prepareRestoreVerification(deps: ActivityDeps, raw: unknown): Promise<RestorePlan> {
  const input = parseInput(RestoreVerificationInputSchema, raw, 'restoreVerificationWorkflow');
  if (input.to !== undefined && input.snapshotId !== undefined) {
    throw invalidInput('input.to: give either "to" (point-in-time restore) or "snapshotId" (snapshot restore), not both');
  }
  // Every input check before the first AWS read (a bad restore point never costs an API call).
  const restoreToTime = input.to !== undefined ? parseRestorePoint(input.to) : undefined;
  const { name, runbook: rb } = resolveRunbook(input.runbook, deps, input.runbookYaml);
  if (!rb.aurora)
    throw invalidInput(`input.runbook: runbook "${name}" has no aurora section; a restore verification needs an Aurora cluster`);
  const sourceClusterId = sourceClusterOf(rb);
  const ctx = drillContext(deps, name, rb, sourceClusterId);
  const ids = tempResourceIds(ctx.workflowId);
  const rds = deps.aws.rds(ctx.target);
  const source = await withAwsErrors(() => rds.describeDbCluster(sourceClusterId), `rds.describeDbCluster(${sourceClusterId})`);

  if (restoreToTime !== undefined) checkRestorable(source, restoreToTime);
  const checks: RestoreSqlCheck[] = (rb.restore?.checks ?? []).map((c) => {
    const kind: RestoreSqlCheck['kind'] = c.kind ?? 'count';
    return { name: c.name, sql: c.sql, ...(c.min !== undefined ? { min: c.min } : {}), kind };
  });
  const canary = canaryTarget(rb, ctx.target.region);
  const preparedAt = deps.clock.now();
  return {
    ...ctx,
    mode: input.snapshotId ? 'snapshot' : restoreToTime !== undefined ? 'pitr-time' : 'pitr-latest',
    ...(restoreToTime !== undefined ? { restoreToTime } : {}),
    ...(input.snapshotId ? { snapshotId: input.snapshotId } : {}),
    tempClusterId: ids.clusterId,
    tempInstanceId: ids.instanceId,
    ...(rb.aurora.restoreSubnetGroup ? { subnetGroup: rb.aurora.restoreSubnetGroup } : {}),
    instanceClass: rb.aurora.restoreInstanceClass,
    tags: ownershipTags(ctx.workflowId, preparedAt, ctx.runId),
    preparedAt,
    ...(canary ? { canary } : {}),
    markerRunId: `restore-${ctx.workflowId}`,
    markerCount: MARKER_COUNT,
    checks,
    waitTimeoutMs: Math.max(2 * 3_600_000, 2 * ctx.targets.rtoMs),
  };
}

function checkRestorable(source: DbCluster, at: number): void {
  const iso = (ms: number): string => new Date(ms).toISOString();
  if (source.earliestRestorableTime !== undefined && at < source.earliestRestorableTime) {
    throw invalidInput(
      `input.to: ${iso(at)} is before the earliest restorable time ${iso(source.earliestRestorableTime)} of ${source.dbClusterIdentifier}; choose a later time`,
    );
  }
  if (source.latestRestorableTime !== undefined && at > source.latestRestorableTime) {
    throw invalidInput(
      `input.to: ${iso(at)} is after the latest restorable time ${iso(source.latestRestorableTime)} of ${source.dbClusterIdentifier}; choose an earlier time or omit "to" for the latest`,
    );
  }
}
