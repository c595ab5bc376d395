/**
 * What the first activity of each drill (restore verification, Backtrack) resolves the same way:
 * the workflow it runs in, the runbook's facts and targets, the source cluster and the canary
 * target. Plain functions over a loaded runbook; no AWS call.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import type { AuroraEngine } from '../aws/ports';
import type { CanaryTarget } from '../canary/canary-store';
import { parseDuration, type Runbook } from '../../runbooks/schema';
import { targetsFor } from '../../lib/tiers';
import type { DrillContext } from '../../contracts/drill';
import { invalidInput } from './input';

/** Poll interval of restore / backtrack waits in clock ms (the resolution of the measurement). */
export const DRILL_POLL_INTERVAL_MS = 10_000;

/** Refusal of a drill the cluster cannot run (Backtrack on PostgreSQL or a global member, …). */
export function drillRefused(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Workflow id and run id of the activity's workflow. */
export function currentWorkflow(): { workflowId: string; runId: string } {
  const info = Context.current().info.workflowExecution;
  if (!info) throw invalidInput('this activity runs only inside a workflow (no workflow execution in its context)');
  return { workflowId: info.workflowId, runId: info.runId };
}

function engineOf(rb: Runbook): AuroraEngine {
  return rb.aurora!.engine === 'mysql' ? 'aurora-mysql' : 'aurora-postgresql';
}

/** The canary of the runbook as a data-plane target (the secret's region from its ARN). */
export function canaryTarget(rb: Runbook, region: string): CanaryTarget | undefined {
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

/** The facts of the runbook every drill reports, for the workflow this activity runs in. */
export function drillContext(deps: ActivityDeps, name: string, rb: Runbook, clusterId: string): DrillContext {
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

/** The drill's source cluster: `restore.sourceClusterId`, else the primary region's member. */
export function sourceClusterOf(rb: Runbook): string {
  const aurora = rb.aurora!;
  return rb.restore?.sourceClusterId ?? aurora.members.find((m) => m.region === aurora.primaryRegion)!.clusterId;
}
