/**
 * First activities of the restore and Backtrack drills: validate the input, load the runbook,
 * read the source cluster (no mutation) and fix every name, tag and bound of the run, so the
 * rest of the workflow works from one plan recorded in history.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import type { AuroraEngine, DbCluster } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { CanaryTarget } from '../canary/canary-store';
import { parseDuration, type Runbook } from '../../runbooks/schema';
import { targetsFor } from '../../lib/tiers';
import { ownershipTags, tempResourceIds } from './identifiers';
import {
  BacktrackDrillInputSchema,
  invalidInput,
  parseInput,
  parseRestorePoint,
  resolveRunbook,
  RestoreVerificationInputSchema,
} from './input';
import type { BacktrackPlan, DrillContext, RestorePlan, RestoreSqlCheck } from './types';

/** Poll interval of restore / backtrack waits in clock ms (the resolution of the measurement). */
export const DRILL_POLL_INTERVAL_MS = 10_000;
/** Marker rows written to the source before a restore. */
export const MARKER_COUNT = 3;

/** Refusal of a drill the cluster cannot run (Backtrack on PostgreSQL or a global member, …). */
export function drillRefused(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

function currentWorkflow(): { workflowId: string; runId: string } {
  const info = Context.current().info.workflowExecution;
  if (!info) throw invalidInput('this activity runs only inside a workflow (no workflow execution in its context)');
  return { workflowId: info.workflowId, runId: info.runId };
}

function engineOf(rb: Runbook): AuroraEngine {
  return rb.aurora!.engine === 'mysql' ? 'aurora-mysql' : 'aurora-postgresql';
}

function canaryTarget(rb: Runbook, region: string): CanaryTarget | undefined {
  if (!rb.canary || !rb.aurora) return undefined;
  return {
    engine: rb.aurora.engine,
    endpoint: rb.canary.endpoint,
    ...(rb.canary.port !== undefined ? { port: rb.canary.port } : {}),
    database: rb.canary.database,
    secretArn: rb.canary.secretArn,
    region: /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(rb.canary.secretArn)?.[1] ?? region,
    table: rb.canary.table,
  };
}

function drillContext(deps: ActivityDeps, name: string, rb: Runbook, clusterId: string): DrillContext {
  const { workflowId, runId } = currentWorkflow();
  const tierTargets = targetsFor(rb.tier, {
    ...(rb.targets?.rpo ? { rpoMs: parseDuration(rb.targets.rpo) } : {}),
    ...(rb.targets?.rto ? { rtoMs: parseDuration(rb.targets.rto) } : {}),
  });
  return {
    workflowId,
    runId,
    runbook: name,
    service: rb.service,
    environment: rb.environment,
    tier: rb.tier,
    targets: tierTargets,
    awsMode: deps.aws.mode,
    target: { region: rb.aurora!.primaryRegion, accountId: rb.account },
    engine: engineOf(rb),
    clusterId,
    clockScale: deps.clock.scale,
    pollIntervalMs: DRILL_POLL_INTERVAL_MS,
  };
}

function sourceClusterOf(rb: Runbook): string {
  const aurora = rb.aurora!;
  return rb.restore?.sourceClusterId ?? aurora.members.find((m) => m.region === aurora.primaryRegion)!.clusterId;
}

/** Validates the input, loads the runbook and fixes the restore plan (reads only). */
export async function prepareRestoreVerification(deps: ActivityDeps, raw: unknown): Promise<RestorePlan> {
  const input = parseInput(RestoreVerificationInputSchema, raw, 'restoreVerificationWorkflow');
  if (input.to !== undefined && input.snapshotId !== undefined) {
    throw invalidInput('input.to: give either "to" (point-in-time restore) or "snapshotId" (snapshot restore), not both');
  }
  const { name, runbook: rb } = resolveRunbook(input.runbook, deps.runbookDir, input.runbookYaml);
  if (!rb.aurora)
    throw invalidInput(`input.runbook: runbook "${name}" has no aurora section; a restore verification needs an Aurora cluster`);
  const sourceClusterId = sourceClusterOf(rb);
  const ctx = drillContext(deps, name, rb, sourceClusterId);
  const ids = tempResourceIds(ctx.workflowId);
  const rds = deps.aws.rds(ctx.target);
  const source = await withAwsErrors(() => rds.describeDbCluster(sourceClusterId), `rds.describeDbCluster(${sourceClusterId})`);

  let restoreToTime: number | undefined;
  if (input.to !== undefined) {
    restoreToTime = parseRestorePoint(input.to);
    checkRestorable(source, restoreToTime);
  }
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
    tags: ownershipTags(ctx.workflowId, preparedAt),
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

/**
 * Validates the input and refuses, before any mutation, a cluster Backtrack cannot rewind:
 * Aurora PostgreSQL, a global-database member, or a cluster created without a backtrack window.
 */
export async function prepareBacktrackDrill(deps: ActivityDeps, raw: unknown): Promise<BacktrackPlan> {
  const input = parseInput(BacktrackDrillInputSchema, raw, 'backtrackDrillWorkflow');
  const { name, runbook: rb } = resolveRunbook(input.runbook, deps.runbookDir, input.runbookYaml);
  if (!rb.aurora)
    throw invalidInput(`input.runbook: runbook "${name}" has no aurora section; a Backtrack drill needs an Aurora MySQL cluster`);
  const clusterId = sourceClusterOf(rb);
  if (rb.aurora.engine !== 'mysql') {
    throw drillRefused(
      'BacktrackNotSupported',
      `Backtrack refused for ${clusterId}: it is Aurora PostgreSQL (aurora.engine: postgres); Backtrack exists only for Aurora MySQL. Use restoreVerificationWorkflow (point-in-time restore) instead`,
    );
  }
  if (rb.aurora.globalClusterId) {
    throw drillRefused(
      'BacktrackNotSupported',
      `Backtrack refused for ${clusterId}: it is a member of global database ${rb.aurora.globalClusterId}; Backtrack is not supported with Aurora Global Database. Use restoreVerificationWorkflow instead`,
    );
  }
  const ctx = drillContext(deps, name, rb, clusterId);
  const canary = canaryTarget(rb, ctx.target.region);
  if (!canary)
    throw invalidInput(
      `input.runbook: runbook "${name}" has no canary section; the Backtrack drill writes its marker and sentinel rows through the canary`,
    );
  const rds = deps.aws.rds(ctx.target);
  const cluster = await withAwsErrors(() => rds.describeDbCluster(clusterId), `rds.describeDbCluster(${clusterId})`);
  if (cluster.engine !== 'aurora-mysql') {
    throw drillRefused(
      'BacktrackNotSupported',
      `Backtrack refused for ${clusterId}: its engine is ${cluster.engine}; Backtrack exists only for Aurora MySQL`,
    );
  }
  if (cluster.globalClusterIdentifier) {
    throw drillRefused(
      'BacktrackNotSupported',
      `Backtrack refused for ${clusterId}: it is a member of global database ${cluster.globalClusterIdentifier}; Backtrack is not supported with Aurora Global Database`,
    );
  }
  if (!cluster.backtrackWindowSeconds) {
    throw drillRefused(
      'BacktrackNotSupported',
      `Backtrack refused for ${clusterId}: Backtrack is not enabled (BacktrackWindow 0); it can only be enabled when a cluster is created or restored`,
    );
  }
  return {
    ...ctx,
    canary,
    markerRunId: `backtrack-${ctx.workflowId}`,
    backtrackWindowMs: cluster.backtrackWindowSeconds * 1000,
    waitTimeoutMs: Math.max(3_600_000, 2 * ctx.targets.rtoMs),
  };
}
