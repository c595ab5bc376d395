/**
 * `fisTemplatesWorkflow`: `gameday fis diff|apply` through Temporal (the CLI never talks to AWS).
 * Steps: prepare (render and validate the selected library templates for a runbook and AZ), then
 * one step per template: find the deployed copy by its gameday tags and either report the diff
 * (`diff`) or create / update it (`apply`, idempotent: an equal template is left alone, a create
 * uses a client token derived from the workflow id). Templates are managed resources, not faults:
 * nothing is undone on abort; a template already applied stays applied.
 * Start from the Temporal UI with `{"runbook":"payments-prod","az":"us-east-1a","mode":"diff"}`.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { FisTemplatesActivities } from '../activities';
import type { FisTemplateOutcome, FisTemplatesInput, FisTemplatesResult, PreparedFisTemplate } from '../contracts/fis-templates';
import { Run } from './kit';

export type { FisTemplateOutcome, FisTemplatesInput, FisTemplatesResult } from '../contracts/fis-templates';

const prepare = proxyActivities<FisTemplatesActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['InvalidAzLossInput', 'InvalidFisTemplate', 'InvalidRunbook'] },
});
const aws = proxyActivities<FisTemplatesActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 6 },
});

/** Diffs one template against its deployed copy, or applies it (see the module doc). */
async function handle(t: PreparedFisTemplate, mode: 'diff' | 'apply', workflowId: string): Promise<FisTemplateOutcome> {
  const found = await aws.findFisTemplate(t);
  const where = { name: t.name, region: t.region, differences: found.differences };
  if (mode === 'diff') {
    const action = !found.id ? 'would-create' : found.differences.length > 0 ? 'would-update' : 'unchanged';
    return { ...where, ...(found.id ? { id: found.id } : {}), action };
  }
  const applied = !found.id
    ? await aws.createFisTemplate({ template: t, clientToken: `gameday:${workflowId}:template:${t.name}` })
    : found.differences.length > 0
      ? await aws.updateFisTemplate({ template: t, id: found.id })
      : { id: found.id, action: 'unchanged' as const };
  return { ...where, id: applied.id, action: applied.action };
}

/** Diffs or applies the library templates of a runbook (see the module doc). */
export async function fisTemplatesWorkflow(input: FisTemplatesInput): Promise<FisTemplatesResult> {
  const mode = input?.mode ?? 'apply';
  const run = new Run('fisTemplatesWorkflow', ['prepare'], typeof input?.runbook === 'string' ? input.runbook : undefined);
  const out: FisTemplateOutcome[] = [];
  run.show({ mode, templates: out });
  run.reportWhileRunning(() => ({ mode, templates: [...out], outcome: 'running' }));
  const steps = async (): Promise<FisTemplatesResult> => {
    const templates = await run.step('prepare', () => prepare.prepareFisTemplates(input), {
      summary: (ts) => ts.map((t) => t.name).join(', '),
    });
    for (const t of templates) {
      out.push(
        await run.step(`${mode} ${t.name}`, () => handle(t, mode, run.workflowId), {
          summary: (r) => `${r.action}${r.id ? ` ${r.id}` : ''}`,
        }),
      );
    }
    return { mode, templates: out };
  };
  return run.execute({
    steps,
    finish: async (end) => (end.kind === 'completed' ? end.value : { mode, templates: [...out] }),
    failureType: 'FisTemplatesFailed',
  });
}
