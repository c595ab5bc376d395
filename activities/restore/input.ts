/**
 * Validation of drill inputs (the CLI and the Temporal UI both send them): one zod schema per
 * input, and every problem reported as a non-retryable `InvalidInput` failure naming the field
 * and the fix, because a workflow started from the UI bypasses the CLI's checks.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { resolvePolicedRunbook, type RunbookSource } from '../../runbooks/blast-radius';
import { RunbookValidationError } from '../../runbooks/load';
import { MAX_RUNBOOK_BYTES, MAX_RUNBOOK_NAME } from '../../runbooks/bounds';

import type { Runbook } from '../../runbooks/schema';

const runbookRef = z
  .string({ error: 'expected a runbook name such as "analytics-prod" or a runbook file path' })
  .min(1, 'expected a runbook name such as "analytics-prod" or a runbook file path')
  .max(MAX_RUNBOOK_NAME, `expected a runbook name of at most ${MAX_RUNBOOK_NAME} characters such as "analytics-prod"`);

const restorePoint = z.union([z.string().min(1), z.number().int().positive()], {
  error: 'expected an ISO 8601 time such as 2026-01-31T02:00:00Z or epoch milliseconds',
});

/** Runbook YAML sent with the input (bounded). */
const runbookYaml = z
  .string()
  .min(1, 'expected the runbook YAML text')
  .max(MAX_RUNBOOK_BYTES, `runbook YAML larger than ${MAX_RUNBOOK_BYTES} bytes (256 KiB)`);

/** Schema of `RestoreVerificationInput`. */
export const RestoreVerificationInputSchema = z.strictObject({
  runbook: runbookRef,
  runbookYaml: runbookYaml.optional(),
  to: restorePoint.optional(),
  snapshotId: z
    .string()
    .regex(/^[A-Za-z][0-9A-Za-z:-]{0,254}$/, 'expected a DB cluster snapshot identifier or ARN')
    .optional(),
});

/** Schema of `BacktrackDrillInput`. */
export const BacktrackDrillInputSchema = z.strictObject({ runbook: runbookRef, runbookYaml: runbookYaml.optional() });

/** Schema of `OrphanSweeperInput`. */
export const OrphanSweeperInputSchema = z.strictObject({
  runbooks: z.array(runbookRef).optional(),
  olderThan: z
    .string()
    .regex(/^\d+(m|h|d)$/, 'expected a duration such as 30m, 6h or 1d')
    .optional(),
  dryRun: z.boolean().optional(),
});

/** Thrown (as its failure) for bad input; `type` is `InvalidInput`, non-retryable. */
export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidInput', message, nonRetryable: true });
}

/** Parses `value` with `schema`; each issue becomes `input.<field>: <message>` in one failure. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const field = ['input', ...i.path.map(String)].join('.');
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => `${field}.${k}: unknown field: remove it or check the spelling`).join('\n');
    return `${field}: ${i.message}`;
  });
  throw invalidInput(`invalid ${what} input:\n${lines.join('\n')}`);
}

/** Parses a restore point given as ISO 8601 text or epoch ms; names `input.to` when invalid. */
export function parseRestorePoint(value: string | number): number {
  if (typeof value === 'number') return value;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw invalidInput(`input.to: "${value}" is not a time; expected ISO 8601 such as 2026-01-31T02:00:00Z or epoch milliseconds`);
  }
  return ms;
}

/** Parses `30m`, `6h`, `1d` into ms. */
export function parseAge(text: string): number {
  const m = /^(\d+)(m|h|d)$/.exec(text);
  if (!m) throw invalidInput(`input.olderThan: "${text}" is not a duration; expected e.g. 30m, 6h or 1d`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

/**
 * Loads a runbook from `yaml` (text sent by the CLI, `ref` is then its name), else by name from
 * the worker's folder, under the worker's policy (`resolvePolicedRunbook`); a validation problem becomes a non-retryable
 * `RunbookValidationError` failure.
 */
export function resolveRunbook(ref: string, src: RunbookSource, yaml?: string): { name: string; runbook: Runbook } {
  try {
    const { name, runbook } = resolvePolicedRunbook({ runbook: ref, runbookYaml: yaml }, src);
    return { name, runbook };
  } catch (err) {
    if (err instanceof RunbookValidationError) {
      throw ApplicationFailure.create({ type: 'RunbookValidationError', message: `input.runbook: ${err.message}`, nonRetryable: true });
    }
    throw err;
  }
}
