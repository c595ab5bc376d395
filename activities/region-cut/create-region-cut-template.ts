/** `createRegionCutTemplate`: the run's own experiment template, created once. */
import type { RegionCutPlan, RegionCutTemplate } from '../../contracts/region-cut';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { findRunTemplates } from './find-run-templates';

/**
 * Creates the template of the plan, unless a template tagged with this run already exists (read
 * before write: a retry after the call went through finds it). The client token is the run's.
 */
export async function createRegionCutTemplate(
  deps: ActivityDeps,
  input: { readonly plan: RegionCutPlan; readonly workflowId: string },
): Promise<RegionCutTemplate> {
  const { plan, workflowId } = input;
  const existing = await findRunTemplates(deps, plan, workflowId);
  if (existing.length > 0) return { id: existing[0]!, action: 'found' };
  const api = deps.aws.fis({ region: plan.region, accountId: plan.account });
  const t = await withAwsErrors(
    () => api.createExperimentTemplate({ ...plan.template.input, clientToken: `gameday-${workflowId}-region-cut`.slice(0, 1024) }),
    `fis.createExperimentTemplate(${plan.template.name})`,
  );
  deps.logger.info({ templateId: t.id, region: plan.region, workflowId }, 'region-cut template created');
  return { id: t.id, action: 'created' };
}
