/** `deleteRegionCutTemplate`: the undo of the template step. */
import type { RegionCutPlan } from '../../contracts/region-cut';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { findRunTemplates } from './find-run-templates';

/**
 * Deletes every template this run created (found by its run tag, so it also finds one whose create
 * call went through while the step was interrupted). Harmless when there is none.
 */
export async function deleteRegionCutTemplate(
  deps: ActivityDeps,
  input: { readonly plan: RegionCutPlan; readonly workflowId: string },
): Promise<{ deleted: string[] }> {
  const { plan, workflowId } = input;
  const ids = await findRunTemplates(deps, plan, workflowId);
  const api = deps.aws.fis({ region: plan.region, accountId: plan.account });
  for (const id of ids) {
    await withAwsErrors(() => api.deleteExperimentTemplate(id), `fis.deleteExperimentTemplate(${id})`);
    deps.logger.info({ templateId: id, workflowId }, 'region-cut template deleted');
  }
  return { deleted: ids };
}
