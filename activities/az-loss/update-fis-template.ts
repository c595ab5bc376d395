/** `updateFisTemplate`: a deployed template brought to the rendered one. */
import type { FisTemplateApplied, PreparedFisTemplate } from '../../contracts/fis-templates';
import { diffFisTemplates } from '../../runbooks/fis-templates';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { fisApi } from './fis-common';

/** Updates a deployed template to the rendered one; reads it first and does nothing when equal. */
export async function updateFisTemplate(
  deps: ActivityDeps,
  input: { readonly template: PreparedFisTemplate; readonly id: string },
): Promise<FisTemplateApplied> {
  const t = input.template;
  const api = fisApi(deps, t);
  const deployed = await withAwsErrors(() => api.getExperimentTemplate(input.id), `fis.getExperimentTemplate(${input.id})`);
  if (diffFisTemplates(t.input, deployed).length === 0) return { name: t.name, region: t.region, id: input.id, action: 'unchanged' };
  await withAwsErrors(() => api.updateExperimentTemplate(input.id, t.input), `fis.updateExperimentTemplate(${input.id})`);
  deps.logger.info({ template: t.name, id: input.id, region: t.region }, 'FIS template updated');
  return { name: t.name, region: t.region, id: input.id, action: 'updated' };
}
