/**
 * `resolveBacktrackTarget`: the account and region a Backtrack drill's AWS calls go to, from its
 * runbook (no AWS call), so the workflow routes every AWS call of the drill to that account's
 * budget queue (`lib/aws-budget.ts`) before the first one, the cluster read of the prepare step.
 */
import type { ActivityDeps } from '../deps';
import type { BudgetTarget } from '../../lib/aws-budget';
import { BacktrackDrillInputSchema, invalidInput, parseInput, resolveRunbook } from '../restore/input';

/** The budget target of a Backtrack drill's input: the runbook's account and primary region. */
export function resolveBacktrackTarget(deps: ActivityDeps, raw: unknown): BudgetTarget {
  const input = parseInput(BacktrackDrillInputSchema, raw, 'backtrackDrillWorkflow');
  const { name, runbook: rb } = resolveRunbook(input.runbook, deps, input.runbookYaml);
  if (!rb.aurora)
    throw invalidInput(`input.runbook: runbook "${name}" has no aurora section; a Backtrack drill needs an Aurora MySQL cluster`);
  return { region: rb.aurora.primaryRegion, accountId: rb.account };
}
