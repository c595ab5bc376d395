/**
 * The first step of every playbook that names a runbook: load and validate it (the Temporal UI
 * bypasses the CLI, so validation happens here). Makes no AWS call.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedRunbook, RunbookRef } from '../../contracts/preflight';
import { targetsFor } from '../../lib/tiers';
import { resolveRunbookRef, RunbookValidationError, type RunbookIssue } from '../../runbooks/load';
import { parseDuration } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';

/** Failure type of a runbook or workflow input that does not validate (non-retryable). */
export const INVALID_RUNBOOK = 'InvalidRunbook';

function invalid(issues: readonly RunbookIssue[]): ApplicationFailure {
  const err = new RunbookValidationError(issues);
  return ApplicationFailure.create({
    type: INVALID_RUNBOOK,
    message: `invalid runbook:\n${err.message}`,
    nonRetryable: true,
    details: [issues],
  });
}

/**
 * Loads and validates a runbook from a `RunbookRef` (or a bare name). Bad input fails with a
 * non-retryable `InvalidRunbook` whose message lists `file:line: path: message` per problem.
 * Makes no AWS call.
 */
export async function loadRunbook(deps: ActivityDeps, input: RunbookRef | string): Promise<LoadedRunbook> {
  const ref: unknown = typeof input === 'string' ? { runbook: input } : input;
  if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
    throw invalid([{ file: '<input>', path: '', message: 'expected an object such as {"runbook":"payments-prod"}' }]);
  }
  const unknownKeys = Object.keys(ref).filter((k) => k !== 'runbook' && k !== 'runbookYaml');
  if (unknownKeys.length > 0) {
    throw invalid([
      {
        file: '<input>',
        path: unknownKeys[0]!,
        message: `unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `"${k}"`).join(', ')}: expected {"runbook":"payments-prod"}`,
      },
    ]);
  }
  const { runbook: name, runbookYaml } = ref as Record<string, unknown>;
  if (name !== undefined && typeof name !== 'string') {
    throw invalid([{ file: '<input>', path: 'runbook', message: `expected a runbook name (string), got ${typeof name}` }]);
  }
  if (runbookYaml !== undefined && typeof runbookYaml !== 'string') {
    throw invalid([{ file: '<input>', path: 'runbookYaml', message: `expected YAML text (string), got ${typeof runbookYaml}` }]);
  }
  if (!name && !runbookYaml) {
    throw invalid([{ file: '<input>', path: 'runbook', message: 'required: the runbook name, e.g. {"runbook":"payments-prod"}' }]);
  }
  try {
    const { name: loadedName, runbook } = resolveRunbookRef({ runbook: name, runbookYaml: runbookYaml || undefined }, deps.runbookDir);
    const targets = targetsFor(runbook.tier, {
      rpoMs: runbook.targets?.rpo !== undefined ? parseDuration(runbook.targets.rpo) : undefined,
      rtoMs: runbook.targets?.rto !== undefined ? parseDuration(runbook.targets.rto) : undefined,
    });
    deps.logger.child({ playbook: 'preflight' }).info({ runbook: loadedName }, 'runbook loaded');
    return { name: loadedName, runbook, targets };
  } catch (err) {
    if (err instanceof RunbookValidationError) throw invalid(err.issues);
    throw err;
  }
}
