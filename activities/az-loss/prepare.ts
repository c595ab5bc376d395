/**
 * Input validation and planning of an AZ-loss game day (no AWS call). The Temporal UI bypasses the
 * CLI, so every field of the workflow input is checked here and a bad one fails with a
 * non-retryable `InvalidAzLossInput` naming the field and the fix.
 */
import { ApplicationFailure } from '@temporalio/common';
import { AZ_LOSS_TARGETS } from '../../lib/tiers';
import {
  FisTemplateError,
  applicableFisTemplates,
  listFisTemplateNames,
  regionOfAz,
  renderValidFisTemplate,
  type RenderedFisTemplate,
} from '../../runbooks/fis-templates';
import { parseIsoDuration } from '../../runbooks/fis-catalog';
import { resolveRunbookRef, RunbookValidationError } from '../../runbooks/load';
import { parseDuration, type Runbook } from '../../runbooks/schema';
import type { AzComponent, AzLossPlan, FisTemplatesInput, PreparedFisTemplate } from './types';

/** Failure type of a workflow input that does not validate (non-retryable). */
export const INVALID_AZ_LOSS_INPUT = 'InvalidAzLossInput';
/** Failure type of a FIS template that does not render or validate (non-retryable). */
export const INVALID_FIS_TEMPLATE = 'InvalidFisTemplate';

/** Default library template of the AZ-loss game day. */
export const DEFAULT_AZ_LOSS_TEMPLATE = 'az-power-interruption';

/** One bad field of the input. */
export interface InputIssue {
  readonly field: string;
  readonly message: string;
}

function invalidInput(issues: readonly InputIssue[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: INVALID_AZ_LOSS_INPUT,
    message: `invalid input:\n${issues.map((i) => `${i.field}: ${i.message}`).join('\n')}`,
    nonRetryable: true,
    details: [issues],
  });
}

function invalidTemplate(err: FisTemplateError): ApplicationFailure {
  return ApplicationFailure.create({
    type: INVALID_FIS_TEMPLATE,
    message: `invalid FIS template:\n${err.message}`,
    nonRetryable: true,
    details: [err.issues],
  });
}

const ALLOWED = ['runbook', 'runbookYaml', 'az', 'template', 'duration', 'recoveryTimeout', 'pollIntervalMs'];

/** Checks the shape of the workflow input; returns every issue (empty = valid). */
export function checkAzLossInput(input: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field: '(input)', message: 'expected an object such as {"runbook":"payments-prod","az":"us-east-1a"}' }];
  }
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!ALLOWED.includes(k)) issues.push({ field: k, message: `unknown field; allowed: ${ALLOWED.join(', ')}` });
  if (o.runbook !== undefined && typeof o.runbook !== 'string')
    issues.push({ field: 'runbook', message: `expected a runbook name (string), got ${typeof o.runbook}` });
  if (o.runbookYaml !== undefined && typeof o.runbookYaml !== 'string')
    issues.push({ field: 'runbookYaml', message: 'expected YAML text (string)' });
  if (!o.runbook && !o.runbookYaml) issues.push({ field: 'runbook', message: 'required: the runbook name, e.g. "payments-prod"' });
  if (o.az === undefined) issues.push({ field: 'az', message: 'required: the AZ to lose, e.g. "us-east-1a"' });
  else if (typeof o.az !== 'string' || !regionOfAz(o.az))
    issues.push({ field: 'az', message: `expected an AZ name such as "us-east-1a", got ${JSON.stringify(o.az)}` });
  if (o.template !== undefined && (typeof o.template !== 'string' || !listFisTemplateNames().includes(o.template))) {
    issues.push({
      field: 'template',
      message: `unknown template ${JSON.stringify(o.template)}; use one of ${listFisTemplateNames().join(', ')}`,
    });
  }
  if (o.duration !== undefined && (typeof o.duration !== 'string' || parseIsoDuration(o.duration) === undefined)) {
    issues.push({ field: 'duration', message: `expected an ISO-8601 duration such as "PT30M", got ${JSON.stringify(o.duration)}` });
  }
  if (o.recoveryTimeout !== undefined && (typeof o.recoveryTimeout !== 'string' || !/^\d+(ms|s|m|h|d)$/.test(o.recoveryTimeout))) {
    issues.push({ field: 'recoveryTimeout', message: `expected a duration such as "15m", got ${JSON.stringify(o.recoveryTimeout)}` });
  }
  if (
    o.pollIntervalMs !== undefined &&
    (typeof o.pollIntervalMs !== 'number' || !Number.isInteger(o.pollIntervalMs) || o.pollIntervalMs < 100 || o.pollIntervalMs > 60_000)
  ) {
    issues.push({ field: 'pollIntervalMs', message: 'expected an integer between 100 and 60000 (clock ms)' });
  }
  return issues;
}

/** Loads the runbook of an input (name or YAML text), mapping validation errors to `invalidInput`. */
export function loadInputRunbook(
  o: { runbook?: string; runbookYaml?: string },
  runbookDir: string,
): { name: string; runbook: Runbook; byName: boolean } {
  try {
    const { name, runbook, fromYaml } = resolveRunbookRef({ runbook: o.runbook, runbookYaml: o.runbookYaml || undefined }, runbookDir);
    return { name, runbook, byName: !fromYaml };
  } catch (err) {
    if (err instanceof RunbookValidationError) {
      throw invalidInput(
        err.issues.map((i) => ({
          field: i.path ? `runbook: ${i.path}` : 'runbook',
          message: `${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`,
        })),
      );
    }
    throw err;
  }
}

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

/** Validates the input, loads the runbook, renders and validates the template: the run's plan. */
export function planAzLoss(input: unknown, runbookDir: string, awsMode: 'real' | 'sim' = 'real'): AzLossPlan {
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

/** Validates the input of `fisTemplatesWorkflow` and renders + validates every selected template. */
export function prepareFisTemplateSet(input: unknown, runbookDir: string): PreparedFisTemplate[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidInput([{ field: '(input)', message: 'expected an object such as {"runbook":"payments-prod","az":"us-east-1a"}' }]);
  }
  const o = input as FisTemplatesInput;
  const issues: InputIssue[] = [];
  for (const k of Object.keys(o))
    if (!['runbook', 'runbookYaml', 'az', 'templates', 'duration', 'mode'].includes(k)) issues.push({ field: k, message: 'unknown field' });
  if (!o.runbook && !o.runbookYaml) issues.push({ field: 'runbook', message: 'required: the runbook name, e.g. "payments-prod"' });
  if (typeof o.az !== 'string' || !regionOfAz(o.az))
    issues.push({ field: 'az', message: `expected an AZ name such as "us-east-1a", got ${JSON.stringify(o.az)}` });
  if (o.templates !== undefined && (!Array.isArray(o.templates) || o.templates.some((t) => !listFisTemplateNames().includes(t)))) {
    issues.push({ field: 'templates', message: `expected template names from ${listFisTemplateNames().join(', ')}` });
  }
  if (o.mode !== undefined && o.mode !== 'diff' && o.mode !== 'apply')
    issues.push({ field: 'mode', message: 'expected "diff" or "apply"' });
  if (issues.length > 0) throw invalidInput(issues);
  const { runbook } = loadInputRunbook(o, runbookDir);
  const opts = { az: o.az, ...(o.duration ? { duration: o.duration } : {}) };
  const names =
    o.templates && o.templates.length > 0
      ? [...o.templates]
      : applicableFisTemplates(runbook, opts)
          .filter((t) => !t.skipped)
          .map((t) => t.name);
  if (names.length === 0)
    throw invalidInput([{ field: 'templates', message: `no template of the library applies to this runbook in ${o.az}` }]);
  const errors: FisTemplateError[] = [];
  const out: PreparedFisTemplate[] = [];
  for (const name of names) {
    try {
      const t = renderValidFisTemplate(name, runbook, opts);
      out.push({ name, region: t.region, account: t.account, input: t.input });
    } catch (err) {
      if (err instanceof FisTemplateError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length > 0) throw invalidTemplate(new FisTemplateError(errors.flatMap((e) => e.issues)));
  return out;
}
