/**
 * `prepareBacktrackDrill`, the first step of a Backtrack drill: validates the input and refuses,
 * before any mutation, a cluster Backtrack cannot rewind; fixes the plan of the run.
 */
import type { ActivityDeps } from '../deps';
import { withAwsErrors } from '../aws/errors';
import type { BacktrackPlan } from '../../contracts/backtrack-drill';
import { canaryTarget, drillContext, drillRefused, sourceClusterOf } from '../restore/drill-context';
import { BacktrackDrillInputSchema, invalidInput, parseInput, resolveRunbook } from '../restore/input';

/**
 * Validates the input and refuses, before any mutation, a cluster Backtrack cannot rewind:
 * Aurora PostgreSQL, a global-database member, or a cluster created without a backtrack window.
 */
export async function prepareBacktrackDrill(deps: ActivityDeps, raw: unknown): Promise<BacktrackPlan> {
  const input = parseInput(BacktrackDrillInputSchema, raw, 'backtrackDrillWorkflow');
  const { name, runbook: rb } = resolveRunbook(input.runbook, deps, input.runbookYaml);
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
