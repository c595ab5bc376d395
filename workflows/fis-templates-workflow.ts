/**
 * fisTemplatesWorkflow: `gameday fis diff|apply` through Temporal (the CLI never talks to AWS).
 * Renders and validates the selected library templates for a runbook and AZ (first activity), then
 * per template finds the deployed copy by its gameday tags and either reports the diff (`diff`) or
 * creates / updates it (`apply`, idempotent: an equal template is left alone, a create uses a
 * client token derived from the workflow id).
 * Start from the Temporal UI with `{"runbook":"payments-prod","az":"us-east-1a","mode":"diff"}`.
 */
import { proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FisTemplatesInput } from '../activities/az-loss/types';
import { statusQuery, type RunStatus } from './messages';

export type { FisTemplatesInput } from '../activities/az-loss/types';

/** What happened to one template. */
export interface FisTemplateOutcome {
  readonly name: string;
  readonly region: string;
  /** Deployed id (absent for `would-create`). */
  readonly id?: string;
  readonly action: 'created' | 'updated' | 'unchanged' | 'would-create' | 'would-update';
  /** Rendered vs deployed before the action (`+`, `-`, `~` lines). */
  readonly differences: readonly string[];
}

/** Result of `fisTemplatesWorkflow`. */
export interface FisTemplatesResult {
  readonly mode: 'diff' | 'apply';
  readonly templates: readonly FisTemplateOutcome[];
}

const prepare = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['InvalidAzLossInput', 'InvalidFisTemplate', 'InvalidRunbook'] },
});
const aws = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 6 },
});

/** Diffs or applies the library templates of a runbook (see the module doc). */
export async function fisTemplatesWorkflow(input: FisTemplatesInput): Promise<FisTemplatesResult> {
  const mode = input?.mode ?? 'apply';
  let status: RunStatus = { workflow: 'fisTemplatesWorkflow', runbook: input?.runbook, phase: 'rendering' };
  setHandler(statusQuery, () => status);
  const templates = await prepare.prepareFisTemplates(input);
  const out: FisTemplateOutcome[] = [];
  for (const t of templates) {
    status = {
      workflow: 'fisTemplatesWorkflow',
      runbook: input.runbook,
      phase: mode === 'diff' ? 'diffing' : 'applying',
      detail: t.name,
      data: { done: out.length, total: templates.length },
    };
    const found = await aws.findFisTemplate(t);
    if (mode === 'diff') {
      out.push({
        name: t.name,
        region: t.region,
        ...(found.id ? { id: found.id } : {}),
        action: !found.id ? 'would-create' : found.differences.length > 0 ? 'would-update' : 'unchanged',
        differences: found.differences,
      });
      continue;
    }
    const applied = !found.id
      ? await aws.createFisTemplate({ template: t, clientToken: `gameday:${workflowInfo().workflowId}:template:${t.name}` })
      : found.differences.length > 0
        ? await aws.updateFisTemplate({ template: t, id: found.id })
        : { name: t.name, region: t.region, id: found.id, action: 'unchanged' as const };
    out.push({ name: t.name, region: t.region, id: applied.id, action: applied.action, differences: found.differences });
  }
  status = { workflow: 'fisTemplatesWorkflow', runbook: input.runbook, phase: 'done', data: { total: out.length } };
  return { mode, templates: out };
}
