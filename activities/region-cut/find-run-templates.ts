/** The experiment templates one region-cut run created (found by its `gameday-run` tag). */
import type { RegionCutPlan } from '../../contracts/region-cut';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { REGION_CUT_TEMPLATE, RUN_TAG } from '../../runbooks/region-cut-template';

/** Ids of the region-cut templates tagged with `workflowId` in the plan's region. */
export async function findRunTemplates(deps: ActivityDeps, plan: RegionCutPlan, workflowId: string): Promise<string[]> {
  const api = deps.aws.fis({ region: plan.region, accountId: plan.account });
  const all = await withAwsErrors(() => api.listExperimentTemplates(), `fis.listExperimentTemplates(${plan.region})`);
  return all.filter((t) => t.tags?.[RUN_TAG] === workflowId && t.tags?.['gameday-template'] === REGION_CUT_TEMPLATE).map((t) => t.id);
}
