/**
 * Activities of the AZ-loss game day and of FIS template management (`activities/az-loss/*`):
 * planning (input validation, template render + validation), FIS templates and experiments,
 * steady state and per-component recovery watches.
 */
import type { ActivityDeps } from './deps';
import { createFisActivities } from './az-loss/fis-activities';
import { planAzLoss, prepareFisTemplateSet } from './az-loss/prepare';
import { createRecoveryActivities } from './az-loss/recovery-activities';
import type { AzLossPlan, PreparedFisTemplate } from './az-loss/types';

export type * from './az-loss/types';

/** Builds the az-loss activities bound to `deps`. */
export function createAzLossActivities(deps: ActivityDeps) {
  return {
    /**
     * First activity of `azLossGameDayWorkflow`: validates the input field by field (the Temporal UI
     * bypasses the CLI), loads the runbook, renders and validates the FIS template. No AWS call.
     * Fails non-retryably with `InvalidAzLossInput` / `InvalidFisTemplate`.
     */
    async prepareAzLoss(input: unknown): Promise<AzLossPlan> {
      return planAzLoss(input, deps.runbookDir, deps.aws.mode);
    },
    /** First activity of `fisTemplatesWorkflow`: validates the input and renders + validates the templates. */
    async prepareFisTemplates(input: unknown): Promise<PreparedFisTemplate[]> {
      return prepareFisTemplateSet(input, deps.runbookDir);
    },
    ...createFisActivities(deps),
    ...createRecoveryActivities(deps),
  };
}
