/**
 * `prepareAzLoss`: the plan of an AZ-loss game day from its input (no AWS call): the runbook, the
 * AZ's region, the components the AZ loss may impair, the rendered and validated FIS template, the
 * alarms, targets, recovery timeout and poll interval.
 */
import type { RunbookSource } from '../../runbooks/blast-radius';
import type { AzComponent, AzLossPlan } from '../../contracts/az-loss';
import { AZ_LOSS_TARGETS } from '../../lib/tiers';
import { FisTemplateError, regionOfAz, renderValidFisTemplate, type RenderedFisTemplate } from '../../runbooks/fis-templates';
import { parseDuration, type Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { DEFAULT_AZ_LOSS_TEMPLATE, checkAzLossInput, invalidInput, invalidTemplate, loadInputRunbook } from './input';

function componentsOf(rb: Runbook, region: string): AzComponent[] {
  const out: AzComponent[] = [];
  const member = rb.aurora?.members.find((m) => m.region === region);
  if (member) out.push({ kind: 'aurora', id: `aurora:${member.clusterId}`, clusterId: member.clusterId });
  for (const g of rb.elasticache.replicationGroups.filter((x) => x.region === region)) {
    out.push({ kind: 'elasticache', id: `elasticache:${g.id}`, replicationGroupId: g.id });
  }
  for (const asg of rb.fis?.autoScalingGroups ?? []) out.push({ kind: 'ec2', id: `ec2:${asg}`, autoScalingGroup: asg });
  return out;
}

/**
 * First activity of `azLossGameDayWorkflow`: validates the input field by field (the Temporal UI
 * bypasses the CLI), loads the runbook, renders and validates the FIS template: the run's plan.
 * No AWS call. Fails non-retryably with `InvalidAzLossInput` / `InvalidFisTemplate`.
 */
export async function prepareAzLoss(deps: ActivityDeps, input: unknown): Promise<AzLossPlan> {
  return planAzLoss(input, deps, deps.aws.mode);
}

/** The plan of `input` (see `prepareAzLoss`); pure apart from reading the runbook file. */
export function planAzLoss(input: unknown, runbookDir: string | RunbookSource, awsMode: 'real' | 'sim' = 'real'): AzLossPlan {
  const issues = checkAzLossInput(input);
  if (issues.length > 0) throw invalidInput(issues);
  const o = input as {
    runbook?: string;
    runbookYaml?: string;
    az: string;
    template?: string;
    duration?: string;
    recoveryTimeout?: string;
    pollIntervalMs?: number;
  };
  const { name, runbook, byName } = loadInputRunbook(o, runbookDir);
  const region = regionOfAz(o.az)!;
  if (!runbook.blastRadius.regions.includes(region)) {
    throw invalidInput([
      {
        field: 'az',
        message: `${o.az} is in ${region}, outside the runbook's blastRadius.regions (${runbook.blastRadius.regions.join(', ')}); pick an AZ there`,
      },
    ]);
  }
  if (!runbook.fis)
    throw invalidInput([{ field: 'runbook', message: `runbook ${name} has no fis section; add fis.roleArn and fis.targetTag` }]);
  if (runbook.alarms.stopConditions.length === 0) {
    throw invalidInput([
      { field: 'runbook', message: `runbook ${name} has no alarms.stopConditions; a game day needs at least one stop-condition alarm` },
    ]);
  }
  let template: RenderedFisTemplate;
  try {
    template = renderValidFisTemplate(o.template ?? DEFAULT_AZ_LOSS_TEMPLATE, runbook, {
      az: o.az,
      ...(o.duration ? { duration: o.duration } : {}),
    });
  } catch (err) {
    if (err instanceof FisTemplateError) throw invalidTemplate(err);
    throw err;
  }
  return {
    runbookName: name,
    runbookByName: byName,
    runbook,
    az: o.az,
    region,
    account: runbook.account,
    targets: AZ_LOSS_TARGETS,
    template,
    components: componentsOf(runbook, region),
    stopConditionAlarms: runbook.alarms.stopConditions,
    healthAlarms: runbook.alarms.health[region] ?? [],
    recoveryTimeoutMs: parseDuration(o.recoveryTimeout ?? '15m'),
    pollIntervalMs: o.pollIntervalMs ?? 1000,
    awsMode,
  };
}
