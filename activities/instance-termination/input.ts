/**
 * Input validation of `instanceTerminationWorkflow` (no AWS call): every field checked, a bad one
 * fails with a non-retryable `InvalidInstanceTerminationInput` naming the field and the fix.
 */
import { checkCommonFields, isDuration, type InputIssue } from '../region-cut/input';

/** Failure type of an instance-termination input (or runbook) that does not validate (non-retryable). */
export const INVALID_INSTANCE_TERMINATION_INPUT = 'InvalidInstanceTerminationInput';

const ALLOWED = ['runbook', 'autoScalingGroup', 'percent', 'count', 'recoveryTimeout', 'pollIntervalMs', 'requestedBy'];

/** Checks the shape of an instance-termination input; returns every issue (empty = valid). */
export function checkInstanceTerminationInput(input: unknown): InputIssue[] {
  const issues = checkCommonFields(input, ALLOWED, '{"runbook":"payments-prod","percent":34}');
  if (issues.some((i) => i.field === '(input)')) return issues;
  const o = input as Record<string, unknown>;
  if (
    o.autoScalingGroup !== undefined &&
    (typeof o.autoScalingGroup !== 'string' || o.autoScalingGroup.length === 0 || o.autoScalingGroup.length > 255)
  )
    issues.push({ field: 'autoScalingGroup', message: 'expected an Auto Scaling group name (1-255 characters)' });
  const pct = o.percent;
  if (pct !== undefined && (typeof pct !== 'number' || !Number.isInteger(pct) || pct < 1 || pct > 100))
    issues.push({ field: 'percent', message: `expected an integer from 1 to 100, got ${JSON.stringify(pct)}` });
  const count = o.count;
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))
    issues.push({ field: 'count', message: `expected a whole number of instances (at least 1), got ${JSON.stringify(count)}` });
  if (pct !== undefined && count !== undefined) issues.push({ field: 'count', message: 'give percent or count, not both' });
  if (o.recoveryTimeout !== undefined && !isDuration(o.recoveryTimeout))
    issues.push({ field: 'recoveryTimeout', message: `expected a duration such as "15m", got ${JSON.stringify(o.recoveryTimeout)}` });
  return issues;
}
