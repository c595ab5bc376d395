/**
 * Input validation of `regionCutWorkflow` (no AWS call). The Temporal UI bypasses the CLI, so
 * every field is checked and a bad one fails with a non-retryable `InvalidRegionCutInput` naming
 * the field and the fix.
 */
import { ApplicationFailure } from '@temporalio/common';
import { parseIsoDuration } from '../../runbooks/fis-catalog';

/** Failure type of a region-cut input (or runbook) that does not validate (non-retryable). */
export const INVALID_REGION_CUT_INPUT = 'InvalidRegionCutInput';

/** One bad field. */
export interface InputIssue {
  readonly field: string;
  readonly message: string;
}

/** The non-retryable failure of an input with `issues`, under `type`. */
export function invalidInput(issues: readonly InputIssue[], type = INVALID_REGION_CUT_INPUT): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message: `invalid input:\n${issues.map((i) => `${i.field}: ${i.message}`).join('\n')}`,
    nonRetryable: true,
    details: [issues],
  });
}

const ALLOWED = ['runbook', 'region', 'duration', 'detectionTimeout', 'pollIntervalMs', 'promote', 'requestedBy'];
const MODES = ['switchover', 'failover', 'detach'];

/** Checks the shape of the shared fields: an object, known fields, `runbook`, `pollIntervalMs`, `requestedBy`. */
export function checkCommonFields(input: unknown, allowed: readonly string[], example: string): InputIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [{ field: '(input)', message: `expected an object such as ${example}` }];
  const o = input as Record<string, unknown>;
  const issues: InputIssue[] = [];
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) issues.push({ field: k, message: `unknown field; allowed: ${allowed.join(', ')}` });
  if (o.runbook === undefined || o.runbook === '')
    issues.push({ field: 'runbook', message: 'required: the runbook name, e.g. "payments-prod"' });
  else if (typeof o.runbook !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.runbook))
    issues.push({ field: 'runbook', message: `expected a runbook name (file stem), got ${JSON.stringify(o.runbook)}` });
  const poll = o.pollIntervalMs;
  if (poll !== undefined && (typeof poll !== 'number' || !Number.isInteger(poll) || poll < 100 || poll > 60_000))
    issues.push({ field: 'pollIntervalMs', message: 'expected an integer between 100 and 60000 (clock ms)' });
  if (o.requestedBy !== undefined && (typeof o.requestedBy !== 'string' || o.requestedBy.length > 200))
    issues.push({ field: 'requestedBy', message: 'expected a name (string, at most 200 characters)' });
  return issues;
}

/** True for a duration such as `30s`, `10m`. */
export function isDuration(v: unknown): v is string {
  return typeof v === 'string' && /^\d+(ms|s|m|h|d)$/.test(v);
}

/** Checks the shape of a region-cut input; returns every issue (empty = valid). */
export function checkRegionCutInput(input: unknown): InputIssue[] {
  const issues = checkCommonFields(input, ALLOWED, '{"runbook":"payments-prod"}');
  if (issues.some((i) => i.field === '(input)')) return issues;
  const o = input as Record<string, unknown>;
  if (o.region !== undefined && (typeof o.region !== 'string' || !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(o.region)))
    issues.push({ field: 'region', message: `expected an AWS region such as "us-east-1", got ${JSON.stringify(o.region)}` });
  if (o.duration !== undefined && (typeof o.duration !== 'string' || parseIsoDuration(o.duration) === undefined))
    issues.push({ field: 'duration', message: `expected an ISO-8601 duration such as "PT15M", got ${JSON.stringify(o.duration)}` });
  if (o.detectionTimeout !== undefined && !isDuration(o.detectionTimeout))
    issues.push({ field: 'detectionTimeout', message: `expected a duration such as "10m", got ${JSON.stringify(o.detectionTimeout)}` });
  if (o.promote !== undefined) {
    const p = o.promote as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null || Array.isArray(p) || !MODES.includes(p.mode as string))
      issues.push({
        field: 'promote.mode',
        message: `expected {"mode":"switchover"|"failover"|"detach"}, got ${JSON.stringify(o.promote)}`,
      });
    else {
      for (const k of Object.keys(p))
        if (k !== 'mode' && k !== 'failback') issues.push({ field: `promote.${k}`, message: 'unknown field; allowed: mode, failback' });
      if (p.failback !== undefined && typeof p.failback !== 'boolean')
        issues.push({ field: 'promote.failback', message: 'expected true or false' });
    }
  }
  return issues;
}
