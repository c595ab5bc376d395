/**
 * `prepareRegionCut`: the plan of a region cut from its input (no AWS call): the runbook, the cut
 * (primary) region and the secondary, the rendered and validated FIS template, the health checks,
 * record, alarms and load balancers watched, the targets, timeouts and poll interval.
 */
import type { RegionCutInput, RegionCutPlan } from '../../contracts/region-cut';
import { FisTemplateError, formatFisIssue } from '../../runbooks/fis-templates';
import { resolveRunbookRef, RunbookValidationError } from '../../runbooks/load';
import { parseDuration, type Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { promotionWorkflowId } from '../promotion/prepare-promotion';
import { checkRegionCutInput, invalidInput, type InputIssue } from './input';
import { CUT_ACTION, REGION_CUT_TEMPLATE, regionCutTemplate } from '../../runbooks/region-cut-template';

/**
 * First activity of `regionCutWorkflow`: validates the input field by field (the Temporal UI
 * bypasses the CLI), loads the runbook from the worker's folder, checks it has what a region cut
 * needs and builds the template: the run's plan. Fails non-retryably with `InvalidRegionCutInput`.
 */
export async function prepareRegionCut(deps: ActivityDeps, input: unknown, workflowId: string): Promise<RegionCutPlan> {
  return planRegionCut(input, workflowId, deps.runbookDir, deps.aws.mode, deps.clock.scale);
}

/** Loads a runbook by name, mapping validation errors to field issues (`runbook: <path>`). */
export function loadRunbookForInput(name: string, runbookDir: string, type?: string): Runbook {
  try {
    return resolveRunbookRef({ runbook: name }, runbookDir).runbook;
  } catch (err) {
    if (!(err instanceof RunbookValidationError)) throw err;
    const issues = err.issues.map((i) => ({
      field: i.path ? `runbook: ${i.path}` : 'runbook',
      message: `${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`,
    }));
    throw invalidInput(issues, type);
  }
}

/** What a region cut needs of the runbook for `region`; every missing piece names its field. */
function runbookIssues(rb: Runbook, name: string, region: string, primary: string): InputIssue[] {
  const out: InputIssue[] = [];
  const need = (ok: unknown, field: string, message: string): void => {
    if (!ok) out.push({ field, message });
  };
  need(rb.regionCut, 'runbook', `runbook ${name} has no regionCut section; add regionCut.loadBalancers (entry points per region)`);
  need(rb.fis, 'runbook', `runbook ${name} has no fis section; add fis.roleArn and fis.targetTag`);
  need(rb.route53, 'runbook', `runbook ${name} has no route53 section: nothing fails over`);
  need(
    rb.alarms.stopConditions.length > 0,
    'runbook',
    `runbook ${name} has no alarms.stopConditions; a fault needs a stop-condition alarm`,
  );
  need(region === primary, 'region', `${region} is not the primary region (${primary}); a region cut cuts the primary`);
  need(
    rb.blastRadius.regions.includes(region),
    'region',
    `${region} is outside blastRadius.regions (${rb.blastRadius.regions.join(', ')})`,
  );
  if (rb.regionCut)
    need(
      rb.regionCut.loadBalancers[region]?.length,
      'runbook',
      `runbook ${name} lists no load balancer in ${region} (regionCut.loadBalancers.${region})`,
    );
  if (rb.route53) need(rb.route53.healthChecks[region], 'runbook', `runbook ${name} has no route53.healthChecks.${region}`);
  need(rb.alarms.health[region]?.length, 'runbook', `runbook ${name} has no alarms.health.${region}: no alarm would fire`);
  return out;
}

/** The plan of `input` (see `prepareRegionCut`); pure apart from reading the runbook file. */
export function planRegionCut(
  input: unknown,
  workflowId: string,
  runbookDir: string,
  awsMode: 'real' | 'sim' = 'real',
  clockScale = 1,
): RegionCutPlan {
  const shape = checkRegionCutInput(input);
  if (shape.length > 0) throw invalidInput(shape);
  const o = input as RegionCutInput;
  const rb = loadRunbookForInput(o.runbook, runbookDir);
  const primary = rb.aurora?.primaryRegion ?? rb.blastRadius.regions[0]!;
  const region = o.region ?? primary;
  const issues = runbookIssues(rb, o.runbook, region, primary);
  const secondary = rb.blastRadius.regions.find(
    (r) => r !== region && (rb.route53?.healthChecks[r] || rb.aurora?.members.some((m) => m.region === r)),
  );
  if (!secondary)
    issues.push({
      field: 'runbook',
      message: `runbook ${o.runbook} names no secondary region to fail over to (blastRadius.regions, route53.healthChecks)`,
    });
  const promote = o.promote ?? rb.regionCut?.promote;
  if (promote && !rb.aurora?.globalClusterId)
    issues.push({
      field: 'promote',
      message: `runbook ${o.runbook} has no aurora.globalClusterId: there is nothing to promote; drop promote`,
    });
  if (issues.length > 0) throw invalidInput(issues);
  let template;
  try {
    template = regionCutTemplate(rb, region, o.duration ?? 'PT15M', workflowId);
  } catch (err) {
    if (!(err instanceof FisTemplateError)) throw err;
    throw invalidInput(
      err.issues.map((i) => ({ field: i.path.startsWith('$.actions') ? 'duration' : 'template', message: formatFisIssue(i) })),
    );
  }
  const cut = rb.regionCut!;
  const r53 = rb.route53!;
  return {
    runbookName: o.runbook,
    runbook: rb,
    service: rb.service,
    region,
    secondaryRegion: secondary!,
    account: rb.account,
    template: { name: REGION_CUT_TEMPLATE, input: template },
    cutActionName: CUT_ACTION,
    hostedZoneId: r53.hostedZoneId,
    recordName: r53.recordName,
    healthChecks: [r53.healthChecks[region]!],
    secondaryHealthChecks: r53.healthChecks[secondary!] ? [r53.healthChecks[secondary!]!] : [],
    healthAlarms: rb.alarms.health[region] ?? [],
    stopConditionAlarms: rb.alarms.stopConditions,
    loadBalancers: cut.loadBalancers[region] ?? [],
    targets: {
      healthChecksFailMs: parseDuration(cut.targets.healthChecksFail),
      dnsAnswersSecondaryMs: parseDuration(cut.targets.dnsAnswersSecondary),
      alarmsFireMs: parseDuration(cut.targets.alarmsFire),
    },
    detectionTimeoutMs: parseDuration(o.detectionTimeout ?? '10m'),
    pollIntervalMs: o.pollIntervalMs ?? 1000,
    ...(promote
      ? {
          promote: {
            mode: promote.mode,
            failback: promote.failback ?? false,
            workflowId: promotionWorkflowId(rb.aurora!.globalClusterId!),
          },
        }
      : {}),
    ...(o.requestedBy ? { requestedBy: o.requestedBy } : {}),
    awsMode,
    clockScale,
    preparedAtWall: Date.now(),
  };
}
