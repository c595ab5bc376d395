/**
 * Input validation shared by `prepareAzLoss` and `prepareFisTemplates` (no AWS call). The Temporal
 * UI bypasses the CLI, so every field of a workflow input is checked and a bad one fails with a
 * non-retryable `InvalidAzLossInput` naming the field and the fix.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type FisTemplateError, listFisTemplateNames, regionOfAz } from '../../runbooks/fis-templates';
import { parseIsoDuration } from '../../runbooks/fis-catalog';
import { resolvePolicedRunbook, type RunbookSource } from '../../runbooks/blast-radius';
import { RunbookValidationError } from '../../runbooks/load';
import { DURATION_RANGES, durationProblem, preview } from '../../runbooks/bounds';
import type { Runbook } from '../../runbooks/schema';

/** Longest fault an AZ-loss game day may inject: FIS's longest action duration, 12 hours. */
const MAX_FAULT_MS = 12 * 3_600_000;

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

/** The non-retryable failure of an input with `issues`. */
export function invalidInput(issues: readonly InputIssue[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: INVALID_AZ_LOSS_INPUT,
    message: `invalid input:\n${issues.map((i) => `${i.field}: ${i.message}`).join('\n')}`,
    nonRetryable: true,
    details: [issues],
  });
}

/** The non-retryable failure of a template that does not render or validate. */
export function invalidTemplate(err: FisTemplateError): ApplicationFailure {
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
    issues.push({ field: 'az', message: `expected an AZ name such as "us-east-1a", got ${preview(o.az)}` });
  if (o.template !== undefined && (typeof o.template !== 'string' || !listFisTemplateNames().includes(o.template))) {
    issues.push({
      field: 'template',
      message: `unknown template ${preview(o.template)}; use one of ${listFisTemplateNames().join(', ')}`,
    });
  }
  if (o.duration !== undefined) {
    const ms = typeof o.duration === 'string' ? parseIsoDuration(o.duration) : undefined;
    if (ms === undefined || !(ms >= 1000 && ms <= MAX_FAULT_MS))
      issues.push({
        field: 'duration',
        message: `expected an ISO-8601 duration from PT1S to PT12H such as "PT30M", got ${preview(o.duration)}`,
      });
  }
  if (o.recoveryTimeout !== undefined) {
    const problem =
      typeof o.recoveryTimeout === 'string'
        ? durationProblem(o.recoveryTimeout, DURATION_RANGES.recoveryTimeout)
        : 'expected a duration such as "15m"';
    if (problem) issues.push({ field: 'recoveryTimeout', message: problem });
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
  src: string | RunbookSource,
): { name: string; runbook: Runbook; byName: boolean } {
  try {
    const { name, runbook, fromYaml } = resolvePolicedRunbook(
      { runbook: o.runbook, runbookYaml: o.runbookYaml || undefined },
      typeof src === 'string' ? { runbookDir: src } : src,
    );
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
