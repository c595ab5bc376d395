/**
 * `resolveDrillTarget`: the account and region a drill's AWS calls go to, from its runbook (no AWS
 * call), so the workflow can route every call of the drill to that account's budget queue
 * (`lib/aws-budget.ts`) before the first one, the source read of the prepare step.
 */
import type { ActivityDeps } from '../deps';
import type { BudgetTarget } from '../../lib/aws-budget';
import { invalidInput, parseInput, resolveRunbook, RestoreVerificationInputSchema } from './input';

/** The budget target of a restore verification's input: the runbook's account and primary region. */
export function resolveDrillTarget(deps: ActivityDeps, raw: unknown): BudgetTarget {
  const input = parseInput(RestoreVerificationInputSchema, raw, 'restoreVerificationWorkflow');
  const { name, runbook: rb } = resolveRunbook(input.runbook, deps, input.runbookYaml);
  if (!rb.aurora)
    throw invalidInput(`input.runbook: runbook "${name}" has no aurora section; a restore verification needs an Aurora cluster`);
  return { region: rb.aurora.primaryRegion, ...(rb.account !== undefined ? { accountId: rb.account } : {}) };
}
