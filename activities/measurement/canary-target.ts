/**
 * Where a runbook's canary writes: engine, endpoint, database, secret and table.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Runbook } from '../../runbooks/schema';
import type { CanaryTarget } from '../canary/canary-store';

/** Region of a Secrets Manager ARN (`arn:aws:secretsmanager:<region>:…`). */
export function secretRegion(arn: string): string {
  const region = arn.split(':')[3];
  if (!region)
    throw ApplicationFailure.nonRetryable(
      `canary.secretArn "${arn}" has no region; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>`,
      'InvalidRunbook',
    );
  return region;
}

/** The canary target of a runbook; `undefined` with a reason when it has none. */
export function canaryTargetFromRunbook(rb: Runbook, endpointOverride?: string): { target?: CanaryTarget; reason?: string } {
  if (!rb.canary) return { reason: `runbook ${rb.service}-${rb.environment} has no canary section, so RPO cannot be measured` };
  if (!rb.aurora) return { reason: 'the canary needs aurora.engine to know the SQL dialect; add an aurora section' };
  return {
    target: {
      engine: rb.aurora.engine,
      endpoint: endpointOverride ?? rb.canary.endpoint,
      ...(rb.canary.port !== undefined ? { port: rb.canary.port } : {}),
      database: rb.canary.database,
      secretArn: rb.canary.secretArn,
      region: secretRegion(rb.canary.secretArn),
      table: rb.canary.table,
    },
  };
}
